// Segments as rows of ooc_segments (stashed) and ooc_working (working sets) (issue 14; the columns
// in SCHEMA.md). A segment travels to the server as one JSON parameter (segment_json.h's shape)
// that the statement takes apart into columns, and comes back as one JSON text built by the
// server in the same shape, decoded by segment_json.h: one codec for both engines.
//
// Every statement is constant text; values are parameters. The caller holds the transaction.
// Failures are Status values (pg_error.h). Not thread-safe (one Connection).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "storage/pg/connection.h"
#include "storage/segment.h"
#include "storage/status.h"

namespace storage::pg {

// The project key of `project_id`: its ASCII lower case (SCHEMA.md "Conventions").
std::string project_key(const std::string& project_id);

// Creates the project row when missing (its id as first written); the id as stored.
Result<std::string> ensure_project(Connection& c, const std::string& team, const std::string& project_id);

// The stored spelling and root path of the project with `project_id`'s key, if any.
struct ProjectRow {
  std::string project_id;
  std::string root_path;
};
Result<std::vector<ProjectRow>> load_projects(Connection& c, const std::string& team);

// Stashed segments of one project (key), or of every project of the team when `key` is "*".
Result<std::vector<Segment>> load_stashed(Connection& c, const std::string& team, const std::string& key);
// Working segments of one project (key; "*": every project), with their session ids. `session`
// empty: every session's.
Result<std::vector<std::pair<std::string, Segment>>> load_working(Connection& c, const std::string& team,
                                                                  const std::string& key, const std::string& session);

// The stashed segments of one project put or deleted by changes after `after` (ooc_changes.seq),
// each id once, and the last seq of those changes (`after` when there is none newer).
// Sound as a catch-up because every stashed write of a project holds the project's lock until it
// commits (pg_engine.h): a change not yet visible has a higher seq than every visible one.
struct StashedChanges {
  std::vector<std::string> ids;
  int64_t last_seq = 0;
};
Result<StashedChanges> stashed_changes_since(Connection& c, const std::string& team, const std::string& key,
                                             int64_t after);
// The last seq of the project's stashed puts and deletes (0: none).
Result<int64_t> last_change(Connection& c, const std::string& team, const std::string& key);
// The stashed segments `ids` of one project (key; `project_id` as stored) that exist, in no order.
Result<std::vector<Segment>> load_stashed_ids(Connection& c, const std::string& team, const std::string& key,
                                              const std::string& project_id, const std::vector<std::string>& ids);

// Upserts, deletes and the changes rows that record them (op put / delete / working_put /
// working_delete). The project row must exist.
// put_stashed writes `segments` (one project's, distinct ids) with five statements in all.
Status put_stashed(Connection& c, const std::string& team, const std::vector<const Segment*>& segments);
Status delete_stashed(Connection& c, const std::string& team, const std::string& project_id, const std::string& id);
Status put_working(Connection& c, const std::string& team, const std::string& session, const Segment& segment);
Status delete_working(Connection& c, const std::string& team, const std::string& session,
                      const std::string& project_id, const std::string& id);
Status bind_root_path(Connection& c, const std::string& team, const std::string& project_id,
                      const std::string& root_path);

}  // namespace storage::pg
