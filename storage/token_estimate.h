// Token estimate of a text, within about 5 % of cl100k_base counts on prose, code, logs and JSON
// (o200k_base counts the test corpus within 0.5 % of cl100k). A heuristic, documented in
// storage/FORMAT.md and measured by tests/storage/token_accuracy_test.cpp; clients may send their
// own count.
#pragma once

#include <cstdint>
#include <string_view>

namespace storage {

// Splits the text the way cl100k's pre-tokenizer does (a word with the space or one symbol before
// it, contractions, groups of up to 3 digits, symbol runs with the space before them, runs of line
// breaks, runs of spaces) and sums a cost per piece, rounded once at the end:
//   - a word is cut into humps (get|HTTP|Server); a lowercase or Capitalized hump of up to 5
//     letters is 1 token, +1/10 per further letter; an ALL-CAPS hump 1, +1/5 per letter past 2;
//     +0.3 for a word glued to a symbol (`.get`), +0.3 for a capitalized word with no space
//     before it; accented Latin letters +1 each, Greek/Cyrillic/other letters 1/2 each, CJK 1 each;
//   - a contraction, a digit group, a run of line breaks: 1; other white space 1 per 64;
//   - an ASCII symbol run: 1 up to 2 symbols, then 1/2 per symbol (1 + 1/8 per symbol past 2 for
//     one repeated symbol such as `-----`); each non-ASCII symbol 1 more.
// At least 1 for non-empty text. Linear time, no allocation; bytes that are not UTF-8 count as
// symbols.
int64_t estimate_tokens(std::string_view text);

}  // namespace storage
