// RankedIndex::encode() and decode(): the index of one project as bytes, for the index file
// (storage/FORMAT.md "Index file"). Little-endian fixed-width integers:
//
//   u32 version (1) | u64 analysis fingerprint | u32 documents | u64 total_length
//   per document, numbered 0.. in this order:  u32 id size, id bytes, u32 text_length, i64 created_ms
//   u32 terms
//   per term:  u32 term size, term bytes, u32 postings, postings × u32 document, postings × u16 tf
//
// Only live documents and postings are written (dead postings and free numbers are left behind),
// so a decoded index scores exactly as the one that was encoded. What decode() does not read
// from the bytes it derives: the task lists from the resolved segments, each document's term list
// only when it is erased (by analysing its segment again: Impl::Doc::terms_known).
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "storage/search/ranked_index_impl.h"

namespace storage {
namespace {

constexpr uint32_t kCodecVersion = 1;

template <typename T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

void put_string(std::string& out, std::string_view s) {
  put<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

// Bounds-checked reads over the bytes; any read past the end sets `bad` and yields zeros.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}
  bool bad() const { return bad_; }
  bool at_end() const { return pos_ == bytes_.size(); }

  template <typename T>
  T get() {
    T value{};
    if (!take(sizeof(T))) return value;
    std::memcpy(&value, bytes_.data() + pos_ - sizeof(T), sizeof(T));
    return value;
  }
  std::string_view get_string() {
    const auto size = get<uint32_t>();
    return take(size) ? bytes_.substr(pos_ - size, size) : std::string_view();
  }
  // `count` items of `size` bytes each, copied into `out` (resized).
  template <typename T>
  void get_array(size_t count, std::vector<T>& out) {
    if (count > (bytes_.size() - pos_) / sizeof(T) || !take(count * sizeof(T))) {
      bad_ = true;
      out.clear();
      return;
    }
    out.resize(count);
    if (count > 0) std::memcpy(out.data(), bytes_.data() + pos_ - count * sizeof(T), count * sizeof(T));
  }

 private:
  bool take(size_t n) {
    if (bad_ || n > bytes_.size() - pos_) {
      bad_ = true;
      return false;
    }
    pos_ += n;
    return true;
  }

  std::string_view bytes_;
  size_t pos_ = 0;
  bool bad_ = false;
};

}  // namespace

uint64_t RankedIndex::analysis_fingerprint() {
  static const uint64_t value = [] {
    Segment sample;
    sample.segment_id = "Fingerprint-Seg_42/part.7";
    sample.text =
        "# Heading of the Sample\nAuthentication tokens were rate-limited at 10/s: `fooBar_baz()` in "
        "src/net/http_client.cpp; the runners ran, running naïve Café résumés. ratelimit ADR-0042 "
        "ns::TypeName 2025-06-10 日本語のテキスト and the 3 quick foxes!";
    sample.tags = {"Deploy", "api-v2"};
    sample.file_path = "src/Net/HTTP.cpp";
    sample.task_id = "task-1";
    sample.created_at = "2025-06-10T12:34:56.789Z";
    sample.type = SegmentType::kDecision;
    RankedIndex::Impl m;
    const size_t length = m.collect(&sample);
    std::vector<std::string> names(m.terms.size());
    for (const auto& [term, id] : m.term_ids) names[id] = term;
    std::vector<std::pair<std::string, uint32_t>> counted;
    for (uint32_t id : m.touched) counted.emplace_back(names[id], m.weights[id]);
    std::sort(counted.begin(), counted.end());
    std::string canonical = std::to_string(length);
    for (const auto& [term, weight] : counted) canonical += "\n" + term + " " + std::to_string(weight);
    return XXH3_64bits(canonical.data(), canonical.size());
  }();
  return value;
}

std::string RankedIndex::encode() const {
  const Impl& m = *impl_;
  std::vector<uint32_t> number(m.docs.size(), UINT32_MAX);  // doc -> number in the file
  std::string out;
  put<uint32_t>(out, kCodecVersion);
  put<uint64_t>(out, analysis_fingerprint());
  put<uint32_t>(out, static_cast<uint32_t>(m.live));
  put<uint64_t>(out, m.total_length);
  uint32_t next = 0;
  for (size_t doc = 0; doc < m.docs.size(); ++doc) {
    const Impl::Doc& d = m.docs[doc];
    if (d.segment == nullptr) continue;
    number[doc] = next++;
    put_string(out, d.segment->segment_id);
    put<uint32_t>(out, d.text_length);
    put<int64_t>(out, d.created_ms);
  }
  size_t live_terms = 0;
  for (const auto& entry : m.term_ids) {
    if (m.terms[entry.second].df > 0) ++live_terms;
  }
  put<uint32_t>(out, static_cast<uint32_t>(live_terms));
  std::vector<uint32_t> docs;
  std::vector<uint16_t> tfs;
  for (const auto& [term, id] : m.term_ids) {
    const Impl::Postings& p = m.terms[id];
    if (p.df == 0) continue;
    docs.clear();
    tfs.clear();
    for (size_t k = 0; k < p.docs.size(); ++k) {
      if (number[p.docs[k]] == UINT32_MAX) continue;
      docs.push_back(number[p.docs[k]]);
      tfs.push_back(p.tfs[k]);
    }
    put_string(out, term);
    put<uint32_t>(out, static_cast<uint32_t>(docs.size()));
    out.append(reinterpret_cast<const char*>(docs.data()), docs.size() * sizeof(uint32_t));
    out.append(reinterpret_cast<const char*>(tfs.data()), tfs.size() * sizeof(uint16_t));
  }
  return out;
}

Status RankedIndex::decode(std::string_view bytes) {
  auto fail = [this](const std::string& what) {
    impl_ = std::make_unique<Impl>();
    return Status::corruption("ranked index: " + what);
  };
  impl_ = std::make_unique<Impl>();
  Impl& m = *impl_;
  Cursor in(bytes);
  if (in.get<uint32_t>() != kCodecVersion) return fail("unknown version");
  if (in.get<uint64_t>() != analysis_fingerprint()) return fail("written by a build that analyses text differently");
  const auto doc_count = in.get<uint32_t>();
  const auto total_length = in.get<uint64_t>();
  if (in.bad() || doc_count > bytes.size()) return fail("cut short before the documents");
  m.docs.resize(doc_count);
  m.unbound.resize(doc_count);
  uint64_t length_sum = 0;
  for (uint32_t doc = 0; doc < doc_count; ++doc) {
    m.unbound[doc] = in.get_string();
    Impl::Doc& d = m.docs[doc];
    d.text_length = in.get<uint32_t>();
    d.created_ms = in.get<int64_t>();
    d.terms_known = false;
    if (in.bad()) return fail("cut short in the documents");
    length_sum += d.text_length;
  }
  if (length_sum != total_length) return fail("document lengths do not add up");
  const auto term_count = in.get<uint32_t>();
  if (in.bad() || term_count > bytes.size()) return fail("cut short before the terms");
  m.terms.resize(term_count);
  m.term_ids.reserve(term_count);
  for (uint32_t id = 0; id < term_count; ++id) {
    const std::string_view term = in.get_string();
    const auto postings = in.get<uint32_t>();
    Impl::Postings& p = m.terms[id];
    in.get_array(postings, p.docs);
    in.get_array(postings, p.tfs);
    if (in.bad() || term.empty() || postings == 0) return fail("cut short in the terms");
    auto [it, added] = m.term_ids.emplace(std::string(term), id);
    if (!added) return fail("term '" + std::string(term) + "' twice");
    if (Impl::prefix_word(term)) m.prefix_terms.insert(it->first);
    for (uint32_t doc : p.docs) {
      if (doc >= doc_count) return fail("a posting names document " + std::to_string(doc));
    }
    p.df = postings;
    m.stored_postings += postings;
  }
  if (!in.at_end()) return fail("bytes after the last term");
  m.live = doc_count;
  m.total_length = total_length;
  return Status::ok_status();
}

Status RankedIndex::bind(size_t expected_size,
                         const std::function<const Segment*(std::string_view segment_id)>& resolve) {
  auto fail = [this](const std::string& what) {
    impl_ = std::make_unique<Impl>();
    return Status::corruption("ranked index: " + what);
  };
  Impl& m = *impl_;
  if (m.unbound.size() != expected_size) {
    return fail("it holds " + std::to_string(m.unbound.size()) + " documents, not " + std::to_string(expected_size));
  }
  m.by_id.reserve(m.unbound.size());
  for (size_t doc = 0; doc < m.unbound.size(); ++doc) {
    Impl::Doc& d = m.docs[doc];
    d.segment = resolve(m.unbound[doc]);
    if (d.segment == nullptr) return fail("segment '" + m.unbound[doc] + "' is not in the snapshot");
    if (!m.by_id.emplace(d.segment->segment_id, static_cast<uint32_t>(doc)).second) {
      return fail("segment '" + m.unbound[doc] + "' twice");
    }
    if (d.segment->task_id) {
      auto [it, added] = m.task_ids.emplace(*d.segment->task_id, static_cast<uint32_t>(m.tasks.size()));
      if (added) m.tasks.emplace_back();
      d.task = it->second;
      m.tasks[d.task].emplace_back(d.created_ms, static_cast<uint32_t>(doc));
    }
  }
  m.unbound.clear();
  m.unbound.shrink_to_fit();
  return Status::ok_status();
}

}  // namespace storage
