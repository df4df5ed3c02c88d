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

void StatsDelta::add(const std::string& key, int16_t field, int64_t segments, int64_t length) {
  auto& delta = deltas_[{key, field}];
  delta.first += segments;
  delta.second += length;
}

Status StatsDelta::flush(Connection& c, const std::string& team) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [key_field, delta] : deltas_) {
    if (delta.first == 0 && delta.second == 0) continue;
    rows.push_back({{"k", key_field.first}, {"f", key_field.second}, {"n", delta.first}, {"l", delta.second}});
  }
  deltas_.clear();
  if (rows.empty()) return Status::ok_status();
  // An update first: a row's negative delta must never be checked as a row of its own. The
  // project's lock (pg_engine.h) keeps other writers of these rows out until the commit.
  const std::string json = dump(rows);
  Status st = c.execute(
      "UPDATE ooc_project_stats ps SET segment_count = ps.segment_count + u.n, total_length = ps.total_length + u.l "
      "FROM jsonb_to_recordset($2::jsonb) AS u(k text, f smallint, n bigint, l bigint) "
      "WHERE ps.team = $1 AND ps.project_key = u.k AND ps.field = u.f",
      {team, json});
  if (!st.ok()) return st;
  return c.execute(
      "INSERT INTO ooc_project_stats (team, project_key, field, segment_count, total_length) "
      "SELECT $1::text, u.k, u.f, u.n, u.l FROM jsonb_to_recordset($2::jsonb) AS u(k text, f smallint, n bigint, l bigint) "
      "WHERE NOT EXISTS (SELECT 1 FROM ooc_project_stats ps WHERE ps.team = $1::text AND ps.project_key = u.k "
      "AND ps.field = u.f)",
      {team, json});
}

Status drop_postings(Connection& c, const std::string& team, const std::string& key,
                     const std::vector<std::string>& ids, StatsDelta& stats) {
  if (ids.empty()) return Status::ok_status();
  nlohmann::json list = nlohmann::json::array();
  for (const std::string& id : ids) list.push_back(id);
  const std::string json = dump(list);
  Result<Rows> lengths = c.query(
      "DELETE FROM ooc_field_lengths WHERE team = $1 AND project_key = $2 "
      "AND segment_id IN (SELECT jsonb_array_elements_text($3::jsonb)) RETURNING field, length",
      {team, key, json});
  if (!lengths.ok()) return lengths.status();
  if (lengths->size() == 0) return Status::ok_status();  // no postings either
  for (size_t r = 0; r < lengths->size(); ++r) {
    stats.add(key, static_cast<int16_t>(lengths->integer(r, 0).value_or(0)), -1, -lengths->integer(r, 1).value_or(0));
  }
  return c.execute(
      "DELETE FROM ooc_postings WHERE team = $1 AND project_key = $2 "
      "AND segment_id IN (SELECT jsonb_array_elements_text($3::jsonb))",
      {team, key, json});
}

Status write_postings(Connection& c, const std::string& team, const std::string& key,
                      const std::vector<const Segment*>& segments, StatsDelta& stats) {
  if (segments.empty()) return Status::ok_status();
  nlohmann::json postings = nlohmann::json::array();
  nlohmann::json lengths = nlohmann::json::array();
  for (const Segment* segment : segments) {
    const FieldTerms terms = field_terms(analyzer(), *segment);
    for (const auto& [term_field, tf] : terms.tf) {
      postings.push_back({{"s", segment->segment_id}, {"t", term_field.first}, {"f", term_field.second}, {"c", tf}});
    }
    // Every field the segment has; the text field always (its count is the N of IDF).
    for (int16_t f = 1; f <= kRankedFieldCount; ++f) {
      const uint32_t length = terms.lengths[static_cast<size_t>(f)];
      if (length == 0 && f != static_cast<int16_t>(RankedField::kText)) continue;
      lengths.push_back({{"s", segment->segment_id}, {"f", f}, {"l", length}});
      stats.add(key, f, 1, length);
    }
  }
  Status st = c.execute(
      "INSERT INTO ooc_postings (team, project_key, term, field, segment_id, tf) "
      "SELECT $1, $2, u.t, u.f, u.s, u.c FROM jsonb_to_recordset($3::jsonb) AS u(s text, t text, f smallint, c integer)",
      {team, key, dump(postings)});
  if (!st.ok()) return st;
  return c.execute(
      "INSERT INTO ooc_field_lengths (team, project_key, segment_id, field, length) "
      "SELECT $1, $2, u.s, u.f, u.l FROM jsonb_to_recordset($3::jsonb) AS u(s text, f smallint, l integer)",
      {team, key, dump(lengths)});
}

}  // namespace storage::pg
