// PgEngine's session calls (pg_engine.h "Sessions"; FORMAT.md "Sessions" for the semantics):
// end_session, checkpoint_working with dead-session recovery, claim_project.
#include <set>
#include <utility>

#include <spdlog/spdlog.h>

#include "storage/pg/pg_engine.h"
#include "storage/pg/pg_engine_state.h"
#include "storage/pg/segment_rows.h"
#include "storage/sessions.h"

namespace storage::pg {
Result<size_t> PgEngine::end_session() {
  State& s = *state_;
  const std::string& session = s.options.store.session_id;
  if (session.empty()) return size_t{0};
  std::lock_guard lock(s.mu);
  if (s.session_lock_key == 0) return size_t{0};  // nothing was ever stored under it
  auto tx = s.begin(true);
  if (!tx.ok()) return tx.status();
  Result<Rows> keys = s.conn->query(
      "SELECT DISTINCT project_key FROM ooc_working WHERE team = $1 AND session_id = $2 ORDER BY 1", {s.team, session});
  if (!keys.ok()) return keys.status();
  Catalog catalog(session);
  for (size_t r = 0; r < keys->size(); ++r) {  // in key order: no lock cycle with another multi-project call
    const std::string key(keys->text(r, 0));
    if (Status st = s.lock_project(key); !st.ok()) return st;
    if (auto loaded = s.load(catalog, key, Working::kOwn); !loaded.ok()) return loaded.status();
  }
  std::vector<JournalOp> ops = plan_unstash(catalog, session, "*", /*move=*/true, s.options.store.limits.max_tags);
  const size_t n = count_puts(ops);
  s.wrote = true;  // ooc_sessions.ended_at
  if (Status st = s.apply(catalog, ops); !st.ok()) return st;
  if (Status st = s.conn->execute("UPDATE ooc_sessions SET ended_at = now() WHERE team = $1 AND session_id = $2",
                                  {s.team, session});
      !st.ok()) {
    return st;
  }
  if (Status st = s.commit(*tx); !st.ok()) return st;
  const int64_t key = s.session_lock_key;
  s.session_lock_key = 0;
  if (Status st = s.conn->execute("SELECT pg_advisory_unlock($1::bigint)", {Param::integer(key)}); !st.ok()) return st;
  return n;
}

Result<size_t> PgEngine::State::recover_dead(Catalog& catalog, const std::string& project,
                                             std::vector<int64_t>& recovered_locks, std::vector<std::string>& live) {
  size_t recovered = 0;
  for (const std::string& session : other_sessions(catalog, project)) {
    // A lock nobody holds: the owner is gone. Taking it (session level) keeps a second recoverer
    // out until this call is done; the project lock already serializes the moves themselves.
    Result<Rows> probe = conn->query(
        "SELECT lock_key, pg_try_advisory_lock(lock_key) FROM ooc_sessions WHERE team = $1 AND session_id = $2",
        {team, session});
    if (!probe.ok()) return probe.status();
    if (probe->size() != 1 || probe->text(0, 1) != "t") {
      live.push_back(session);
      continue;
    }
    recovered_locks.push_back(probe->integer(0, 0).value_or(0));
    std::vector<JournalOp> moved = plan_unstash(catalog, session, project, /*move=*/true, options.store.limits.max_tags);
    recovered += count_puts(moved);
    if (Status st = apply(catalog, moved); !st.ok()) return st;
    if (Status st = conn->execute(
            "UPDATE ooc_sessions SET ended_at = now() WHERE team = $1 AND session_id = $2 AND NOT EXISTS "
            "(SELECT 1 FROM ooc_working w WHERE w.team = $1 AND w.session_id = $2)",
            {team, session});
        !st.ok()) {
      return st;
    }
  }
  return recovered;
}

void PgEngine::State::recover_at_open() {
  // Only a role that may write the team's rows can move them (a read-only member would log a
  // refused write at every start): a writing member, or a role that row-level security does not
  // bind (SCHEMA.md).
  Result<Rows> writer = conn->query(
      "SELECT EXISTS (SELECT 1 FROM ooc_member_teams(true) AS t WHERE t = $1) OR "
      "(SELECT rolsuper OR rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = current_user)",
      {team});
  if (!writer.ok() || writer->text(0, 0) != "t") return;
  // The projects where other sessions have working segments: each is recovered in a transaction
  // of its own, under its lock, as checkpoint_working does (only the dead sessions' part).
  Result<Rows> keys = conn->query(
      "SELECT DISTINCT project_key FROM ooc_working WHERE team = $1 AND session_id <> $2 ORDER BY 1",
      {team, options.store.session_id});
  if (!keys.ok()) {
    spdlog::warn("cannot look for the working sets of ended sessions: {}", keys.status().to_string());
    return;
  }
  for (size_t r = 0; r < keys->size(); ++r) {
    const std::string key(keys->text(r, 0));
    Status st = [&]() -> Status {
      auto tx = begin(true);
      if (!tx.ok()) return tx.status();
      if (Status locked = lock_project(key); !locked.ok()) return locked;
      Catalog catalog(options.store.session_id);
      auto project = load(catalog, key, Working::kAllSessions);
      if (!project.ok()) return project.status();
      std::vector<int64_t> locks;
      std::vector<std::string> live;
      auto moved = recover_dead(catalog, *project, locks, live);
      Status committed = moved.ok() ? commit(*tx) : moved.status();
      for (int64_t lock_key : locks) {
        (void)conn->execute("SELECT pg_advisory_unlock($1::bigint)", {Param::integer(lock_key)});
      }
      if (committed.ok() && *moved > 0) {
        spdlog::info("{} working segments of ended sessions moved to the stash of project {}", *moved, *project);
      }
      return committed;
    }();
    if (!st.ok()) spdlog::warn("cannot recover the working sets of ended sessions: {}", st.to_string());
  }
}

Result<size_t> PgEngine::checkpoint_working(const std::string& requested) {
  Status args =
      requested == "*" ? Status::invalid_argument("project_id '*': name one project") : validate_project_id(requested);
  if (!args.ok()) return args;
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(true);
  if (!tx.ok()) return tx.status();
  if (Status st = s.lock_project(project_key(requested)); !st.ok()) return st;
  Catalog catalog(s.options.store.session_id);
  auto project = s.load(catalog, requested, Working::kAllSessions);
  if (!project.ok()) return project.status();
  std::vector<JournalOp> ops;
  std::vector<int64_t> recovered_locks;  // dead sessions' locks this call took: released after the commit
  std::vector<std::string> live;
  auto recovered = s.recover_dead(catalog, *project, recovered_locks, live);
  if (!recovered.ok()) return recovered.status();
  if (!s.options.store.session_id.empty()) live.push_back(s.options.store.session_id);
  const ProjectState& p = catalog.project(*project);
  for (const std::string& session : live) {
    for (JournalOp& op : plan_unstash(catalog, session, *project, /*move=*/false, s.options.store.limits.max_tags)) {
      auto old = p.stashed.find(op.segment.segment_id);
      if (old != p.stashed.end() && same_content(op.segment, old->second)) continue;
      ops.push_back(std::move(op));
    }
  }
  const size_t n = ops.size();
  if (Status st = s.apply(catalog, ops); !st.ok()) return st;
  Status committed = s.commit(*tx);
  for (int64_t key : recovered_locks) {
    (void)s.conn->execute("SELECT pg_advisory_unlock($1::bigint)", {Param::integer(key)});
  }
  if (!committed.ok()) return committed;
  return *recovered + n;
}

Result<std::string> PgEngine::claim_project(const std::string& wanted_id, const std::string& root_path) {
  Status args = validate_project_id(wanted_id);
  if (args.ok() && root_path.empty()) args = Status::invalid_argument("root_path: must not be empty");
  if (!args.ok()) return args;
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(true);
  if (!tx.ok()) return tx.status();
  if (Status st = s.lock_project("*claims"); !st.ok()) return st;  // one claim at a time per team
  Result<Rows> rows = s.conn->query(
      "SELECT p.project_id, COALESCE(p.root_path, ''), "
      "EXISTS (SELECT 1 FROM ooc_segments g WHERE g.team = p.team AND g.project_key = p.project_key) OR "
      "EXISTS (SELECT 1 FROM ooc_working w WHERE w.team = p.team AND w.project_key = p.project_key) "
      "FROM ooc_projects p WHERE p.team = $1 ORDER BY p.project_id",
      {s.team});
  if (!rows.ok()) return rows.status();
  struct Known {
    std::string root_path;
    bool has_segments = false;
  };
  std::map<std::string, Known> known;  // by project key
  for (size_t r = 0; r < rows->size(); ++r) {
    const std::string id(rows->text(r, 0));
    if (rows->text(r, 1) == root_path) return id;
    known[project_key(id)] = {std::string(rows->text(r, 1)), rows->text(r, 2) == "t"};
  }
  const auto unbound = [&](const std::string& id) {
    auto it = known.find(project_key(id));
    return it == known.end() || it->second.root_path.empty();
  };
  const auto unused = [&](const std::string& id) {
    auto it = known.find(project_key(id));
    return it == known.end() || (it->second.root_path.empty() && !it->second.has_segments);
  };
  std::string chosen = wanted_id;
  if (!unbound(wanted_id)) {
    const std::string base = derived_base(wanted_id, root_path);
    chosen = base;
    for (int n = 2; !unused(chosen); ++n) chosen = base + "-" + std::to_string(n);
  }
  s.wrote = true;
  auto stored = ensure_project(*s.conn, s.team, chosen);
  if (!stored.ok()) return stored.status();
  if (Status st = bind_root_path(*s.conn, s.team, *stored, root_path); !st.ok()) return st;
  if (Status st = s.commit(*tx); !st.ok()) return st;
  return *stored;
}

}  // namespace storage::pg
