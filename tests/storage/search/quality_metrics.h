// Retrieval metrics at a cutoff of 10, shared by the quality tests: reciprocal rank, recall and
// nDCG (gains 2^grade - 1, discount log2(rank + 1)). `relevant` maps segment ids to grades.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace storage::quality {

inline constexpr size_t kCutoff = 10;

inline double reciprocal_rank(const std::vector<std::string>& results, const std::map<std::string, int>& relevant) {
  for (size_t i = 0; i < std::min(kCutoff, results.size()); ++i) {
    if (relevant.count(results[i]) != 0) return 1.0 / static_cast<double>(i + 1);
  }
  return 0.0;
}

inline double recall(const std::vector<std::string>& results, const std::map<std::string, int>& relevant) {
  size_t found = 0;
  for (size_t i = 0; i < std::min(kCutoff, results.size()); ++i) found += relevant.count(results[i]);
  return relevant.empty() ? 0 : static_cast<double>(found) / static_cast<double>(relevant.size());
}

inline double ndcg(const std::vector<std::string>& results, const std::map<std::string, int>& relevant) {
  auto gain = [](int grade) { return std::pow(2.0, grade) - 1.0; };
  double dcg = 0;
  for (size_t i = 0; i < std::min(kCutoff, results.size()); ++i) {
    if (auto it = relevant.find(results[i]); it != relevant.end()) {
      dcg += gain(it->second) / std::log2(static_cast<double>(i) + 2.0);
    }
  }
  std::vector<int> grades;
  for (const auto& entry : relevant) grades.push_back(entry.second);
  std::sort(grades.rbegin(), grades.rend());
  double ideal = 0;
  for (size_t i = 0; i < std::min(kCutoff, grades.size()); ++i) {
    ideal += gain(grades[i]) / std::log2(static_cast<double>(i) + 2.0);
  }
  return ideal == 0 ? 0 : dcg / ideal;
}

}  // namespace storage::quality
