// Query syntax of ranked search (DESIGN §4): words, "quoted phrases", -exclusions. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace storage {

// A parsed free-text query: `words` are OR-ranked; a `"quoted phrase"` ranks its words and boosts
// segments that contain it verbatim (case-insensitive); `+"phrase"` (exact mode) requires it;
// `-word` / `-"phrase"` exclude segments that contain them.
struct ParsedQuery {
  std::vector<std::string> words;     // raw words as typed (analyzed by the index)
  std::vector<std::string> phrases;   // verbatim matches boost, case-insensitive
  std::vector<std::string> required_phrases;  // `+"phrase"`: must appear verbatim
  std::vector<std::string> excluded;  // `-word`: segments with the word's term are dropped
  std::vector<std::string> excluded_phrases;  // `-"phrase"`: dropped when it appears verbatim
  std::string now;  // RFC 3339 clock for relative dates in the query ("yesterday"); empty: none
  bool empty() const { return words.empty() && phrases.empty() && required_phrases.empty(); }
};

ParsedQuery parse_query(std::string_view query);

// Caps on the work one query may ask for (issue 10 #20): every exclusion is a pass over the
// candidates' texts.
inline constexpr size_t kMaxQueryTerms = 64;       // words + "phrases" + +"required phrases"
inline constexpr size_t kMaxQueryExclusions = 16;  // -words + -"phrases"
// "" when `query` is within the caps, else why not, naming the cap.
std::string query_over_limits(const ParsedQuery& query);

}  // namespace storage
