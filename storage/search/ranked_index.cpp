// Ranked search over one project's stashed segments: the inverted index.
//
// Postings are two parallel arrays per term, doc numbers (u32) and a field-weighted term frequency
// (u16): 6 bytes a posting, plus 4 bytes in the document's term list that lets erase() keep
// document frequencies exact. erase() and the replaced side of upsert() only tombstone the doc
// number; its postings are purged (and doc numbers recycled) once dead postings exceed a quarter
// of all postings, so updates cost O(terms of the segment) amortised.
#include "storage/search/ranked_index.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "storage/search/analyzer.h"
#include "storage/search/ranked_chunk_cache.h"

namespace storage {
namespace {

// BM25 as in DESIGN §4; IDF = ln(1 + (N - df + 0.5) / (df + 0.5)), never negative.
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// BM25F field weights, applied to term frequencies before saturation. Metadata is short and
// chosen on purpose, so one occurrence there says more than one in the body: the segment_id is
// the author's own name for the segment (strongest), tags and file_path are deliberate labels, the
// first markdown heading is the author's summary of the text. (Heading terms also count as text.)
// On tests/storage/search/corpus these weights give MRR@10 0.977 / nDCG@10 0.946 against 0.959 / 0.933 with
// all weights 1; other boosted settings tried (2-6 for the metadata fields) land within 0.001.
constexpr uint32_t kTextWeight = 1;
constexpr uint32_t kHeadingWeight = 2;
constexpr uint32_t kTagWeight = 3;
constexpr uint32_t kPathWeight = 3;
constexpr uint32_t kIdWeight = 4;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The first markdown ATX heading of `text` (`# Title`, up to 3 leading spaces), without the '#'s.
std::string_view first_heading(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    size_t i = 0;
    while (i < 3 && i < line.size() && line[i] == ' ') ++i;
    size_t hashes = 0;
    while (i + hashes < line.size() && line[i + hashes] == '#') ++hashes;
    const size_t after = i + hashes;
    if (hashes >= 1 && hashes <= 6 && (after == line.size() || line[after] == ' ' || line[after] == '\t')) {
      return trim(line.substr(after));
    }
    pos = eol + 1;
  }
  return {};
}

}  // namespace

struct RankedIndex::Impl {
  struct Postings {
    std::vector<uint32_t> docs;
    std::vector<uint16_t> tfs;  // field-weighted term frequency, saturated at 65535
    uint32_t df = 0;            // live documents only
  };
  struct Doc {
    const Segment* segment = nullptr;  // null: erased (postings may remain until purge) or free
    uint32_t text_length = 0;          // text terms, for length normalisation
    std::vector<uint32_t> terms;       // term ids, to keep df exact on erase
  };

  Analyzer analyzer;
  std::unordered_map<std::string, uint32_t> term_ids;
  std::vector<Postings> terms;
  std::vector<uint32_t> free_terms;
  std::vector<Doc> docs;
  std::vector<uint32_t> free_docs;  // no postings refer to these any more
  std::vector<uint32_t> dead_docs;  // erased; their postings are still in the lists
  std::unordered_map<std::string, uint32_t> by_id;
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

  uint32_t intern(const std::string& term) {
    if (auto it = term_ids.find(term); it != term_ids.end()) return it->second;
    uint32_t id = 0;
    if (!free_terms.empty()) {
      id = free_terms.back();
      free_terms.pop_back();
    } else {
      id = static_cast<uint32_t>(terms.size());
      terms.emplace_back();
    }
    term_ids.emplace(term, id);
    return id;
  }

  const Postings* find(const std::string& term) const {
    auto it = term_ids.find(term);
    return it == term_ids.end() ? nullptr : &terms[it->second];
  }

  void count(uint32_t id, uint32_t weight) {
    if (id >= weights.size()) weights.resize(terms.size(), 0);
    if (weights[id] == 0) touched.push_back(id);
    weights[id] += weight;
  }

  // Counts the index terms of `value` with `weight`; returns how many there are.
  size_t add_field(std::string_view value, uint32_t weight) {
    analyzer.split_chunks(value, chunk_buffer, chunks);
    size_t n = 0;
    for (std::string_view chunk : chunks) {
      const bool cacheable = chunk.size() <= ChunkCache::kMaxChunkBytes;
      const uint64_t hash = cacheable ? ChunkCache::hash(chunk) : 0;
      if (cacheable) {
        if (const ChunkCache::Ids ids = chunk_cache.find(chunk, hash); ids.data != nullptr) {
          for (size_t k = 0; k < ids.size; ++k) count(ids.data[k], weight);
          n += ids.size;
          continue;
        }
      }
      term_scratch.clear();
      analyzer.chunk_terms(chunk, term_scratch);
      id_scratch.clear();
      for (const std::string& term : term_scratch) id_scratch.push_back(intern(term));
      for (uint32_t id : id_scratch) count(id, weight);
      n += id_scratch.size();
      if (cacheable) chunk_cache.insert(chunk, hash, id_scratch);
    }
    return n;
  }

  void add(const Segment* segment) {
    touched.clear();
    const size_t text_length = add_field(segment->text, kTextWeight);
    add_field(first_heading(segment->text), kHeadingWeight);
    for (const std::string& tag : segment->tags) add_field(tag, kTagWeight);
    if (segment->file_path) add_field(*segment->file_path, kPathWeight);
    add_field(segment->segment_id, kIdWeight);

    uint32_t doc = 0;
    if (!free_docs.empty()) {
      doc = free_docs.back();
      free_docs.pop_back();
    } else {
      doc = static_cast<uint32_t>(docs.size());
      docs.emplace_back();
    }
    Doc& d = docs[doc];
    d.segment = segment;
    d.text_length = static_cast<uint32_t>(std::min<size_t>(text_length, UINT32_MAX));
    d.terms.assign(touched.begin(), touched.end());
    for (uint32_t id : touched) {
      Postings& p = terms[id];
      p.docs.push_back(doc);
      p.tfs.push_back(static_cast<uint16_t>(std::min<uint32_t>(weights[id], UINT16_MAX)));
      ++p.df;
      weights[id] = 0;
    }
    stored_postings += touched.size();
    total_length += d.text_length;
    ++live;
    by_id[segment->segment_id] = doc;
  }

  void remove(uint32_t doc) {
    Doc& d = docs[doc];
    for (uint32_t id : d.terms) --terms[id].df;
    dead_postings += d.terms.size();
    total_length -= d.text_length;
    --live;
    by_id.erase(d.segment->segment_id);
    d = Doc{};
    dead_docs.push_back(doc);
    if (dead_postings > 4096 && dead_postings * 4 > stored_postings) purge();
  }

  // Drops the postings of erased documents, then recycles their doc numbers and unused terms.
  void purge() {
    std::vector<char> dead(docs.size(), 0);
    for (uint32_t doc : dead_docs) dead[doc] = 1;
    for (Postings& p : terms) {
      size_t kept = 0;
      for (size_t k = 0; k < p.docs.size(); ++k) {
        if (dead[p.docs[k]]) continue;
        p.docs[kept] = p.docs[k];
        p.tfs[kept] = p.tfs[k];
        ++kept;
      }
      p.docs.resize(kept);
      p.tfs.resize(kept);
      if (p.docs.capacity() > 2 * kept + 4) {
        p.docs.shrink_to_fit();
        p.tfs.shrink_to_fit();
      }
    }
    for (auto it = term_ids.begin(); it != term_ids.end();) {
      if (terms[it->second].docs.empty()) {
        free_terms.push_back(it->second);
        it = term_ids.erase(it);
      } else {
        ++it;
      }
    }
    free_docs.insert(free_docs.end(), dead_docs.begin(), dead_docs.end());
    dead_docs.clear();
    chunk_cache.clear();  // it may name recycled term ids
    stored_postings -= dead_postings;
    dead_postings = 0;
  }

  std::vector<RankedMatch> search(const ParsedQuery& query, const std::function<bool(const Segment&)>& accept) const;
};

namespace {

// True when folded `phrase` occurs verbatim in the segment's text or metadata.
bool segment_has_phrase(const Segment& segment, const std::string& folded_text, const std::string& phrase) {
  if (contains_phrase(folded_text, phrase) || contains_phrase(fold_for_match(segment.segment_id), phrase)) {
    return true;
  }
  if (segment.file_path && contains_phrase(fold_for_match(*segment.file_path), phrase)) return true;
  return std::any_of(segment.tags.begin(), segment.tags.end(),
                     [&](const std::string& tag) { return contains_phrase(fold_for_match(tag), phrase); });
}

}  // namespace

// Scores are summed over the query's distinct terms (words and phrase words), so documents that
// match more terms rank higher (OR semantics). Candidates: with phrases, the documents holding the
// rarest word of any phrase, then verified verbatim (phrases are required, words only rank, as in
// Lucene's MUST + SHOULD); without, every document matching at least one word term.
std::vector<RankedMatch> RankedIndex::Impl::search(const ParsedQuery& query,
                                                   const std::function<bool(const Segment&)>& accept) const {
  if (query.empty() || live == 0) return {};
  // Stop words are dropped across the whole query (kept only when nothing else is left), so the
  // words are analyzed together; phrase words join them for scoring.
  std::string all_words;
  for (const std::string& word : query.words) all_words.append(word).push_back(' ');
  const bool has_word_terms = !analyzer.query_terms(all_words).empty();
  for (const std::string& phrase : query.phrases) all_words.append(phrase).push_back(' ');
  const std::vector<std::string> scoring = analyzer.query_terms(all_words);
  std::vector<std::string> phrases;
  const Postings* rarest = nullptr;
  for (const std::string& phrase : query.phrases) {
    std::string folded = fold_for_match(trim(phrase));
    if (folded.empty()) continue;
    for (const std::string& term : analyzer.piece_terms(folded)) {
      const Postings* p = find(term);
      if (p == nullptr || p->df == 0) return {};  // a required phrase that cannot match
      if (rarest == nullptr || p->docs.size() < rarest->docs.size()) rarest = p;
    }
    phrases.push_back(std::move(folded));
  }
  if (rarest == nullptr && !has_word_terms) return {};

  // Accumulate BM25F scores in a flat array indexed by doc number.
  const double n = static_cast<double>(live);
  const double average_length = total_length == 0 ? 1.0 : static_cast<double>(total_length) / n;
  std::vector<float> scores(docs.size(), 0.0F);
  std::vector<uint32_t> candidates;
  for (const std::string& term : scoring) {
    const Postings* p = find(term);
    if (p == nullptr || p->df == 0) continue;
    const double df = p->df;
    const double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    for (size_t k = 0; k < p->docs.size(); ++k) {
      const uint32_t doc = p->docs[k];
      const Doc& d = docs[doc];
      if (d.segment == nullptr) continue;
      const double tf = p->tfs[k];
      const double norm = kK1 * (1.0 - kB + kB * static_cast<double>(d.text_length) / average_length);
      if (scores[doc] == 0.0F && rarest == nullptr) candidates.push_back(doc);
      scores[doc] += static_cast<float>(idf * tf * (kK1 + 1.0) / (tf + norm));
    }
  }
  if (rarest != nullptr) {
    for (uint32_t doc : rarest->docs) {
      if (docs[doc].segment != nullptr) candidates.push_back(doc);
    }
  }
  std::sort(candidates.begin(), candidates.end());

  std::vector<char> excluded;
  for (const std::string& word : query.excluded) {
    for (const std::string& term : analyzer.primary_terms(word)) {
      const Postings* p = find(term);
      if (p == nullptr) continue;
      excluded.resize(docs.size(), 0);
      for (uint32_t doc : p->docs) excluded[doc] = 1;
    }
  }
  std::vector<std::string> excluded_phrases;
  for (const std::string& phrase : query.excluded_phrases) {
    if (std::string folded = fold_for_match(trim(phrase)); !folded.empty()) excluded_phrases.push_back(std::move(folded));
  }

  std::vector<RankedMatch> matches;
  for (uint32_t doc : candidates) {
    if (!excluded.empty() && excluded[doc]) continue;
    const Segment& segment = *docs[doc].segment;
    if (!accept(segment)) continue;
    if (!phrases.empty() || !excluded_phrases.empty()) {
      const std::string folded_text = fold_for_match(segment.text);
      auto has = [&](const std::string& phrase) { return segment_has_phrase(segment, folded_text, phrase); };
      if (!std::all_of(phrases.begin(), phrases.end(), has)) continue;
      if (std::any_of(excluded_phrases.begin(), excluded_phrases.end(), has)) continue;
    }
    matches.push_back({&segment, static_cast<double>(scores[doc])});
  }
  return matches;
}

RankedIndex::RankedIndex() : impl_(std::make_unique<Impl>()) {}
RankedIndex::~RankedIndex() = default;
RankedIndex::RankedIndex(RankedIndex&&) noexcept = default;
RankedIndex& RankedIndex::operator=(RankedIndex&&) noexcept = default;

void RankedIndex::upsert(const Segment* segment) {
  if (segment == nullptr) return;
  if (auto it = impl_->by_id.find(segment->segment_id); it != impl_->by_id.end()) impl_->remove(it->second);
  impl_->add(segment);
}

void RankedIndex::erase(std::string_view segment_id) {
  if (auto it = impl_->by_id.find(std::string(segment_id)); it != impl_->by_id.end()) impl_->remove(it->second);
}

size_t RankedIndex::size() const { return impl_->live; }

size_t RankedIndex::posting_count() const { return impl_->stored_postings - impl_->dead_postings; }

size_t RankedIndex::memory_bytes() const {
  const Impl& m = *impl_;
  auto string_heap = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
  // A node of an unordered_map<std::string, uint32_t>: next pointer, cached hash, key, value.
  constexpr size_t kNode = sizeof(void*) + sizeof(size_t) + sizeof(std::string) + sizeof(uint64_t);
  size_t bytes = sizeof(Impl);
  bytes += m.terms.capacity() * sizeof(Impl::Postings) + m.docs.capacity() * sizeof(Impl::Doc);
  for (const Impl::Postings& p : m.terms) bytes += p.docs.capacity() * 4 + p.tfs.capacity() * 2;
  for (const Impl::Doc& d : m.docs) bytes += d.terms.capacity() * 4;
  bytes += (m.free_terms.capacity() + m.free_docs.capacity() + m.dead_docs.capacity()) * 4;
  for (const auto& [term, id] : m.term_ids) bytes += kNode + string_heap(term);
  for (const auto& [id, doc] : m.by_id) bytes += kNode + string_heap(id);
  bytes += (m.term_ids.bucket_count() + m.by_id.bucket_count()) * sizeof(void*);
  bytes += m.chunk_cache.memory_bytes() + (m.weights.capacity() + m.touched.capacity()) * 4;
  return bytes;
}

std::vector<RankedMatch> RankedIndex::search(const ParsedQuery& query,
                                             const std::function<bool(const Segment&)>& accept) const {
  return impl_->search(query, accept);
}

}  // namespace storage
