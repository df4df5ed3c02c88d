// Near-duplicate candidates (issue 11 #5): the segments that share the most distinctive terms of a
// text. A near-duplicate (Jaccard >= 0.8 of the term sets, storage/duplicates.h) holds at least
// 80 % of the text's terms, hence most of its rarest ones, and an exact one holds them all; so
// scoring by the rarest terms alone ranks duplicates first while reading only short posting lists.
#include <algorithm>
#include <cmath>
#include <tuple>
#include <unordered_map>

#include "storage/search/ranked_index_impl.h"

namespace storage {
namespace {

constexpr size_t kSimilarTerms = 16;             // rarest terms of the text looked up
constexpr size_t kMaxSimilarPostings = 1 << 16;  // postings read at most (after the rarest term)
constexpr size_t kMaxSimilarBytes = 64 << 10;    // of the text analysed: a prefix has rare terms too

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// At most kMaxSimilarBytes of `text`, cut after white space (or at a code point boundary).
std::string_view head_of(std::string_view text) {
  if (text.size() <= kMaxSimilarBytes) return text;
  size_t cut = kMaxSimilarBytes;
  while (cut > 0 && !is_space(text[cut])) --cut;
  if (cut == 0) {
    cut = kMaxSimilarBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return text.substr(0, cut);
}

}  // namespace

std::vector<RankedMatch> RankedIndex::similar(std::string_view text, size_t limit,
                                              const std::function<bool(const Segment&)>& accept) const {
  const Impl& m = *impl_;
  if (m.live == 0 || limit == 0) return {};
  // The text's terms in the index, rarest first (ties by term, for a stable choice).
  std::vector<std::tuple<uint32_t, std::string, const Impl::Postings*>> known;
  for (std::string& term : m.analyzer.term_set(head_of(text))) {
    const Impl::Postings* p = m.find(term);
    if (p != nullptr && p->df > 0) known.emplace_back(p->df, std::move(term), p);
  }
  std::sort(known.begin(), known.end(),
            [](const auto& a, const auto& b) { return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b)); });
  const double n = static_cast<double>(m.live);
  std::unordered_map<uint32_t, double> scores;
  size_t read = 0;
  for (size_t k = 0; k < known.size() && k < kSimilarTerms; ++k) {
    const Impl::Postings& p = *std::get<2>(known[k]);
    if (k > 0 && read + p.docs.size() > kMaxSimilarPostings) break;
    read += p.docs.size();
    const double df = p.df;
    const double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    for (uint32_t doc : p.docs) {
      if (m.docs[doc].segment != nullptr) scores[doc] += idf;
    }
  }
  std::vector<RankedMatch> out;
  for (const auto& [doc, score] : scores) {
    const Segment* segment = m.docs[doc].segment;
    if (accept && !accept(*segment)) continue;
    out.push_back({segment, score});
  }
  auto better = [](const RankedMatch& a, const RankedMatch& b) {
    return a.score != b.score ? a.score > b.score : a.segment->segment_id < b.segment->segment_id;
  };
  const size_t kept = std::min(limit, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(kept), out.end(), better);
  out.resize(kept);
  return out;
}

}  // namespace storage
