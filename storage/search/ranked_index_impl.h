// The state of RankedIndex (private to ranked_index.cpp and ranked_search.cpp).
//
// Postings are two parallel arrays per term, doc numbers (u32) and a field-weighted term frequency
// (u16): 6 bytes a posting, plus 4 bytes in the document's term list that lets erase() keep
// document frequencies exact. erase() and the replaced side of upsert() only tombstone the doc
// number; its postings are purged (and doc numbers recycled) once dead postings exceed a quarter
// of all postings, so updates cost O(terms of the segment) amortised. Besides its fields a document
// carries its date terms (date_terms.h) and its type term (expansion.h); its task and created_at
// place it among its task's segments, so search can reach the segment after a hit.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/search/analyzer.h"
#include "storage/search/ranked_chunk_cache.h"
#include "storage/search/ranked_index.h"

namespace storage {

struct RankedIndex::Impl {
  static constexpr uint32_t kNoTask = UINT32_MAX;

  struct Postings {
    std::vector<uint32_t> docs;
    std::vector<uint16_t> tfs;  // field-weighted term frequency, saturated at 65535
    uint32_t df = 0;            // live documents only
  };
  struct Doc {
    const Segment* segment = nullptr;  // null: erased (postings may remain until purge) or free
    uint32_t text_length = 0;          // text terms, for length normalisation
    uint32_t task = kNoTask;           // index into tasks
    int64_t created_ms = 0;            // created_at, epoch milliseconds
    std::vector<uint32_t> terms;       // term ids, to keep df exact on erase
    // False for a document decoded from the index file: `terms` is empty until remove() needs it
    // and analyses the segment again (the same analysis gives the same terms).
    bool terms_known = true;
  };
  // The live documents of one task_id, unordered: (created_ms, doc).
  using TaskDocs = std::vector<std::pair<int64_t, uint32_t>>;

  Analyzer analyzer;
  std::unordered_map<std::string, uint32_t> term_ids;
  std::vector<Postings> terms;
  std::vector<uint32_t> free_terms;
  std::set<std::string_view> prefix_terms;  // keys of term_ids that are plain words (prefix lookups)
  std::vector<Doc> docs;
  std::vector<uint32_t> free_docs;  // no postings refer to these any more
  std::vector<uint32_t> dead_docs;  // erased; their postings are still in the lists
  std::unordered_map<std::string, uint32_t> by_id;
  std::vector<std::string> unbound;  // decoded, not yet bound: each document's segment_id (codec)
  std::unordered_map<std::string, uint32_t> task_ids;
  std::vector<TaskDocs> tasks;
  size_t live = 0;
  uint64_t total_length = 0;
  size_t stored_postings = 0;  // including dead ones
  size_t dead_postings = 0;

  // Indexing scratch, reused across add() calls (callers serialize access, so no lock).
  ChunkCache chunk_cache;                 // chunk -> term ids; cleared when purge() recycles ids
  std::vector<uint32_t> weights;          // per term id: weighted tf in the document being added
  std::vector<uint32_t> touched;          // term ids of that document, first-seen order
  std::string chunk_buffer;
  std::vector<std::string_view> chunks;
  std::vector<std::string> term_scratch;
  std::vector<uint32_t> id_scratch;
  // similar()'s scores by doc number, all zero between calls (it resets what it touched).
  mutable std::vector<float> similar_scores;

  // Plain lower-case words of 4 to 32 letters: what prefix lookups may return.
  static bool prefix_word(std::string_view term);
  uint32_t intern(const std::string& term);
  const Postings* find(const std::string& term) const;
  void count(uint32_t id, uint32_t weight);
  size_t add_field(std::string_view value, uint32_t weight);
  void add_id_field(std::string_view segment_id);
  // Analyses `segment` into `touched` and `weights` (interning its terms); returns its text length.
  size_t collect(const Segment* segment);
  void add(const Segment* segment);
  void remove(uint32_t doc);
  void purge();
  // The live document after `doc` in its task (by created_at, then segment_id), or UINT32_MAX.
  uint32_t successor(uint32_t doc) const;

  std::vector<RankedMatch> search(const ParsedQuery& query, const std::function<bool(const Segment&)>& accept,
                                  size_t depth) const;

  // --- quoted phrases (ranked_phrases.cpp) ---
  // True when folded `phrase` occurs verbatim in the segment's text (`folded_text`) or metadata.
  static bool segment_has_phrase(const Segment& segment, const std::string& folded_text, const std::string& phrase);
  // The live documents that hold every one of `words` (a phrase can occur only there).
  std::vector<uint32_t> holding_all(const std::vector<const Postings*>& words) const;
  struct BoostPhrase {
    std::string folded;                 // fold_for_match of the phrase
    std::vector<const Postings*> words;  // its index terms
    double boost = 0;                   // added to the score of a document that holds it
  };
  // The boosting phrases of one search, verified lazily: potential[doc] is the boost a candidate
  // may still get (0: none, or verified).
  struct PhraseBoosts {
    std::vector<BoostPhrase> phrases;
    std::vector<float> potential;
    void start(const Impl& index, const std::vector<float>& scores);
    void verify(const Impl& index, uint32_t doc, std::vector<float>& scores, std::vector<float>& word_scores);
    void settle(const Impl& index, const std::vector<uint32_t>& among, size_t depth, std::vector<float>& scores,
                std::vector<float>& word_scores);
  };
};

}  // namespace storage
