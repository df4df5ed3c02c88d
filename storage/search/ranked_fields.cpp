#include "storage/search/ranked_fields.h"

#include <algorithm>
#include <vector>

#include "storage/search/date_terms.h"
#include "storage/search/expansion.h"

namespace storage {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

uint32_t add(FieldTerms& out, const std::vector<std::string>& terms, RankedField field) {
  for (const std::string& term : terms) ++out.tf[{term, static_cast<int16_t>(field)}];
  return static_cast<uint32_t>(terms.size());
}

}  // namespace

std::string_view first_heading(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    size_t i = 0;
    while (i < 3 && i < line.size() && line[i] == ' ') ++i;
    size_t hashes = 0;
    while (i + hashes < line.size() && line[i + hashes] == '#') ++hashes;
    const size_t after = i + hashes;
    if (hashes >= 1 && hashes <= 6 && (after == line.size() || line[after] == ' ' || line[after] == '\t')) {
      return trim(line.substr(after));
    }
    pos = eol + 1;
  }
  return {};
}

bool weak_id_term(const std::string& term) {
  return term.size() <= 2 || std::all_of(term.begin(), term.end(), [](char c) { return c >= '0' && c <= '9'; });
}

FieldTerms field_terms(const Analyzer& analyzer, const Segment& segment) {
  FieldTerms out;
  std::vector<std::string> terms;
  const auto field = [&](std::string_view value, RankedField f) {
    terms.clear();
    analyzer.index_terms(value, terms);
    out.lengths[static_cast<size_t>(f)] += add(out, terms, f);
  };
  field(segment.text, RankedField::kText);
  field(first_heading(segment.text), RankedField::kHeading);
  for (const std::string& tag : segment.tags) field(tag, RankedField::kTag);
  if (segment.file_path) field(*segment.file_path, RankedField::kPath);
  terms.clear();
  analyzer.index_terms(segment.segment_id, terms);
  for (const std::string& term : terms) {
    ++out.tf[{term, static_cast<int16_t>(weak_id_term(term) ? RankedField::kText : RankedField::kId)}];
  }
  out.lengths[static_cast<size_t>(RankedField::kId)] += static_cast<uint32_t>(terms.size());
  terms.clear();
  created_at_terms(segment.created_at, terms);
  out.lengths[static_cast<size_t>(RankedField::kDate)] += add(out, terms, RankedField::kDate);
  terms = {type_term(to_string(segment.type))};
  out.lengths[static_cast<size_t>(RankedField::kType)] += add(out, terms, RankedField::kType);
  return out;
}

}  // namespace storage
