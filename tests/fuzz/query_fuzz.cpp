// libFuzzer target: storage::parse_query (storage/search/query.h) over arbitrary text, and ranking
// a small fixed RankedIndex (storage/search/ranked_index.h) with the result, as the store does
// when the query is within query_over_limits().
//
// Asserts, beyond no crash / no sanitizer report / no hang: words are non-empty and hold neither
// white space nor '"', phrases are non-empty and trimmed; every match is one of the indexed
// segments, once, with a finite score; and the best score with depth 1 equals the best score of
// a full search (ranked_index.h: scores are exact for the best `depth`).
#include <cmath>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "storage/search/query.h"
#include "storage/search/ranked_index.h"

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

storage::Segment segment(std::string id, std::string text, std::vector<std::string> tags, std::string created_at) {
  storage::Segment s;
  s.segment_id = std::move(id);
  s.text = std::move(text);
  s.project_id = "p";
  s.tags = std::move(tags);
  s.created_at = std::move(created_at);
  s.last_touched_at = s.created_at;
  s.tier = storage::Tier::kStashed;
  return s;
}

struct Index {
  std::deque<storage::Segment> segments;  // a deque: the pointers the index holds stay valid
  storage::RankedIndex index;

  Index() {
    segments.push_back(segment("adr-016", "# ADR-016\nWe keep a JSON snapshot plus a journal.", {"adr", "storage"},
                               "2026-01-01T10:00:00.000Z"));
    segments.push_back(segment("lexer", "The lexer splits identifiers: fooBar, foo_bar and foo-bar.", {"parsing"},
                               "2025-12-31T23:59:59.000Z"));
    segments.push_back(segment("cafe", "Café naïve résumé — 東京 Ünïcödé straße ΣΊΣΥΦΟΣ 🙂", {}, "2026-01-02T00:00:00.000Z"));
    segments.push_back(segment("code", "int main() { return -32601; } // error -32601 \"quoted\"", {"code"},
                               "2025-06-15T12:00:00.000Z"));
    segments.push_back(segment("log", "2026-01-01 lock timeout after 10000 ms; retry yesterday", {"log", "lock"},
                               "2026-01-01T00:00:00.000Z"));
    segments.push_back(segment("empty-ish", "a", {}, "2020-02-29T00:00:00.000Z"));
    for (const storage::Segment& s : segments) index.upsert(&s);
  }
};

void check_parsed(const storage::ParsedQuery& q) {
  for (const std::vector<std::string>* words : {&q.words, &q.excluded}) {
    for (const std::string& w : *words) {
      if (w.empty()) std::abort();
      for (char c : w) {
        if (is_space(c) || c == '"') std::abort();
      }
    }
  }
  for (const std::vector<std::string>* phrases : {&q.phrases, &q.required_phrases, &q.excluded_phrases}) {
    for (const std::string& p : *phrases) {
      if (p.empty() || is_space(p.front()) || is_space(p.back()) || p.find('"') != std::string::npos) std::abort();
    }
  }
}

double best_score(const std::vector<storage::RankedMatch>& matches) {
  double best = -HUGE_VAL;
  for (const storage::RankedMatch& m : matches) best = std::max(best, m.score);
  return best;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Index* const index = new Index();  // built once; reachable, so not a leak
  storage::ParsedQuery query = storage::parse_query(std::string_view(reinterpret_cast<const char*>(data), size));
  check_parsed(query);
  if (!storage::query_over_limits(query).empty()) return 0;  // the store refuses it before ranking
  query.now = "2026-01-02T03:04:05.000Z";  // relative dates ("yesterday") resolve
  const auto all = [](const storage::Segment&) { return true; };
  const std::vector<storage::RankedMatch> matches = index->index.search(query, all);
  std::set<const storage::Segment*> seen;
  for (const storage::RankedMatch& m : matches) {
    bool ours = false;
    for (const storage::Segment& s : index->segments) ours = ours || &s == m.segment;
    if (!ours || !seen.insert(m.segment).second || !std::isfinite(m.score)) std::abort();
  }
  if (!matches.empty()) {
    const std::vector<storage::RankedMatch> top = index->index.search(query, all, 1);
    if (top.empty()) std::abort();
    const double full = best_score(matches);
    if (std::fabs(best_score(top) - full) > 1e-9 * std::max(1.0, std::fabs(full))) std::abort();
  }
  return 0;
}
