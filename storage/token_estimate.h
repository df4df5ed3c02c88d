// Token estimate of a text, close to common BPE tokenizers (cl100k / o200k / Claude) on English
// prose and on code. A heuristic, documented in storage/FORMAT.md; clients may send their own.
#pragma once

#include <cstdint>
#include <string_view>

namespace storage {

// A word of up to 7 letters is one token, a longer one ceil(letters / 6) (BPE vocabularies hold
// most common words whole and split rare long ones), digit
// runs one token per 3 digits, each punctuation or symbol character one token, each run of
// whitespace containing a newline one token, other whitespace free; non-ASCII code points count
// as one token per 2 (CJK and accented text tokenizes densely). At least 1 for non-empty text.
int64_t estimate_tokens(std::string_view text);

}  // namespace storage
