// Accuracy of storage::estimate_tokens against real cl100k_base counts on a labelled corpus of
// prose, code, logs and JSON (tests/tokens/corpus/<kind>/, labels in tests/tokens/labels.json,
// written by tests/tokens/label.mjs; the labels_check ctest keeps them in step with the corpus).
// Budgets trust these numbers: the median per-file error and the error over the whole corpus
// stay within 5 %, each kind's total within 10 %.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "storage/token_estimate.h"
#include "tests/support/temp_dir.h"

namespace storage {
namespace {

using Json = nlohmann::json;

struct Figures {
  std::vector<double> errors;  // per file, (estimate - label) / label
  int64_t estimated = 0;
  int64_t labelled = 0;

  void add(int64_t estimate, int64_t label) {
    errors.push_back(static_cast<double>(estimate - label) / static_cast<double>(label));
    estimated += estimate;
    labelled += label;
  }
  double median() const {
    std::vector<double> e = errors;
    std::sort(e.begin(), e.end());
    const size_t n = e.size();
    return n == 0 ? 0 : n % 2 == 1 ? e[n / 2] : (e[n / 2 - 1] + e[n / 2]) / 2;
  }
  double total() const { return static_cast<double>(estimated - labelled) / static_cast<double>(labelled); }
};

std::string row(const std::string& name, const Figures& f) {
  char line[160];
  std::snprintf(line, sizeof line, "%-16s %4zu files %8lld est %8lld cl100k  median %+6.1f %%  total %+6.1f %%\n",
                name.c_str(), f.errors.size(), static_cast<long long>(f.estimated),
                static_cast<long long>(f.labelled), 100 * f.median(), 100 * f.total());
  return line;
}

TEST_CASE("token accuracy: estimates are within 5 percent of cl100k on the labelled corpus") {
  const std::string dir = std::string(OOC_TESTS_DIR) + "/tokens";
  const Json labels = Json::parse(testing::read_text(dir + "/labels.json"), nullptr, false);
  REQUIRE(labels.is_object());
  REQUIRE(labels.size() >= 60);

  Figures all;
  std::map<std::string, Figures> by_kind, by_split;
  for (const auto& item : labels.items()) {
    const std::string name = item.key();  // not a structured binding: clang 14 cannot CAPTURE one
    const Json& label = item.value();
    const std::string text = testing::read_text(dir + "/corpus/" + name);
    CAPTURE(name);
    REQUIRE(text.size() == label.at("bytes").get<size_t>());  // labels.json matches the corpus
    const auto cl100k = label.at("cl100k").get<int64_t>();
    REQUIRE(cl100k > 0);
    const int64_t estimate = estimate_tokens(text);
    all.add(estimate, cl100k);
    by_kind[name.substr(0, name.find('/'))].add(estimate, cl100k);
    by_split[label.at("split").get<std::string>()].add(estimate, cl100k);
  }

  std::string table = "\n" + row("all", all);
  for (const auto& [kind, f] : by_kind) table += row(kind, f);
  for (const auto& [split, f] : by_split) table += row("split " + split, f);
  MESSAGE(table);

  CHECK(std::abs(all.median()) <= 0.05);
  CHECK(std::abs(all.total()) <= 0.05);
  CHECK(by_kind.size() == 4);
  for (const auto& entry : by_kind) {
    const std::string& kind = entry.first;
    CAPTURE(kind);
    CHECK(std::abs(entry.second.total()) <= 0.10);
  }
}

}  // namespace
}  // namespace storage
