// Duplicates named on write (issue 11 #5): after store_segments() or stash() has written segments,
// the other segments of the same project whose text duplicates each one, so that the agent can
// supersede or drop them. Looked for in the stash (through the ranked index, never a scan) and in
// this process's working set; never the written segment itself (same id, in either tier) nor a
// segment already superseded.
//
//  - exact: equal normalized text: NFKC, Unicode case fold, every run of white space one ' ',
//    trimmed (fold_for_match). Similarity 1.
//  - near: not exact, but the Jaccard similarity of the two texts' term sets (Analyzer::term_set:
//    the ranked index's own tokenizer and stemming, stop words dropped) is at least
//    kNearDuplicateJaccard.
//
// Not thread-safe: callers hold the Store's mutex. Runs after the write is committed and never
// fails it: an error while looking leaves the lists empty (and is logged).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "storage/catalog.h"
#include "storage/store.h"

namespace storage {

// 0.8: a paragraph of ten sentences with one sentence rewritten stays near (0.88 in
// duplicates_test.cpp), two rewritten fall below (0.79): a revision of the same note, not a new
// one. Texts on different topics share almost no content terms (0.01 there, at the same length).
inline constexpr double kNearDuplicateJaccard = 0.8;
inline constexpr size_t kMaxDuplicatesNamed = 5;      // per written segment
inline constexpr size_t kStashCandidates = 8;         // best hits of RankedIndex::similar verified
// Texts longer than this (either side) are compared exactly only: no term sets are built.
inline constexpr size_t kMaxNearDuplicateBytes = 64 << 10;
// Working-set prefilter: a near or exact duplicate has a text size within this ratio...
inline constexpr double kMinSizeRatio = 0.6;
inline constexpr double kMaxSizeRatio = 1.6;
// ...and of those, the closest in size get their term sets compared, at most this many per write.
inline constexpr size_t kMaxWorkingCompared = 64;

// Fills `written[k].duplicates` for each segment of `written` found in tier `tier` of `project`.
void name_duplicates(const ProjectState& project, Tier tier, std::vector<StoredSegment>& written);

// `text` as exact duplicates compare it: fold_for_match, trimmed.
std::string normalize_for_duplicates(std::string_view text);
// |a ∩ b| / |a ∪ b| of two sorted, distinct term lists; 0 when both are empty.
double jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace storage
