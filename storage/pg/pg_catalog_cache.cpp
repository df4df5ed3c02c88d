// PgEngine's catalogs (pg_engine_state.h "CachedProject"): one project's stash kept between calls
// and caught up by row versions; working tiers loaded afresh.
#include <set>
#include <utility>

#include "storage/pg/pg_engine_state.h"
#include "storage/pg/segment_rows.h"

namespace storage::pg {

std::string PgEngine::State::project_key_of(const std::string& project) { return project_key(project); }

Status PgEngine::State::load_working_tier(Catalog& catalog, const std::string& key, const std::string& project,
                                          Working working) {
  ProjectState& p = catalog.project(project);
  std::vector<std::string> ids;
  for (const auto& [id, segment] : p.working) ids.push_back(id);
  for (const std::string& id : ids) catalog.erase_working(project, id);
  p.sessions.clear();
  const std::string& session = options.store.session_id;
  if (!session.empty()) {
    if (working == Working::kNone) return Status::ok_status();
    auto rows = load_working(*conn, team, key, working == Working::kAllSessions ? std::string() : session);
    if (!rows.ok()) return rows.status();
    for (auto& [session_of, segment] : *rows) catalog.put_session_working(session_of, std::move(segment));
    return Status::ok_status();
  }
  if (auto it = memory_working.find(key); it != memory_working.end()) {
    for (const auto& [id, segment] : it->second) {
      Segment copy = segment;
      copy.project_id = project;
      catalog.put_working(std::move(copy));
    }
  }
  return Status::ok_status();
}

Result<PgEngine::State::Opened> PgEngine::State::open_catalog(const std::string& requested, Working working) {
  if (requested == "*") {
    scratch = std::make_unique<Catalog>(options.store.session_id);
    auto loaded = load(*scratch, "*", working);
    if (!loaded.ok()) return loaded.status();
    return Opened{scratch.get(), *loaded};
  }
  const std::string key = project_key(requested);
  Result<Rows> row = conn->query(
      "SELECT project_id, COALESCE(root_path, '') FROM ooc_projects WHERE team = $1 AND project_key = $2", {team, key});
  if (!row.ok()) return row.status();
  const std::string project = row->size() == 1 ? std::string(row->text(0, 0)) : spelling_of(key, requested);
  CachedProject& entry = cache[key];
  if (entry.catalog == nullptr || entry.project_id != project) {
    entry.catalog = std::make_unique<Catalog>(options.store.session_id);
    entry.project_id = project;
    entry.versions.clear();
  }
  Catalog& catalog = *entry.catalog;
  catalog.set_root_path(project, row->size() == 1 ? std::string(row->text(0, 1)) : std::string());

  // Catch the stash up: rows gone, rows new or written again since this catalog read them.
  auto now = stashed_versions(*conn, team, key);
  if (!now.ok()) {
    cache.erase(key);
    return now.status();
  }
  std::vector<JournalOp> ops;
  for (const auto& [id, version] : entry.versions) {
    if (now->count(id) != 0) continue;
    JournalOp op;
    op.kind = JournalOp::Kind::kDelete;
    op.project_id = project;
    op.segment_id = id;
    ops.push_back(std::move(op));
  }
  std::vector<std::string> stale;
  for (const auto& [id, version] : *now) {
    auto it = entry.versions.find(id);
    if (it == entry.versions.end() || it->second != version) stale.push_back(id);
  }
  for (const JournalOp& op : ops) entry.versions.erase(op.segment_id);
  if (!stale.empty()) {
    auto rows = load_stashed_ids(*conn, team, key, stale);
    if (!rows.ok()) {
      cache.erase(key);
      return rows.status();
    }
    for (auto& [version, segment] : *rows) {
      entry.versions[segment.segment_id] = version;
      JournalOp op;
      op.segment = std::move(segment);
      ops.push_back(std::move(op));
    }
  }
  if (!ops.empty()) catalog.apply(JournalBatch{0, std::move(ops)});
  if (Status st = load_working_tier(catalog, key, project, working); !st.ok()) {
    cache.erase(key);
    return st;
  }
  return Opened{&catalog, project};
}

}  // namespace storage::pg
