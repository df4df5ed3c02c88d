// Quoted phrases of a ranked search (ranked_search.cpp): which documents may hold one, and the
// lazy verification of the boosting ones. Verifying means folding the document's whole text
// (fold_for_match), which was 86 % of the slowest searches at a million segments; so a document
// is verified only when it has every word of a phrase and could still enter the part of the
// ranking the caller asked for (issue 9).
#include <algorithm>
#include <queue>

#include "storage/search/ranked_index_impl.h"

namespace storage {

bool RankedIndex::Impl::segment_has_phrase(const Segment& segment, const std::string& folded_text,
                                           const std::string& phrase) {
  if (contains_phrase(folded_text, phrase) || contains_phrase(fold_for_match(segment.segment_id), phrase)) {
    return true;
  }
  if (segment.file_path && contains_phrase(fold_for_match(*segment.file_path), phrase)) return true;
  return std::any_of(segment.tags.begin(), segment.tags.end(),
                     [&](const std::string& tag) { return contains_phrase(fold_for_match(tag), phrase); });
}

std::vector<uint32_t> RankedIndex::Impl::holding_all(const std::vector<const Postings*>& words) const {
  std::vector<uint32_t> out;
  if (words.empty()) return out;
  const Postings* rarest = *std::min_element(words.begin(), words.end(), [](const Postings* a, const Postings* b) {
    return a->docs.size() < b->docs.size();
  });
  for (uint32_t doc : rarest->docs) {
    if (docs[doc].segment != nullptr) out.push_back(doc);
  }
  std::vector<char> marked(docs.size(), 0);
  for (const Postings* p : words) {
    if (p == rarest || out.empty()) continue;
    for (uint32_t doc : p->docs) marked[doc] = 1;
    out.erase(std::remove_if(out.begin(), out.end(), [&](uint32_t doc) { return marked[doc] == 0; }), out.end());
    for (uint32_t doc : p->docs) marked[doc] = 0;
  }
  return out;
}

void RankedIndex::Impl::PhraseBoosts::start(const Impl& index, const std::vector<float>& scores) {
  if (phrases.empty()) return;
  potential.assign(index.docs.size(), 0.0F);
  for (const BoostPhrase& ph : phrases) {
    for (uint32_t doc : index.holding_all(ph.words)) {
      if (scores[doc] != 0.0F) potential[doc] += static_cast<float>(ph.boost);
    }
  }
}

void RankedIndex::Impl::PhraseBoosts::verify(const Impl& index, uint32_t doc, std::vector<float>& scores,
                                             std::vector<float>& word_scores) {
  if (potential.empty() || potential[doc] == 0.0F) return;
  potential[doc] = 0.0F;
  const Segment& segment = *index.docs[doc].segment;
  const std::string folded = fold_for_match(segment.text);
  for (const BoostPhrase& ph : phrases) {
    if (!segment_has_phrase(segment, folded, ph.folded)) continue;
    scores[doc] += static_cast<float>(ph.boost);
    if (!word_scores.empty()) word_scores[doc] += static_cast<float>(ph.boost);
  }
}

// Verifies, among `among`, every document that could still be among the best `depth` by score:
// those whose score plus potential reaches the depth-th best score known to be exact. The others
// keep a score below their final one, and below every score of the first `depth`.
void RankedIndex::Impl::PhraseBoosts::settle(const Impl& index, const std::vector<uint32_t>& among, size_t depth,
                                             std::vector<float>& scores, std::vector<float>& word_scores) {
  if (potential.empty()) return;
  std::vector<uint32_t> open;
  std::vector<float> exact;
  for (uint32_t doc : among) {
    if (potential[doc] != 0.0F) {
      open.push_back(doc);
    } else {
      exact.push_back(scores[doc]);
    }
  }
  if (open.empty()) return;
  if (depth >= among.size()) {  // every one is wanted
    for (uint32_t doc : open) verify(index, doc, scores, word_scores);
    return;
  }
  // The best `depth` exact scores, in a min-heap: its top is the bar to reach.
  std::priority_queue<float, std::vector<float>, std::greater<>> best;
  if (exact.size() > depth) {
    std::nth_element(exact.begin(), exact.begin() + static_cast<std::ptrdiff_t>(depth), exact.end(), std::greater<>());
    exact.resize(depth);
  }
  for (float s : exact) best.push(s);
  std::sort(open.begin(), open.end(), [&](uint32_t a, uint32_t b) {
    return scores[a] + potential[a] > scores[b] + potential[b];
  });
  for (uint32_t doc : open) {
    if (depth == 0 || (best.size() >= depth && scores[doc] + potential[doc] < best.top())) break;
    verify(index, doc, scores, word_scores);
    best.push(scores[doc]);
    if (best.size() > depth) best.pop();
  }
}

}  // namespace storage
