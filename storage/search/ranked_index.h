// Ranked full-text search over one project's stashed segments (DESIGN §4): an inverted index with
// BM25F-style scoring, phrase verification and exclusions. Queries: query.h; snippets: snippet.h.
//
// Not thread-safe: callers serialize access (the engine holds its lock). Holds no segment text; callers hand it segments.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/search/query.h"
#include "storage/segment.h"
#include "storage/status.h"

namespace storage {

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
  // until erase() or another upsert() of the same id (the engine keeps segments in a node map).
  void upsert(const Segment* segment);
  void erase(std::string_view segment_id);
  size_t size() const;

  // Every indexed segment that matches `query` and passes `accept`, with its score (unsorted).
  // Scores are exact for the best `depth` (what the caller's page reaches: offset + limit); the
  // others may lack a phrase boost, which never lifts them into the best `depth`.
  std::vector<RankedMatch> search(const ParsedQuery& query, const std::function<bool(const Segment&)>& accept,
                                  size_t depth = SIZE_MAX) const;

  // Near-duplicate candidates (issue 11 #5; storage/duplicates.h): the indexed segments that hold
  // the rarest of `terms` (a text's Analyzer::term_set), passing `accept`, best first (ties by
  // segment_id), at most `limit`. Only up to 16 rarest terms are looked up (ranked_similar.cpp), so
  // the cost is a few short posting lists whatever the size of the index. A segment's score is the
  // summed idf of those it holds; those under `min_share` of the summed idf of all looked up are
  // left out. `self`: the indexed segment whose text gave `terms` (a segment just stashed), or
  // empty; it holds every term, so rarity is counted without it and it is never returned.
  std::vector<RankedMatch> similar(const std::vector<std::string>& terms, size_t limit, double min_share,
                                   const std::function<bool(const Segment&)>& accept,
                                   std::string_view self = {}) const;

  // The live index as bytes (ranked_index_codec.cpp; the layout is in storage/FORMAT.md "Index
  // file"), so that a later process can skip analysing every segment again.
  std::string encode() const;
  // Replaces this index by what encode() wrote, in two steps so that the first can run on another
  // thread while the segments load: decode() reads the bytes (the index is unusable until bound),
  // bind() ties each document to its segment through `resolve` (segment_id -> the segment, null
  // when unknown); `expected_size` documents there must be. On corruption (bytes that do not
  // decode, a segment it cannot resolve, a count that differs) the index is left empty and the
  // Status says what was wrong.
  Status decode(std::string_view bytes);
  Status bind(size_t expected_size, const std::function<const Segment*(std::string_view segment_id)>& resolve);

  // What the analysis and the field weights make of a built-in sample segment, hashed: bytes
  // encoded by a build that analyses differently (another stemmer, tokenizer or weight) are
  // refused by decode() instead of scoring wrongly.
  static uint64_t analysis_fingerprint();

  // Approximate heap bytes held by the index (for stats and the benchmark).
  size_t memory_bytes() const;
  size_t posting_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace storage
