#include "storage/text_signature.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>

#include "storage/search/analyzer.h"

namespace storage {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::string normalize_for_duplicates(std::string_view text) {
  std::string folded = fold_for_match(text);
  size_t begin = 0;
  size_t end = folded.size();
  while (begin < end && is_space(folded[begin])) ++begin;
  while (end > begin && is_space(folded[end - 1])) --end;
  return folded.substr(begin, end - begin);
}

uint64_t hash_text(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }

std::vector<uint64_t> hash_terms(const std::vector<std::string>& terms) {
  std::vector<uint64_t> out;
  out.reserve(terms.size());
  for (const std::string& term : terms) out.push_back(hash_text(term));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

TextSignature sign_text(const Analyzer& analyzer, std::string_view text, const std::vector<std::string>* terms) {
  TextSignature s;
  s.normalized = hash_text(normalize_for_duplicates(text));
  s.size = text.size();
  s.has_terms = text.size() <= kMaxSignedTermBytes;
  if (s.has_terms) s.terms = hash_terms(terms != nullptr ? *terms : analyzer.term_set(text));
  for (uint64_t term : s.terms) s.sketch[(term >> 6) & 7] |= uint64_t{1} << (term & 63);
  return s;
}

double jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() && b.empty()) return 0;
  size_t common = 0;
  for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

double jaccard_at_least(const TextSignature& a, const TextSignature& b, double min) {
  // J = C / (C + D) with C common and D unshared terms: J >= min needs D <= C (1 - min) / min, and
  // C <= min(|a|, |b|).
  const size_t smaller = std::min(a.terms.size(), b.terms.size());
  const size_t larger = std::max(a.terms.size(), b.terms.size());
  if (smaller == 0 || static_cast<double>(smaller) < min * static_cast<double>(larger)) return 0;  // J <= |small| / |large|
  const auto max_unshared = static_cast<size_t>(static_cast<double>(smaller) * (1 - min) / min);
  size_t unshared = 0;  // a lower bound first: bits set in one sketch only
  for (size_t w = 0; w < a.sketch.size(); ++w) unshared += static_cast<size_t>(std::popcount(a.sketch[w] ^ b.sketch[w]));
  if (unshared > max_unshared) return 0;
  unshared = 0;
  for (auto i = a.terms.begin(), j = b.terms.begin(); i != a.terms.end() || j != b.terms.end();) {
    if (j == b.terms.end() || (i != a.terms.end() && *i < *j)) {
      ++i;
      ++unshared;
    } else if (i == a.terms.end() || *j < *i) {
      ++j;
      ++unshared;
    } else {
      ++i;
      ++j;
    }
    if (unshared > max_unshared) return 0;
  }
  return jaccard(a.terms, b.terms);
}

}  // namespace storage
