#include "storage/pg/postings.h"

#include <nlohmann/json.hpp>

#include "storage/search/analyzer.h"
#include "storage/search/ranked_fields.h"

namespace storage::pg {
namespace {

const Analyzer& analyzer() {
  static const Analyzer instance;  // thread-safe (analyzer.h)
  return instance;
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

Status drop_postings(Connection& c, const std::string& team, const std::string& key, const std::string& id) {
  Status st = c.execute(
      "UPDATE ooc_project_stats ps SET segment_count = ps.segment_count - 1, total_length = ps.total_length - fl.length "
      "FROM ooc_field_lengths fl WHERE fl.team = $1 AND fl.project_key = $2 AND fl.segment_id = $3 "
      "AND ps.team = fl.team AND ps.project_key = fl.project_key AND ps.field = fl.field",
      {team, key, id});
  if (st.ok()) {
    st = c.execute("DELETE FROM ooc_postings WHERE team = $1 AND project_key = $2 AND segment_id = $3", {team, key, id});
  }
  if (st.ok()) {
    st = c.execute("DELETE FROM ooc_field_lengths WHERE team = $1 AND project_key = $2 AND segment_id = $3",
                   {team, key, id});
  }
  return st;
}

Status write_postings(Connection& c, const std::string& team, const std::string& key, const Segment& segment) {
  const FieldTerms terms = field_terms(analyzer(), segment);
  nlohmann::json postings = nlohmann::json::array();
  for (const auto& [term_field, tf] : terms.tf) {
    postings.push_back({{"t", term_field.first}, {"f", term_field.second}, {"c", tf}});
  }
  // Every field the segment has; the text field always (its count is the N of IDF).
  nlohmann::json lengths = nlohmann::json::array();
  for (int16_t f = 1; f <= kRankedFieldCount; ++f) {
    const uint32_t length = terms.lengths[static_cast<size_t>(f)];
    if (length > 0 || f == static_cast<int16_t>(RankedField::kText)) lengths.push_back({{"f", f}, {"l", length}});
  }
  Status st = c.execute(
      "INSERT INTO ooc_postings (team, project_key, term, field, segment_id, tf) "
      "SELECT $1, $2, u.t, u.f, $3, u.c FROM jsonb_to_recordset($4::jsonb) AS u(t text, f smallint, c integer)",
      {team, key, segment.segment_id, dump(postings)});
  if (st.ok()) {
    st = c.execute(
        "INSERT INTO ooc_field_lengths (team, project_key, segment_id, field, length) "
        "SELECT $1, $2, $3, u.f, u.l FROM jsonb_to_recordset($4::jsonb) AS u(f smallint, l integer)",
        {team, key, segment.segment_id, dump(lengths)});
  }
  if (st.ok()) {
    st = c.execute(
        "INSERT INTO ooc_project_stats (team, project_key, field, segment_count, total_length) "
        "SELECT $1, $2, u.f, 1, u.l FROM jsonb_to_recordset($3::jsonb) AS u(f smallint, l integer) "
        "ON CONFLICT (team, project_key, field) DO UPDATE SET "
        "segment_count = ooc_project_stats.segment_count + 1, "
        "total_length = ooc_project_stats.total_length + EXCLUDED.total_length",
        {team, key, dump(lengths)});
  }
  return st;
}

}  // namespace storage::pg
