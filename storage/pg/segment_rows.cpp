#include "storage/pg/segment_rows.h"

#include <simdjson.h>

#include <algorithm>
#include <set>

#include "storage/segment_json.h"

namespace storage::pg {
namespace {

// The columns every segment table shares, and how a JSON parameter `j` (segment_to_json's shape)
// fills them. Tags and supersedes keep their order (WITH ORDINALITY).
#define OOC_SEGMENT_COLUMNS                                                                                 \
  "segment_id, revision, type, text, task_id, file_path, topic_id, line_start, line_end, tags, created_at, " \
  "last_touched_at, pinned, generation, gc_survival_count, refcount, tokens, tier, metadata, supersedes, "   \
  "superseded_by"
#define OOC_SEGMENT_VALUES                                                                                       \
  "j->>'segment_id', (j->>'revision')::bigint, j->>'type', j->>'text', j->>'task_id', j->>'file_path', "          \
  "j->>'topic_id', (j->'line_range'->>0)::bigint, (j->'line_range'->>1)::bigint, "                                \
  "ARRAY(SELECT t FROM jsonb_array_elements_text(COALESCE(j->'tags', '[]')) WITH ORDINALITY AS e(t, n) "          \
  "ORDER BY n), "                                                                                                 \
  "(j->>'created_at')::timestamptz, (j->>'last_touched_at')::timestamptz, (j->>'pinned')::boolean, "              \
  "j->>'generation', (j->>'gc_survival_count')::bigint, (j->>'refcount')::bigint, (j->>'tokens')::bigint, "       \
  "$4, COALESCE(j->'metadata', '{}'), "                                                                       \
  "ARRAY(SELECT t FROM jsonb_array_elements_text(COALESCE(j->'supersedes', '[]')) WITH ORDINALITY AS e(t, n) "   \
  "ORDER BY n), j->>'superseded_by'"
#define OOC_SEGMENT_UPDATE                                                                                    \
  "revision = EXCLUDED.revision, type = EXCLUDED.type, text = EXCLUDED.text, task_id = EXCLUDED.task_id, "      \
  "file_path = EXCLUDED.file_path, topic_id = EXCLUDED.topic_id, line_start = EXCLUDED.line_start, "            \
  "line_end = EXCLUDED.line_end, tags = EXCLUDED.tags, created_at = EXCLUDED.created_at, "                      \
  "last_touched_at = EXCLUDED.last_touched_at, pinned = EXCLUDED.pinned, generation = EXCLUDED.generation, "    \
  "gc_survival_count = EXCLUDED.gc_survival_count, refcount = EXCLUDED.refcount, tokens = EXCLUDED.tokens, "    \
  "metadata = EXCLUDED.metadata, supersedes = EXCLUDED.supersedes, superseded_by = EXCLUDED.superseded_by"
// A row as segment_to_json's shape (nulls dropped), timestamps as canonical RFC 3339.
#define OOC_SEGMENT_JSON                                                                                          \
  "jsonb_strip_nulls(jsonb_build_object('segment_id', s.segment_id, 'text', s.text, 'type', s.type, "              \
  "'project_id', p.project_id, 'task_id', s.task_id, 'file_path', s.file_path, 'topic_id', s.topic_id, "          \
  "'line_range', CASE WHEN s.line_start IS NULL THEN NULL ELSE jsonb_build_array(s.line_start, s.line_end) END, " \
  "'tags', to_jsonb(s.tags), "                                                                                    \
  "'created_at', to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "                 \
  "'last_touched_at', to_char(s.last_touched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "       \
  "'pinned', s.pinned, 'generation', s.generation, 'gc_survival_count', s.gc_survival_count, "                    \
  "'refcount', s.refcount, 'tokens', s.tokens, 'tier', s.tier, 'metadata', s.metadata, "                          \
  "'supersedes', to_jsonb(s.supersedes), 'superseded_by', s.superseded_by, 'revision', s.revision))::text"

std::string dump_json(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

std::string json_of(const Segment& segment) { return dump_json(segment_to_json(segment)); }

Status record_change(Connection& c, const std::string& team, const std::string& key, const std::string& id,
                     const char* op, const std::string& session, int64_t revision) {
  return c.execute(
      "INSERT INTO ooc_changes (team, project_key, segment_id, op, session_id, revision) "
      "VALUES ($1, $2, NULLIF($3, ''), $4, NULLIF($5, ''), NULLIF($6, '0')::bigint)",
      {team, key, id, op, session, Param::integer(revision)});
}

Result<std::vector<Segment>> decode_rows(const Rows& rows, size_t column) {
  std::vector<Segment> out;
  out.reserve(rows.size());
  simdjson::dom::parser parser;
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::string_view text = rows.text(r, column);
    simdjson::dom::element element;
    if (parser.parse(simdjson::padded_string(text)).get(element) != simdjson::SUCCESS) {
      return Status::corruption("a segment row did not read back as JSON");
    }
    Result<Segment> segment = segment_from_element(element);
    if (!segment.ok()) return segment.status();
    out.push_back(std::move(segment).value());
  }
  return out;
}

}  // namespace

std::string project_key(const std::string& project_id) {
  std::string key = project_id;
  for (char& ch : key) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return key;
}

Result<std::string> ensure_project(Connection& c, const std::string& team, const std::string& project_id) {
  Result<Rows> inserted = c.query(
      "INSERT INTO ooc_projects (team, project_id) VALUES ($1, $2) ON CONFLICT (team, project_key) DO NOTHING "
      "RETURNING project_id",
      {team, project_id});
  if (!inserted.ok()) return inserted.status();
  if (inserted->size() == 1) {
    if (Status st = record_change(c, team, project_key(project_id), "", "project", "", 0); !st.ok()) return st;
    return std::string(inserted->text(0, 0));
  }
  Result<Rows> existing =
      c.query("SELECT project_id FROM ooc_projects WHERE team = $1 AND project_key = $2", {team, project_key(project_id)});
  if (!existing.ok()) return existing.status();
  if (existing->size() != 1) return Status::io_error("project '" + project_id + "' is not visible to this role");
  return std::string(existing->text(0, 0));
}

Result<std::vector<ProjectRow>> load_projects(Connection& c, const std::string& team) {
  Result<Rows> rows = c.query(
      "SELECT project_id, COALESCE(root_path, '') FROM ooc_projects WHERE team = $1 ORDER BY project_id", {team});
  if (!rows.ok()) return rows.status();
  std::vector<ProjectRow> out;
  for (size_t r = 0; r < rows->size(); ++r) {
    out.push_back({std::string(rows->text(r, 0)), std::string(rows->text(r, 1))});
  }
  return out;
}

Result<std::vector<Segment>> load_stashed(Connection& c, const std::string& team, const std::string& key) {
  Result<Rows> rows = c.query(
      "SELECT " OOC_SEGMENT_JSON " FROM ooc_segments s JOIN ooc_projects p "
      "ON p.team = s.team AND p.project_key = s.project_key "
      "WHERE s.team = $1 AND ($2 = '*' OR s.project_key = $2) ORDER BY s.project_key, s.segment_id",
      {team, key});
  if (!rows.ok()) return rows.status();
  return decode_rows(*rows, 0);
}

Result<std::vector<std::pair<std::string, Segment>>> load_working(Connection& c, const std::string& team,
                                                                  const std::string& key, const std::string& session) {
  Result<Rows> rows = c.query(
      "SELECT s.session_id, " OOC_SEGMENT_JSON " FROM ooc_working s JOIN ooc_projects p "
      "ON p.team = s.team AND p.project_key = s.project_key "
      "WHERE s.team = $1 AND ($2 = '*' OR s.project_key = $2) AND ($3 = '' OR s.session_id = $3) "
      "ORDER BY s.session_id, s.project_key, s.segment_id",
      {team, key, session});
  if (!rows.ok()) return rows.status();
  Result<std::vector<Segment>> segments = decode_rows(*rows, 1);
  if (!segments.ok()) return segments.status();
  std::vector<std::pair<std::string, Segment>> out;
  for (size_t r = 0; r < rows->size(); ++r) {
    out.emplace_back(std::string(rows->text(r, 0)), std::move((*segments)[r]));
  }
  return out;
}

Result<StashedChanges> stashed_changes_since(Connection& c, const std::string& team, const std::string& key,
                                             int64_t after) {
  // Only stashed puts and deletes: they alone are written under the project's lock, which is what
  // orders their seqs as their commits (segment_rows.h).
  Result<Rows> rows = c.query(
      "SELECT segment_id, seq FROM ooc_changes "
      "WHERE team = $1 AND project_key = $2 AND seq > $3::bigint AND op IN ('put', 'delete') ORDER BY seq",
      {team, key, Param::integer(after)});
  if (!rows.ok()) return rows.status();
  StashedChanges out;
  out.last_seq = after;
  std::set<std::string> seen;
  for (size_t r = 0; r < rows->size(); ++r) {
    out.last_seq = std::max(out.last_seq, rows->integer(r, 1).value_or(after));
    std::string id(rows->text(r, 0));
    if (seen.insert(id).second) out.ids.push_back(std::move(id));
  }
  return out;
}

Result<int64_t> last_change(Connection& c, const std::string& team, const std::string& key) {
  Result<Rows> rows =
      c.query("SELECT COALESCE(max(seq), 0) FROM ooc_changes WHERE team = $1 AND project_key = $2 "
              "AND op IN ('put', 'delete')", {team, key});
  if (!rows.ok()) return rows.status();
  return rows->integer(0, 0).value_or(0);
}

Result<std::vector<Segment>> load_stashed_ids(Connection& c, const std::string& team, const std::string& key,
                                              const std::string& project_id, const std::vector<std::string>& ids) {
  // A few ids (a call's catch-up, usually): one full primary-key lookup each, which the planner
  // cannot get wrong. For `= ANY` it weighs an index condition against a filter by its statistics,
  // and a project written since the last ANALYZE looks like one row: it filtered every row of a
  // new 10k project (6 ms a call) until autovacuum analyzed the table.
  constexpr size_t kOneByOne = 16;
  if (ids.size() <= kOneByOne) {
    std::vector<Segment> out;
    for (const std::string& id : ids) {
      Result<Rows> rows = c.query(
          "SELECT " OOC_SEGMENT_JSON " FROM ooc_segments s CROSS JOIN (SELECT $4::text AS project_id) AS p "
          "WHERE s.team = $1 AND s.project_key = $2 AND s.segment_id = $3",
          {team, key, id, project_id});
      if (!rows.ok()) return rows.status();
      auto segments = decode_rows(*rows, 0);
      if (!segments.ok()) return segments.status();
      for (Segment& segment : *segments) out.push_back(std::move(segment));
    }
    return out;
  }
  std::string array = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    array += i == 0 ? "\"" : ",\"";
    for (char ch : ids[i]) {
      if (ch == '"' || ch == '\\') array += '\\';
      array += ch;
    }
    array += '"';
  }
  array += "}";
  Result<Rows> rows = c.query(
      "SELECT " OOC_SEGMENT_JSON " FROM ooc_segments s CROSS JOIN (SELECT $4::text AS project_id) AS p "
      "WHERE s.team = $1 AND s.project_key = $2 AND s.segment_id = ANY ($3::text[] COLLATE \"C\")",
      {team, key, array, project_id});
  if (!rows.ok()) return rows.status();
  return decode_rows(*rows, 0);
}

Status put_stashed(Connection& c, const std::string& team, const std::vector<const Segment*>& segments) {
  if (segments.empty()) return Status::ok_status();
  const std::string key = project_key(segments.front()->project_id);
  nlohmann::json rows = nlohmann::json::array();
  nlohmann::json changes = nlohmann::json::array();
  for (const Segment* segment : segments) {
    rows.push_back(segment_to_json(*segment));
    changes.push_back({{"s", segment->segment_id}, {"r", segment->revision}});
  }
  Status st = c.execute(
      "INSERT INTO ooc_segments (team, project_key, " OOC_SEGMENT_COLUMNS ") "
      "SELECT $1, $2, " OOC_SEGMENT_VALUES " FROM jsonb_array_elements($3::jsonb) AS input(j) "
      "ON CONFLICT (team, project_key, segment_id) DO UPDATE SET " OOC_SEGMENT_UPDATE,
      {team, key, dump_json(rows), "stashed"});
  if (!st.ok()) return st;
  return c.execute(
      "INSERT INTO ooc_changes (team, project_key, segment_id, op, revision) "
      "SELECT $1, $2, u.s, 'put', u.r FROM jsonb_to_recordset($3::jsonb) AS u(s text, r bigint)",
      {team, key, dump_json(changes)});
}

Status delete_stashed(Connection& c, const std::string& team, const std::string& project_id, const std::string& id) {
  const std::string key = project_key(project_id);
  Result<Rows> gone = c.query(
      "DELETE FROM ooc_segments WHERE team = $1 AND project_key = $2 AND segment_id = $3 RETURNING 1", {team, key, id});
  if (!gone.ok()) return gone.status();
  if (gone->size() == 0) return Status::ok_status();
  return record_change(c, team, key, id, "delete", "", 0);
}

Status put_working(Connection& c, const std::string& team, const std::string& session, const Segment& segment) {
  const std::string key = project_key(segment.project_id);
  Status st = c.execute(
      "INSERT INTO ooc_working (team, session_id, project_key, " OOC_SEGMENT_COLUMNS ") "
      "SELECT $1, $5, $2, " OOC_SEGMENT_VALUES " FROM (SELECT $3::jsonb AS j) AS input "
      "ON CONFLICT (team, session_id, project_key, segment_id) DO UPDATE SET " OOC_SEGMENT_UPDATE,
      {team, key, json_of(segment), "working", session});
  if (!st.ok()) return st;
  return record_change(c, team, key, segment.segment_id, "working_put", session, segment.revision);
}

Status delete_working(Connection& c, const std::string& team, const std::string& session,
                      const std::string& project_id, const std::string& id) {
  const std::string key = project_key(project_id);
  Result<Rows> gone = c.query(
      "DELETE FROM ooc_working WHERE team = $1 AND session_id = $2 AND project_key = $3 AND segment_id = $4 "
      "RETURNING 1",
      {team, session, key, id});
  if (!gone.ok()) return gone.status();
  if (gone->size() == 0) return Status::ok_status();
  return record_change(c, team, key, id, "working_delete", session, 0);
}

Status bind_root_path(Connection& c, const std::string& team, const std::string& project_id,
                      const std::string& root_path) {
  const std::string key = project_key(project_id);
  Status st = c.execute("UPDATE ooc_projects SET root_path = $3 WHERE team = $1 AND project_key = $2",
                        {team, key, root_path});
  if (!st.ok()) return st;
  return record_change(c, team, key, "", "project", "", 0);
}

}  // namespace storage::pg
