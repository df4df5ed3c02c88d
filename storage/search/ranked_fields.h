// The fields of the ranked index and their BM25F weights (issue 12; ranked_index.cpp applies them),
// in one place for both engines: the team store records its postings per field
// (storage/pg/SCHEMA.md, ooc_postings) so that SQL can weigh them the same way.
//
// A segment's weighted term frequency of a term is the sum over fields of weight(field) times the
// term's occurrences there; its length (for BM25 length normalisation) is the number of text terms.
// Pure functions; thread-safe (Analyzer is).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "storage/search/analyzer.h"
#include "storage/segment.h"

namespace storage {

enum class RankedField : int16_t { kText = 1, kHeading = 2, kTag = 3, kPath = 4, kId = 5, kDate = 6, kType = 7 };
inline constexpr int16_t kRankedFieldCount = 7;

// On tests/storage/search/corpus these weights give MRR@10 0.977 / nDCG@10 0.946 against 0.959 /
// 0.933 with all weights 1 (the reasons: ranked_index.cpp).
constexpr uint32_t field_weight(RankedField field) {
  switch (field) {
    case RankedField::kText: return 1;
    case RankedField::kHeading: return 2;
    case RankedField::kTag: return 3;
    case RankedField::kPath: return 3;
    case RankedField::kId: return 4;
    case RankedField::kDate: return 1;
    case RankedField::kType: return 1;
  }
  return 1;
}

// The first markdown ATX heading of `text` (`# Title`, up to 3 leading spaces), without the '#'s.
std::string_view first_heading(std::string_view text);

// A segment_id term that is only a number or at most two characters: a sequence number, not a
// name, so it counts as text.
bool weak_id_term(const std::string& term);

struct FieldTerms {
  std::map<std::pair<std::string, int16_t>, uint32_t> tf;  // (term, field) -> occurrences (unweighted)
  std::array<uint32_t, kRankedFieldCount + 1> lengths{};   // terms per field, by field number
};

// Every index term of `segment` by field, as RankedIndex counts them. Weak segment_id terms are
// recorded under kText (their weight) but not in the text length, as in ranked_index.cpp.
FieldTerms field_terms(const Analyzer& analyzer, const Segment& segment);

}  // namespace storage
