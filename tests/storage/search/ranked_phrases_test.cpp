// Tests of the lazy phrase verification of RankedIndex::search (ranked_phrases.cpp): asking for
// the best `depth` gives exactly the ranking of a search that verifies every document, down to
// that depth, and the same matches.
#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "storage/search/ranked_index.h"

namespace storage {
namespace {

const std::vector<std::string> kWords = {"rate", "limit", "error", "handling", "retry", "policy", "cache",
                                         "miss", "deploy", "window", "token", "budget", "the", "of"};

Segment phrase_segment(size_t i) {
  Segment s;
  s.segment_id = "s" + std::to_string(i);
  // Word pairs that sometimes stand together ("rate limit") and sometimes apart.
  for (size_t w = 0; w < 10 + i % 17; ++w) s.text += kWords[(i * 13 + w * (w + 3)) % kWords.size()] + " ";
  if (i % 4 == 0) s.text += "the rate limit was hit ";
  if (i % 6 == 0) s.text += "error handling of the retry policy ";
  if (i % 9 == 0) s.tags = {"cache miss"};
  s.project_id = "p";
  if (i % 2 == 0) s.task_id = "task-" + std::to_string(i % 7);
  s.created_at = "2026-05-" + std::to_string(10 + i % 19) + "T08:00:00.000Z";
  s.last_touched_at = s.created_at;
  s.tier = Tier::kStashed;
  return s;
}

// Matches sorted by score, then id.
std::vector<std::pair<std::string, double>> ranked(const RankedIndex& index, const std::string& query, size_t depth,
                                                   bool only_even) {
  std::vector<std::pair<std::string, double>> out;
  const auto accept = [only_even](const Segment& s) { return !only_even || s.task_id.has_value(); };
  for (const RankedMatch& m : index.search(parse_query(query), accept, depth)) out.emplace_back(m.segment->segment_id, m.score);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return out;
}

std::vector<std::string> ids(std::vector<std::pair<std::string, double>> matches) {
  std::vector<std::string> out;
  for (const auto& m : matches) out.push_back(m.first);
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("ranked phrases: the best depth results equal those of verifying every document") {
  std::deque<Segment> segments;
  RankedIndex index;
  for (size_t i = 0; i < 600; ++i) {
    segments.push_back(phrase_segment(i));
    index.upsert(&segments.back());
  }
  const std::vector<std::string> queries = {"\"rate limit\"", "\"rate limit\" retry", "\"error handling\" \"retry policy\"",
                                            "\"cache miss\" deploy", "window \"token budget\"", "\"limit rate\" error",
                                            "+\"rate limit\" \"error handling\"", "\"rate limit\" -\"retry policy\""};
  for (const std::string& query : queries) {
    for (bool only_even : {false, true}) {
      const auto all = ranked(index, query, SIZE_MAX, only_even);
      REQUIRE(all.size() > 30);
      for (size_t depth : {size_t{0}, size_t{1}, size_t{3}, size_t{10}, size_t{25}, size_t{100}}) {
        CAPTURE(query);
        CAPTURE(only_even);
        CAPTURE(depth);
        const auto lazy = ranked(index, query, depth, only_even);
        CHECK(ids(lazy) == ids(all));  // the same matches
        const size_t n = std::min(depth, all.size());
        CHECK(std::vector<std::pair<std::string, double>>(lazy.begin(), lazy.begin() + static_cast<std::ptrdiff_t>(n)) ==
              std::vector<std::pair<std::string, double>>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n)));
      }
    }
  }
}

}  // namespace
}  // namespace storage
