// Query parsing for ranked search: see query.h.
#include "storage/search/query.h"

namespace storage {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

// `"quoted phrases"` boost, `+"phrase"` requires, `-word` / `-"phrase"` exclude; a '-' only negates at the start
// of a token that has more after it (`-` alone, `foo-bar` and `-42` are words). An unbalanced quote runs
// to the end of the query.
ParsedQuery parse_query(std::string_view query) {
  ParsedQuery out;
  size_t i = 0;
  while (i < query.size()) {
    if (is_space(query[i])) {
      ++i;
      continue;
    }
    // `-32601` (a JSON-RPC code, a negative number) is a word: a '-' before a digit never negates.
    const bool negate = query[i] == '-' && i + 1 < query.size() && !is_space(query[i + 1]) &&
                        !(query[i + 1] >= '0' && query[i + 1] <= '9');
    if (negate) ++i;
    const bool require = !negate && query[i] == '+' && i + 1 < query.size() && query[i + 1] == '"';
    if (require) ++i;
    if (query[i] == '"') {
      const size_t close = query.find('"', i + 1);
      const std::string_view body =
          trim(query.substr(i + 1, close == std::string_view::npos ? std::string_view::npos : close - i - 1));
      i = close == std::string_view::npos ? query.size() : close + 1;
      if (!body.empty()) (negate ? out.excluded_phrases : require ? out.required_phrases : out.phrases).emplace_back(body);
      continue;
    }
    size_t end = i;
    while (end < query.size() && !is_space(query[end]) && query[end] != '"') ++end;
    (negate ? out.excluded : out.words).emplace_back(query.substr(i, end - i));
    i = end;
  }
  return out;
}

std::string query_over_limits(const ParsedQuery& query) {
  const size_t searched = query.words.size() + query.phrases.size() + query.required_phrases.size();
  if (searched > kMaxQueryTerms) {
    return "query has " + std::to_string(searched) + " words and phrases; at most " + std::to_string(kMaxQueryTerms) +
           " are searched at once";
  }
  if (query.excluded.size() + query.excluded_phrases.size() > kMaxQueryExclusions) {
    return "query has " + std::to_string(query.excluded.size() + query.excluded_phrases.size()) +
           " -exclusions; at most " + std::to_string(kMaxQueryExclusions) + " are allowed";
  }
  return "";
}

}  // namespace storage
