// Duplicates named on write (issue 11 #5): after store_segments() or stash() has written segments,
// the other segments of the same project whose text duplicates each one, so that the agent can
// supersede or drop them. Looked for in the stash (through the ranked index, never a scan) and in
// this process's working set; never the written segment itself (same id, in either tier) nor a
// segment already superseded.
//
//  - exact: equal normalized text: NFKC, Unicode case fold, every run of white space one ' ',
//    trimmed (normalize_for_duplicates). Similarity 1.
//  - near: not exact, but the Jaccard similarity of the two texts' term sets (Analyzer::term_set:
//    the ranked index's own tokenizer and stemming, stop words dropped) is at least
//    kNearDuplicateJaccard.
// Both tiers skip, without reading it, a segment whose text size is outside kMinSizeRatio..
// kMaxSizeRatio of the written one's (an exact copy padded with more white space than that is
// missed). The stash's candidates are the best kStashCandidates of RankedIndex::similar that hold
// at least kMinRareShare of the text's rarest terms (a near duplicate holds ~80 % of all its terms;
// one that misses most of the rarest is a rare, adversarial edit); a text made only of very common
// terms may not find its stashed copies. The working set's signatures (text_signature.h) are
// cached in ProjectState::working_signatures, so each write analyses only new or changed texts.
//
// Not thread-safe: callers hold the Store's mutex. Runs after the write is committed and never
// fails it: an error while looking leaves the lists empty (and is logged).
#pragma once

#include <cstddef>
#include <vector>

#include "storage/catalog.h"
#include "storage/store.h"
#include "storage/text_signature.h"

namespace storage {

// 0.8: a paragraph of ten sentences with one sentence rewritten stays near (0.88 in
// duplicates_test.cpp), two rewritten fall below (0.79): a revision of the same note, not a new
// one. Texts on different topics share almost no content terms (0.01 there, at the same length).
inline constexpr double kNearDuplicateJaccard = 0.8;
inline constexpr size_t kMaxDuplicatesNamed = 5;  // per written segment
inline constexpr size_t kStashCandidates = 8;     // best hits of RankedIndex::similar verified
inline constexpr double kMinRareShare = 0.5;      // of the rarest terms' summed idf a candidate holds
inline constexpr double kMinSizeRatio = 0.6;
inline constexpr double kMaxSizeRatio = 1.6;

// Fills `written[k].duplicates` for each segment of `written` found in tier `tier` of `project`.
void name_duplicates(ProjectState& project, Tier tier, std::vector<StoredSegment>& written);

}  // namespace storage
