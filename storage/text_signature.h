// TextSignature: what the duplicate check (duplicates.h, issue 11 #5) compares of one text, small
// enough to keep for every working segment so that a write does not analyse the working set again.
//  - normalized: a hash of the text as exact duplicates compare it (fold_for_match, trimmed);
//  - terms: 64-bit hashes of Analyzer::term_set (the ranked index's terms, stop words dropped),
//    sorted and distinct. With 64-bit hashes a collision among a few thousand terms is ~1e-13, so
//    the Jaccard similarity of two signatures is that of the term sets.
// Pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace storage {

class Analyzer;

struct TextSignature {
  uint64_t normalized = 0;  // of normalize_for_duplicates(text)
  size_t size = 0;          // of the text, bytes
  bool has_terms = false;   // false over kMaxSignedTermBytes: exact comparison only
  std::vector<uint64_t> terms;
  // Bit (hash % 512) of each term: a bit set in one sketch only is at least one term in one set
  // only, so two sketches bound the Jaccard similarity from above at the cost of 8 popcounts
  // (texts of different topics are told apart without merging their term lists).
  std::array<uint64_t, 8> sketch{};
};

// Texts longer than this get no term set: they are compared exactly only.
inline constexpr size_t kMaxSignedTermBytes = 64 << 10;

// `text` as exact duplicates compare it: fold_for_match (NFKC, case fold, white-space runs to one
// ' '), trimmed.
std::string normalize_for_duplicates(std::string_view text);
uint64_t hash_text(std::string_view text);  // XXH3, 64 bits
// The signature of `text`; `terms` (Analyzer::term_set of it) when the caller already has them.
TextSignature sign_text(const Analyzer& analyzer, std::string_view text, const std::vector<std::string>* terms = nullptr);
std::vector<uint64_t> hash_terms(const std::vector<std::string>& terms);
// |a ∩ b| / |a ∪ b| of two term sets (sorted, distinct); 0 when both are empty.
double jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);
// The Jaccard similarity of two signatures' term sets when it is at least `min` (> 0), else some
// value below `min`, found early: by the sizes, by the sketches, or by a merge that stops once the
// terms in one set only are too many for `min` to be reached.
double jaccard_at_least(const TextSignature& a, const TextSignature& b, double min);

}  // namespace storage
