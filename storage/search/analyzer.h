// Text analysis for ranked search (DESIGN §4): turns text into the terms the inverted index stores
// and queries look up. The same analysis runs at index and at query time, so terms always match.
//
// Rules, in order:
//  1. Normalise: NFKC (full-width letters, ligatures and the like become plain ones), default-
//     ignorable code points dropped; bytes that are not UTF-8 act as separators.
//  2. Split into *chunks*: maximal runs of letters, digits, combining marks and the connectors
//     - _ . / : \ that sit between them (leading and trailing connectors are not part of a chunk).
//     `ADR-016`, `src/parser/lex.cpp`, `storage::Store::compact` and `E_LOCK_TIMEOUT` are chunks.
//  3. A chunk splits at its connectors into *pieces* (`adr`, `016`); a piece splits into *parts* at
//     case changes: lower or digit -> Upper (`TokenizeUtf8` -> `Tokenize`, `Utf8`), and before the
//     last capital of a run followed by lower case (`HTTPServer` -> `HTTP`, `Server`, but `URLs`
//     stays whole). Letters followed by digits stay together: `utf8`, `sha256`.
//  4. Terms (all case-folded):
//     - every piece, stemmed with Snowball English (pieces with digits are not stemmed);
//     - every part of a piece with more than one part, stemmed the same way;
//     - the whole chunk, unstemmed, when it has more than one piece (`adr-016`,
//       `src/parser/lex.cpp`), plus each '/'-separated component with more than one piece
//       (`lex.cpp`), so a file name finds its full path.
//     A connector-free identifier (`TokenizeUtf8`) is itself a piece, hence stemmed like a word:
//     a user who types it in lower case must reach the same term.
//  5. Query terms drop English stop words (`the`, `how`, `do`, ...) unless nothing else is left.
//     Stop words are indexed: phrases and exclusions may need them.
// Terms are capped at kMaxTermBytes (cut at a code point boundary), the same on both sides.
//
// Thread safety: an Analyzer may be used from several threads (its stemmer is guarded).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace storage {

class Analyzer {
 public:
  static constexpr size_t kMaxTermBytes = 128;

  Analyzer();
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Every index term of `text`, in text order, appended to `out`. Duplicates are kept: their count
  // is the term frequency.
  void index_terms(std::string_view text, std::vector<std::string>& out) const;

  // index_terms() in two steps, so that callers may cache the terms of a chunk: the chunks of
  // `text` (rule 2) in text order, as views into `text` or into `buffer` (which then holds the
  // normalised text); and the index terms of one such chunk, which depend on its bytes only.
  // index_terms(text) is the concatenation of chunk_terms() over split_chunks(text).
  void split_chunks(std::string_view text, std::string& buffer, std::vector<std::string_view>& chunks) const;
  void chunk_terms(std::string_view chunk, std::vector<std::string>& out) const;

  // The terms a query word or phrase looks up: index terms without stop words (kept when they are
  // all there is), deduplicated, in first-seen order.
  std::vector<std::string> query_terms(std::string_view text) const;

  // The distinct index terms of `text` without stop words, sorted: the term set that near-duplicate
  // similarity (similarity.h) compares. Stop-word pieces and parts are dropped, as in queries.
  std::vector<std::string> term_set(std::string_view text) const;

  // One term per chunk, the most specific one: the whole chunk when it has several pieces,
  // otherwise its (stemmed) piece. What `-word` excludes.
  std::vector<std::string> primary_terms(std::string_view text) const;

  // The stemmed piece terms only. A text that contains `text` verbatim at word boundaries
  // contains all of these terms (what a phrase pre-filter may rely on).
  std::vector<std::string> piece_terms(std::string_view text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True for a (case-folded) English stop word dropped from queries.
bool is_stop_word(std::string_view folded_word);

// `text` normalised for verbatim comparison: NFKC, case-folded, every run of white space turned
// into one ' ', invalid UTF-8 bytes replaced by U+FFFD. fold_for_match("Foo\n\tBAR") == "foo bar".
std::string fold_for_match(std::string_view text);

// True when folded `phrase` occurs in folded `haystack` at word boundaries: not preceded by a
// letter or digit when the phrase starts with one, not followed by one when it ends with one.
// Both arguments come from fold_for_match(). An empty phrase matches nothing.
bool contains_phrase(std::string_view haystack, std::string_view phrase);

}  // namespace storage
