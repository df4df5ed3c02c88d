// Search-result snippets: a window of words around the densest cluster of query matches.
// Pure functions; the analysis is the ranked index's (analyzer.h), so a snippet shows what matched.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "storage/search/query.h"

namespace storage {

// About 30 words of `text` around the densest cluster of query matches, with "…" where cut.
// Never the whole text when it is longer than that. Falls back to the opening words.
std::string make_snippet(std::string_view text, const ParsedQuery& query, size_t max_words = 30);

}  // namespace storage
