// Query syntax of ranked search (DESIGN §4): words, "quoted phrases", -exclusions. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace storage {

// A parsed free-text query: `words` are OR-ranked; `"quoted phrases"` must appear verbatim
// (case-insensitive); `-word` / `-"phrase"` exclude segments that contain them.
struct ParsedQuery {
  std::vector<std::string> words;     // raw words as typed (analyzed by the index)
  std::vector<std::string> phrases;   // required, verbatim, case-insensitive
  std::vector<std::string> excluded;  // `-word`: segments with the word's term are dropped
  std::vector<std::string> excluded_phrases;  // `-"phrase"`: dropped when it appears verbatim
  bool empty() const { return words.empty() && phrases.empty(); }
};

ParsedQuery parse_query(std::string_view query);

}  // namespace storage
