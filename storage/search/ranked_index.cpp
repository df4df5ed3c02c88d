// Ranked search over one project's stashed segments: the inverted index (layout: ranked_index_impl.h;
// scoring: ranked_search.cpp).
#include "storage/search/ranked_index.h"

#include <algorithm>

#include "storage/search/date_terms.h"
#include "storage/search/expansion.h"
#include "storage/search/ranked_fields.h"
#include "storage/search/ranked_index_impl.h"
#include "storage/time_format.h"

namespace storage {
namespace {

// BM25F field weights (ranked_fields.h), applied to term frequencies before saturation. Metadata
// is short and chosen on purpose, so one occurrence there says more than one in the body: the
// segment_id is the author's own name for the segment (strongest), tags and file_path are
// deliberate labels, the first markdown heading is the author's summary of the text. (Heading
// terms also count as text.) Numbers and parts of one or two characters in a segment_id
// (`conv-41/D4:16`) are sequence numbers, not names: they count like text. Date and type terms
// weigh 1.
constexpr uint32_t kTextWeight = field_weight(RankedField::kText);
constexpr uint32_t kHeadingWeight = field_weight(RankedField::kHeading);
constexpr uint32_t kTagWeight = field_weight(RankedField::kTag);
constexpr uint32_t kPathWeight = field_weight(RankedField::kPath);
constexpr uint32_t kIdWeight = field_weight(RankedField::kId);
constexpr uint32_t kDateWeight = field_weight(RankedField::kDate);
constexpr uint32_t kTypeWeight = field_weight(RankedField::kType);

}  // namespace

bool RankedIndex::Impl::prefix_word(std::string_view term) {
  return term.size() >= 4 && term.size() <= 32 &&
         std::all_of(term.begin(), term.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

uint32_t RankedIndex::Impl::intern(const std::string& term) {
  if (auto it = term_ids.find(term); it != term_ids.end()) return it->second;
  uint32_t id = 0;
  if (!free_terms.empty()) {
    id = free_terms.back();
    free_terms.pop_back();
  } else {
    id = static_cast<uint32_t>(terms.size());
    terms.emplace_back();
  }
  auto inserted = term_ids.emplace(term, id).first;
  if (prefix_word(term)) prefix_terms.insert(inserted->first);
  return id;
}

const RankedIndex::Impl::Postings* RankedIndex::Impl::find(const std::string& term) const {
  auto it = term_ids.find(term);
  return it == term_ids.end() ? nullptr : &terms[it->second];
}

void RankedIndex::Impl::count(uint32_t id, uint32_t weight) {
  if (id >= weights.size()) weights.resize(terms.size(), 0);
  if (weights[id] == 0) touched.push_back(id);
  weights[id] += weight;
}

// Counts the index terms of `value` with `weight`; returns how many there are.
size_t RankedIndex::Impl::add_field(std::string_view value, uint32_t weight) {
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

void RankedIndex::Impl::add_id_field(std::string_view segment_id) {
  term_scratch.clear();
  analyzer.index_terms(segment_id, term_scratch);
  for (const std::string& term : term_scratch) count(intern(term), weak_id_term(term) ? kTextWeight : kIdWeight);
}

size_t RankedIndex::Impl::collect(const Segment* segment) {
  touched.clear();
  const size_t text_length = add_field(segment->text, kTextWeight);
  add_field(first_heading(segment->text), kHeadingWeight);
  for (const std::string& tag : segment->tags) add_field(tag, kTagWeight);
  if (segment->file_path) add_field(*segment->file_path, kPathWeight);
  add_id_field(segment->segment_id);
  term_scratch.clear();
  created_at_terms(segment->created_at, term_scratch);
  for (const std::string& term : term_scratch) count(intern(term), kDateWeight);
  count(intern(type_term(to_string(segment->type))), kTypeWeight);
  return text_length;
}

void RankedIndex::Impl::add(const Segment* segment) {
  const size_t text_length = collect(segment);

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
  d.created_ms = parse_rfc3339_ms(segment->created_at).value_or(0);
  if (segment->task_id) {
    auto [it, added] = task_ids.emplace(*segment->task_id, static_cast<uint32_t>(tasks.size()));
    if (added) tasks.emplace_back();
    d.task = it->second;
    tasks[d.task].emplace_back(d.created_ms, doc);
  }
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

void RankedIndex::Impl::remove(uint32_t doc) {
  Doc& d = docs[doc];
  if (!d.terms_known) {  // decoded from the index file: analysing the segment again names them
    collect(d.segment);
    d.terms.assign(touched.begin(), touched.end());
    for (uint32_t id : touched) weights[id] = 0;
  }
  for (uint32_t id : d.terms) --terms[id].df;
  dead_postings += d.terms.size();
  total_length -= d.text_length;
  --live;
  by_id.erase(d.segment->segment_id);
  if (d.task != kNoTask) {
    TaskDocs& list = tasks[d.task];
    auto it = std::find_if(list.begin(), list.end(), [&](const auto& entry) { return entry.second == doc; });
    if (it != list.end()) {
      *it = list.back();
      list.pop_back();
    }
  }
  d = Doc{};
  dead_docs.push_back(doc);
  if (dead_postings > 4096 && dead_postings * 4 > stored_postings) purge();
}

// Drops the postings of erased documents, then recycles their doc numbers and unused terms.
void RankedIndex::Impl::purge() {
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
      prefix_terms.erase(it->first);
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

uint32_t RankedIndex::Impl::successor(uint32_t doc) const {
  const Doc& d = docs[doc];
  if (d.task == kNoTask) return UINT32_MAX;
  uint32_t best = UINT32_MAX;
  auto before = [&](int64_t ms_a, uint32_t a, int64_t ms_b, uint32_t b) {
    return ms_a != ms_b ? ms_a < ms_b : docs[a].segment->segment_id < docs[b].segment->segment_id;
  };
  for (const auto& [ms, other] : tasks[d.task]) {
    if (other == doc || !before(d.created_ms, doc, ms, other)) continue;
    if (best == UINT32_MAX || before(ms, other, docs[best].created_ms, best)) best = other;
  }
  return best;
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
  bytes += m.prefix_terms.size() * (4 * sizeof(void*) + sizeof(std::string_view));
  for (const auto& [task, id] : m.task_ids) bytes += kNode + string_heap(task);
  for (const auto& list : m.tasks) bytes += sizeof(list) + list.capacity() * sizeof(list[0]);
  bytes += m.chunk_cache.memory_bytes() + (m.weights.capacity() + m.touched.capacity()) * 4;
  return bytes;
}

std::vector<RankedMatch> RankedIndex::search(const ParsedQuery& query, const std::function<bool(const Segment&)>& accept,
                                             size_t depth) const {
  return impl_->search(query, accept, depth);
}

}  // namespace storage
