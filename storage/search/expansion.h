// Query expansion for ranked search (issue 12, class "words differ"): extra, lower-weighted terms
// that let a query reach segments worded differently. Lexical only; each rule looks terms up in the
// index, so expansion never invents terms the index lacks.
//
//  - type words: a query word that names a segment type ("decide(d)", "decision(s)", "ADR" ->
//    decision; "summary", "recap" -> summary; "log(s)"; "code", "function"; "message", "chat",
//    "conversation", "said"; "note(s)") adds the
//    type term "@t<type>" that every segment carries (weight 1: the type field is low-weight by
//    nature, a term of one segment in several).
//  - abbreviations: a long word also looks up its longest indexed prefix of 3+ letters that stops
//    at least 3 letters short ("authentication" -> `auth`, "configuration" -> `config`);
//  - prefixes: a short word (3-5 letters) also looks up up to 4 longer indexed words it starts
//    (`kube` -> kubernetes, `perf` -> performance);
//  - identifier splitting both ways: a run-together word also looks up its two halves when both
//    are indexed ("ratelimit" -> rate, limit), and two adjacent words their join ("rate limit" ->
//    ratelimit).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/search/analyzer.h"

namespace storage {

struct WeightedTerm {
  std::string term;
  double weight = 1;
};

struct TermLookup {
  // True when `term` is in the index (some live segment has it).
  std::function<bool(const std::string&)> has;
  // Up to `max` indexed terms that start with `prefix` and are longer, the most frequent first.
  std::function<std::vector<std::string>(std::string_view prefix, size_t max)> with_prefix;
};

// The expansion terms of the query `words` (as typed), none of them in `already` (the query's own
// terms). Weights are below 1 except for type terms.
std::vector<WeightedTerm> expand_query(const Analyzer& analyzer, const std::vector<std::string>& words,
                                       const std::vector<std::string>& already, const TermLookup& lookup);

// The type term every segment of `type` carries ("@tdecision").
std::string type_term(std::string_view type_name);

}  // namespace storage
