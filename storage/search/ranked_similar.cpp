// Near-duplicate candidates (issue 11 #5): the segments that share the most distinctive terms of a
// text. A near-duplicate (Jaccard >= 0.8 of the term sets, storage/duplicates.h) holds at least
// 80 % of the text's terms, hence most of its rarest ones, and an exact one holds them all; so
// scoring by the rarest terms alone ranks duplicates first while reading only short posting lists.
#include <algorithm>
#include <cmath>
#include <tuple>

#include "storage/search/ranked_index_impl.h"

namespace storage {
namespace {

constexpr size_t kSimilarTerms = 16;            // rarest terms of the text looked up
constexpr size_t kMaxSimilarPostings = 8192;    // postings read at most, after the rarest term's

}  // namespace

std::vector<RankedMatch> RankedIndex::similar(const std::vector<std::string>& terms, size_t limit, double min_share,
                                              const std::function<bool(const Segment&)>& accept,
                                              std::string_view self) const {
  const Impl& m = *impl_;
  const auto self_it = self.empty() ? m.by_id.end() : m.by_id.find(std::string(self));
  const uint32_t self_doc = self_it == m.by_id.end() ? UINT32_MAX : self_it->second;
  const uint32_t own = self_doc == UINT32_MAX ? 0 : 1;  // what `self` adds to each term's df
  if (m.live <= own || limit == 0) return {};
  // The text's terms that other segments hold, rarest first (ties by term, for a stable choice).
  std::vector<std::tuple<uint32_t, const std::string*, const Impl::Postings*>> known;
  for (const std::string& term : terms) {
    const Impl::Postings* p = m.find(term);
    if (p != nullptr && p->df > own) known.emplace_back(p->df - own, &term, p);
  }
  const auto by_rarity = [](const auto& a, const auto& b) {
    return std::get<0>(a) != std::get<0>(b) ? std::get<0>(a) < std::get<0>(b) : *std::get<1>(a) < *std::get<1>(b);
  };
  const size_t looked = std::min(known.size(), kSimilarTerms);
  std::partial_sort(known.begin(), known.begin() + static_cast<std::ptrdiff_t>(looked), known.end(), by_rarity);
  const double n = static_cast<double>(m.live - own);
  std::vector<float>& scores = m.similar_scores;
  if (scores.size() < m.docs.size()) scores.resize(m.docs.size(), 0.0F);
  std::vector<uint32_t> candidates;
  double total = 0;
  size_t read = 0;
  for (size_t k = 0; k < looked; ++k) {
    const Impl::Postings& p = *std::get<2>(known[k]);
    if (k > 0 && read + p.docs.size() > kMaxSimilarPostings) break;
    read += p.docs.size();
    const double df = p.df - own;
    const double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    total += idf;
    for (uint32_t doc : p.docs) {  // dead documents too: they are dropped below, once
      if (scores[doc] == 0.0F) candidates.push_back(doc);
      scores[doc] += static_cast<float>(idf);
    }
  }
  std::vector<RankedMatch> out;
  const auto floor = static_cast<float>(min_share * total);
  for (uint32_t doc : candidates) {  // every score back to zero before any callback runs
    if (scores[doc] >= floor && doc != self_doc && m.docs[doc].segment != nullptr) {
      out.push_back({m.docs[doc].segment, scores[doc]});
    }
    scores[doc] = 0.0F;
  }
  if (accept) out.erase(std::remove_if(out.begin(), out.end(), [&](const RankedMatch& r) { return !accept(*r.segment); }), out.end());
  auto better = [](const RankedMatch& a, const RankedMatch& b) {
    return a.score != b.score ? a.score > b.score : a.segment->segment_id < b.segment->segment_id;
  };
  const size_t kept = std::min(limit, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(kept), out.end(), better);
  out.resize(kept);
  return out;
}

}  // namespace storage
