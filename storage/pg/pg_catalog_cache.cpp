// PgEngine's catalogs (pg_engine_state.h "CachedProject"): one project's stash kept between calls
// and caught up from the changes log; working tiers loaded afresh.
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
  put_memory_working(catalog, key, project);
  return Status::ok_status();
}

Status PgEngine::State::catch_up(CachedProject& entry, const std::string& key) {
  Catalog& catalog = *entry.catalog;
  std::vector<JournalOp> ops;
  const auto put = [&](Segment segment) {
    segment.project_id = entry.project_id;
    JournalOp op;
    op.segment = std::move(segment);
    ops.push_back(std::move(op));
  };
  if (entry.seq < 0) {  // whole: the seq first, so that nothing committed between is skipped
    auto last = last_change(*conn, team, key);
    if (!last.ok()) return last.status();
    auto rows = load_stashed(*conn, team, key);
    if (!rows.ok()) return rows.status();
    for (Segment& segment : *rows) put(std::move(segment));
    entry.seq = *last;
  } else {
    auto changed = stashed_changes_since(*conn, team, key, entry.seq);
    if (!changed.ok()) return changed.status();
    if (!changed->ids.empty()) {
      auto rows = load_stashed_ids(*conn, team, key, entry.project_id, changed->ids);
      if (!rows.ok()) return rows.status();
      std::set<std::string> present;
      for (const Segment& segment : *rows) present.insert(segment.segment_id);
      const auto pit = catalog.projects().find(entry.project_id);
      for (const std::string& id : changed->ids) {
        if (present.count(id) != 0 || pit == catalog.projects().end() || pit->second.stashed.count(id) == 0) continue;
        JournalOp op;
        op.kind = JournalOp::Kind::kDelete;
        op.project_id = entry.project_id;
        op.segment_id = id;
        ops.push_back(std::move(op));
      }
      for (Segment& segment : *rows) put(std::move(segment));
    }
    entry.seq = changed->last_seq;
  }
  if (!ops.empty()) catalog.apply(JournalBatch{0, std::move(ops)});
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
    entry.seq = -1;
  }
  Catalog& catalog = *entry.catalog;
  catalog.set_root_path(project, row->size() == 1 ? std::string(row->text(0, 1)) : std::string());
  if (Status st = catch_up(entry, key); !st.ok()) {
    cache.erase(key);
    return st;
  }
  if (Status st = load_working_tier(catalog, key, project, working); !st.ok()) {
    cache.erase(key);
    return st;
  }
  return Opened{&catalog, project};
}

}  // namespace storage::pg
