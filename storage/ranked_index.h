// Ranked full-text search over one project's stashed segments (DESIGN §4): an inverted index with
// BM25F-style scoring, phrase verification, exclusions and snippets.
//
// Not thread-safe: the Store serializes access. Holds no segment text; callers hand it segments.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/segment.h"

namespace storage {

// A parsed free-text query: `words` are OR-ranked; `"quoted phrases"` must appear verbatim
// (case-insensitive); `-word` / `-"phrase"` exclude segments that contain them.
struct ParsedQuery {
  std::vector<std::string> words;     // raw words as typed (analyzed by the index)
  std::vector<std::string> phrases;   // required, verbatim, case-insensitive
  std::vector<std::string> excluded;  // `-word`: segments with the word's term are dropped
  std::vector<std::string> excluded_phrases;  // `-"phrase"`: dropped when it appears verbatim
  bool empty() const { return words.empty() && phrases.empty(); }
};

ParsedQuery parse_query(std::string_view query);

struct RankedMatch {
  const Segment* segment = nullptr;
  double score = 0;
};

class RankedIndex {
 public:
  RankedIndex();
  ~RankedIndex();
  RankedIndex(RankedIndex&&) noexcept;
  RankedIndex& operator=(RankedIndex&&) noexcept;

  // Adds `segment` or replaces the entry with the same segment_id. The pointer must stay valid
  // until erase() or another upsert() of the same id (the Store keeps segments in a node map).
  void upsert(const Segment* segment);
  void erase(std::string_view segment_id);
  size_t size() const;

  // Every indexed segment that matches `query` and passes `accept`, with its score (unsorted).
  std::vector<RankedMatch> search(const ParsedQuery& query,
                                  const std::function<bool(const Segment&)>& accept) const;

  // Approximate heap bytes held by the index (for stats and the benchmark).
  size_t memory_bytes() const;
  size_t posting_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// About 30 words of `text` around the densest cluster of query matches, with "…" where cut.
// Never the whole text when it is longer than that. Falls back to the opening words.
std::string make_snippet(std::string_view text, const ParsedQuery& query, size_t max_words = 30);

}  // namespace storage
