// PgEngine: one transaction per call; the file engine's planning on a Catalog loaded inside it
// (pg_engine.h). The session calls are in pg_sessions.cpp.
#include "storage/pg/pg_engine.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <cstdio>
#include <random>
#include <set>
#include <utility>

#include "storage/duplicates.h"
#include "storage/pg/pg_engine_state.h"
#include "storage/project_match.h"
#include "storage/pg/pg_error.h"
#include "storage/pg/schema.h"
#include "storage/pg/segment_rows.h"
#include "storage/reads.h"
#include "storage/search/query.h"
#include "storage/sessions.h"
#include "storage/writes.h"

namespace storage::pg {
namespace {

Result<std::string> resolve_team(Connection& c, const std::string& wanted) {
  if (!wanted.empty()) return wanted;
  for (const char* writable : {"true", "false"}) {
    Result<Rows> rows = c.query("SELECT t FROM ooc_member_teams($1::boolean) AS t ORDER BY 1", {writable});
    if (!rows.ok()) return rows.status();
    if (rows->size() == 1) return std::string(rows->text(0, 0));
    if (rows->size() > 1) {
      std::string names;
      for (size_t r = 0; r < rows->size(); ++r) names += (r == 0 ? "" : ", ") + std::string(rows->text(r, 0));
      return Status::invalid_argument(std::string(kTeamVariable) + ": this role belongs to several teams (" + names +
                                      "); set " + std::string(kTeamVariable) + " to one of them");
    }
  }
  return Status::invalid_argument(c.server() + ": this role belongs to no ooc team (role ooc_team_<team> or " +
                                  "ooc_team_<team>_ro; storage/pg/SCHEMA.md); ask the administrator, or set " +
                                  std::string(kTeamVariable));
}

// Stashed puts gathered into one put_stashed call: consecutive, of one project, distinct ids, at
// most kBatch; anything else flushes them first (so the order of the ops holds).
class StashedPuts {
 public:
  StashedPuts(Connection& c, const std::string& team) : c_(c), team_(team) {}
  Status add(const Segment& segment) {
    const std::string key = project_key(segment.project_id);
    if (batch_.size() >= kBatch || key != key_ || !ids_.insert(segment.segment_id).second) {
      if (Status st = flush(); !st.ok()) return st;
      key_ = key;
      ids_.insert(segment.segment_id);
    }
    batch_.push_back(&segment);
    return Status::ok_status();
  }
  Status flush() {
    Status st = put_stashed(c_, team_, batch_);
    batch_.clear();
    ids_.clear();
    key_.clear();
    return st;
  }

 private:
  static constexpr size_t kBatch = 500;
  Connection& c_;
  const std::string& team_;
  std::vector<const Segment*> batch_;
  std::set<std::string> ids_;
  std::string key_;
};

// 128 random bits as hex: a call's key in ooc_idempotency.
std::string random_key() {
  static thread_local std::mt19937_64 bits{std::random_device{}()};
  char text[33];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(bits()),
                static_cast<unsigned long long>(bits()));
  return text;
}

std::string this_process() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return std::string(host[0] == '\0' ? "localhost" : host) + ":" + std::to_string(::getpid());
}

}  // namespace

PgEngine::State::State(PgEngineOptions opts)
    : options(std::move(opts)),
      own_clock(options.store.clock == nullptr ? std::make_unique<SystemClock>() : nullptr),
      clock(options.store.clock != nullptr ? options.store.clock : own_clock.get()),
      factory(*clock, options.store.limits),
      owner(options.owner.empty() ? this_process() : options.owner) {}

Result<std::unique_ptr<PgEngine>> PgEngine::open(PgEngineOptions options) {
  auto state = std::make_unique<State>(std::move(options));
  // A failure to connect (libpq gives an unreachable server and a refused login the same code,
  // 08001) leaves the connecting to the first call, which reports it as a STORAGE_ERROR naming the
  // server: a server started before the database is up still starts. A wrong schema version or
  // team is for the user to fix: returned.
  Status connected = state->connect();
  if (!connected.ok() && !(state->conn == nullptr && is_connection_lost(connected))) return connected;
  if (connected.ok()) state->recover_at_open();
  return std::unique_ptr<PgEngine>(new PgEngine(std::move(state)));
}

PgEngine::PgEngine(std::unique_ptr<State> state) : state_(std::move(state)) {}
PgEngine::~PgEngine() = default;

const std::string& PgEngine::team() const { return state_->team; }

Status PgEngine::State::connect() {
  SessionSettings settings;
  settings.lock_timeout = options.store.lock_timeout;
  settings.statement_timeout = options.statement_timeout;
  auto opened = Connection::open(options.url, settings);
  if (!opened.ok()) return opened.status();
  conn = std::move(opened).value();
  if (Status st = schema::check_version(*conn); !st.ok()) return st;
  auto resolved = resolve_team(*conn, options.team);
  if (!resolved.ok()) return resolved.status();
  team = std::move(resolved).value();
  return Status::ok_status();
}

Status PgEngine::State::ready() {
  if (conn == nullptr) return connect();
  if (conn->connected()) return Status::ok_status();
  return reconnect();
}

Status PgEngine::State::reconnect() {
  if (Status st = conn->reconnect(); !st.ok()) return st;
  // The session's advisory lock went with the old connection: take it again.
  if (session_lock_key != 0) {
    return conn->execute("SELECT pg_advisory_lock($1::bigint)", {Param::integer(session_lock_key)});
  }
  return Status::ok_status();
}

Result<Transaction> PgEngine::State::begin(bool write) {
  if (Status st = ready(); !st.ok()) return st;
  wrote = false;
  return Transaction::begin(*conn, write ? Isolation::kReadCommitted : Isolation::kRepeatableRead);
}

Status PgEngine::State::commit(Transaction& tx) {
  const bool had_writes = wrote;
  wrote = false;
  std::string key;
  if (had_writes) {
    key = random_key();
    Status st = conn->execute("INSERT INTO ooc_idempotency (team, key) VALUES ($1, $2)", {team, key});
    // Now and then, the keys old enough that no lost reply can still ask about them.
    if (st.ok() && ++commits % 256 == 1) {
      st = conn->execute("DELETE FROM ooc_idempotency WHERE team = $1 AND created_at < now() - interval '1 day'",
                         {team});
    }
    if (!st.ok()) {
      cache.clear();
      return st;
    }
  }
  const int old_backend = conn->backend_pid();
  Status committed = had_writes && options.commit_for_tests ? options.commit_for_tests(*conn, tx) : tx.commit();
  if (committed.ok()) return committed;
  // The catalogs may hold what a failed commit did not apply; the caller's catalog stays valid
  // until it returns (a resolved commit goes on to use it).
  const auto failed = [this](Status status) {
    cache.clear();
    return status;
  };
  if (!had_writes || sqlstate_of(committed) != sqlstate::kResolutionUnknown) return failed(committed);
  // The reply to COMMIT was lost. Once the old server process has ended its transaction is decided:
  // ask a new connection whether the key is there.
  // A server restarting (or failing over) takes a moment: keep trying to reach it for a while.
  const auto deadline = std::chrono::steady_clock::now() + std::min<std::chrono::milliseconds>(
                                                               options.statement_timeout, std::chrono::seconds(10));
  Status reached = reconnect();
  while (!reached.ok() && is_connection_lost(reached) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    reached = reconnect();
  }
  if (!reached.ok()) return failed(committed);
  if (Status st = conn->execute("SELECT pg_terminate_backend($1::integer, 10000)", {Param::integer(old_backend)});
      !st.ok() && sqlstate_of(st) != sqlstate::kInsufficientPrivilege) {
    return failed(committed);
  }
  Result<Rows> found = conn->query("SELECT 1 FROM ooc_idempotency WHERE team = $1 AND key = $2", {team, key});
  if (!found.ok()) return failed(committed);
  if (found->size() == 1) return Status::ok_status();
  return failed(Status::io_error(conn->server() + ": connection lost before COMMIT took effect; nothing of this call was "
                          "applied (checked on a new connection)"));
}

Status PgEngine::State::lock_project(const std::string& key) {
  return conn->execute("SELECT pg_advisory_xact_lock($1::integer, hashtext($2 || '/' || $3))",
                       {Param::integer(kProjectLockClass), team, key});
}

Result<std::string> PgEngine::State::load(Catalog& catalog, const std::string& requested, Working working) {
  const std::string key = requested == "*" ? std::string("*") : project_key(requested);
  std::string project = requested;
  auto projects = load_projects(*conn, team);
  if (!projects.ok()) return projects.status();
  for (const ProjectRow& row : *projects) {
    if (key != "*" && project_key(row.project_id) != key) continue;
    if (key != "*") project = row.project_id;
    if (!row.root_path.empty()) catalog.set_root_path(row.project_id, row.root_path);
  }
  bool stored = false;
  for (const ProjectRow& row : *projects) stored = stored || project_key(row.project_id) == key;
  if (!stored) project = spelling_of(key, requested);
  auto stashed = load_stashed(*conn, team, key);
  if (!stashed.ok()) return stashed.status();
  for (Segment& segment : *stashed) catalog.put_stashed(std::move(segment));
  const std::string& session = options.store.session_id;
  if (working == Working::kAllSessions || (!session.empty() && working == Working::kOwn)) {
    auto rows = load_working(*conn, team, key, working == Working::kAllSessions ? std::string() : session);
    if (!rows.ok()) return rows.status();
    for (auto& [session_of, segment] : *rows) catalog.put_session_working(session_of, std::move(segment));
  }
  if (session.empty()) put_memory_working(catalog, key, project);
  return project;
}

Result<std::string> PgEngine::State::load_working_only(Catalog& catalog, const std::string& requested) {
  const std::string key = requested == "*" ? std::string("*") : project_key(requested);
  std::string project = requested;
  if (key != "*") {
    Result<Rows> row = conn->query("SELECT project_id FROM ooc_projects WHERE team = $1 AND project_key = $2", {team, key});
    if (!row.ok()) return row.status();
    project = row->size() == 1 ? std::string(row->text(0, 0)) : spelling_of(key, requested);
  }
  const std::string& session = options.store.session_id;
  if (!session.empty()) {
    auto rows = load_working(*conn, team, key, session);
    if (!rows.ok()) return rows.status();
    for (auto& [owner_session, segment] : *rows) catalog.put_session_working(owner_session, std::move(segment));
    return project;
  }
  put_memory_working(catalog, key, project);
  return project;
}

void PgEngine::State::put_memory_working(Catalog& catalog, const std::string& key, const std::string& project) const {
  for (const auto& [memory_key, segments] : memory_working) {
    if (key != "*" && memory_key != key) continue;
    for (const auto& [id, segment] : segments) {
      Segment copy = segment;
      if (key != "*") copy.project_id = project;
      catalog.put_working(std::move(copy));
    }
  }
}

std::string PgEngine::State::spelling_of(const std::string& key, const std::string& fallback) const {
  if (key == "*" || project_key(fallback) != key) return fallback;
  // A project the database does not know yet may be in the memory-only working set already,
  // spelled as first written there.
  auto it = memory_working.find(key);
  if (it != memory_working.end() && !it->second.empty() && fallback != it->second.begin()->second.project_id) {
    return it->second.begin()->second.project_id;
  }
  return fallback;
}

void PgEngine::State::keep_memory_working(const Catalog& catalog) {
  if (!options.store.session_id.empty()) return;
  for (const auto& [id, p] : catalog.projects()) {
    if (p.working.empty()) {
      memory_working.erase(project_key(id));
    } else {
      memory_working[project_key(id)] = p.working;
    }
  }
}

Status PgEngine::State::hold_session() {
  const std::string& session = options.store.session_id;
  Result<Rows> row = conn->query(
      "INSERT INTO ooc_sessions (team, session_id, owner) VALUES ($1, $2, $3) "
      "ON CONFLICT (team, session_id) DO UPDATE SET ended_at = NULL, heartbeat_at = now() RETURNING lock_key",
      {team, session, owner});
  if (!row.ok()) return row.status();
  const int64_t key = row->integer(0, 0).value_or(0);
  if (key == session_lock_key) return Status::ok_status();
  if (Status st = conn->execute("SELECT pg_advisory_lock($1::bigint)", {Param::integer(key)}); !st.ok()) return st;
  session_lock_key = key;
  return Status::ok_status();
}

Status PgEngine::State::apply(Catalog& catalog, const std::vector<JournalOp>& ops) {
  wrote = wrote || !ops.empty();
  std::set<std::string> projects;
  const auto ensure = [&](const std::string& project_id) -> Status {
    if (!projects.insert(project_key(project_id)).second) return Status::ok_status();
    return ensure_project(*conn, team, project_id).status();
  };
  StashedPuts puts(*conn, team);
  for (const JournalOp& op : ops) {
    const bool stashed_put = op.kind == JournalOp::Kind::kPut && op.session_id.empty();
    Status st = stashed_put ? Status::ok_status() : puts.flush();
    if (!st.ok()) return st;
    switch (op.kind) {
      case JournalOp::Kind::kPut:
        st = ensure(op.segment.project_id);
        if (st.ok() && stashed_put) st = puts.add(op.segment);
        if (st.ok() && !stashed_put) {
          if (op.session_id == options.store.session_id) st = hold_session();
          if (st.ok()) st = put_working(*conn, team, op.session_id, op.segment);
        }
        break;
      case JournalOp::Kind::kDelete:
        st = delete_stashed(*conn, team, op.project_id, op.segment_id);
        break;
      case JournalOp::Kind::kWorkingDelete:
        st = delete_working(*conn, team, op.session_id, op.project_id, op.segment_id);
        break;
      case JournalOp::Kind::kProject:
        st = ensure(op.project_id);
        if (st.ok()) st = bind_root_path(*conn, team, op.project_id, op.root_path);
        break;
    }
    if (!st.ok()) return st;
  }
  if (Status st = puts.flush(); !st.ok()) return st;
  catalog.apply(JournalBatch{0, ops});
  // The cached catalog reads these rows again at the next call (changes after its seq).
  return Status::ok_status();
}

Status PgEngine::State::check_working_room(const Catalog& catalog, const std::string& project,
                                           const std::vector<std::string>& ids) {
  size_t working = 0;
  const std::string key = project_key(project);
  if (options.store.session_id.empty()) {
    for (const auto& [k, segments] : memory_working) working += k == key ? 0 : segments.size();
  } else {
    Result<Rows> rows = conn->query(
        "SELECT count(*) FROM ooc_working WHERE team = $1 AND session_id = $2 AND project_key <> $3",
        {team, options.store.session_id, key});
    if (!rows.ok()) return rows.status();
    working += static_cast<size_t>(rows->integer(0, 0).value_or(0));
  }
  const auto it = catalog.projects().find(project);
  size_t adding = 0;
  if (it != catalog.projects().end()) working += it->second.working.size();
  for (const std::string& id : ids) {
    if (it == catalog.projects().end() || it->second.working.count(id) == 0) ++adding;
  }
  const size_t cap = options.store.max_working_segments;
  if (working + adding <= cap) return Status::ok_status();
  return Status::limit_exceeded("the working set holds " + std::to_string(working) + " segments and this call adds " +
                                std::to_string(adding) + "; one session holds at most " + std::to_string(cap) +
                                " (OUT_OF_CONTEXT_MAX_WORKING_SEGMENTS): context_stash what you no longer need first");
}

Status PgEngine::wait_until_loaded() {
  std::lock_guard lock(state_->mu);
  return state_->ready();
}

const Clock& PgEngine::clock() const { return *state_->clock; }

Result<StoreOutcome> PgEngine::store_segments(const std::string& requested, std::vector<SegmentDraft> drafts) {
  if (Status st = check_project(requested, false); !st.ok()) return st;
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(true);
  if (!tx.ok()) return tx.status();
  if (Status st = s.lock_project(project_key(requested)); !st.ok()) return st;
  auto opened = s.open_catalog(requested, Working::kOwn);
  if (!opened.ok()) return opened.status();
  Catalog& catalog = *opened->catalog;
  const std::string* project = &opened->project;
  auto plan = plan_store(catalog, s.factory, *project, std::move(drafts));
  if (!plan.ok()) return plan.status();
  std::vector<std::string> ids;
  for (const Segment& segment : plan->built) ids.push_back(segment.segment_id);
  if (Status st = s.check_working_room(catalog, *project, ids); !st.ok()) return st;
  const std::string& session = s.options.store.session_id;
  std::vector<JournalOp> ops = session.empty() ? std::vector<JournalOp>() : working_puts(plan->built, session);
  add_mark_ops(ops, plan->marks, session);
  if (Status st = s.apply(catalog, ops); !st.ok()) return st;
  if (Status st = s.commit(*tx); !st.ok()) return st;
  StoreOutcome out = finish_store(catalog, std::move(plan).value());
  s.keep_memory_working(catalog);
  name_duplicates(catalog.project(*project), Tier::kWorking, out.stored);
  return out;
}

Result<std::vector<Segment>> PgEngine::load_segments(const std::string& requested) {
  if (Status st = check_project(requested, true); !st.ok()) return st;
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(false);
  if (!tx.ok()) return tx.status();
  Catalog catalog(s.options.store.session_id);
  auto project = s.load_working_only(catalog, requested);
  if (!project.ok()) return project.status();
  std::vector<Segment> out;
  for (const auto& [id, p] : catalog.projects()) {
    if (*project != "*" && id != *project) continue;
    for (const auto& [sid, segment] : p.working) out.push_back(segment);
  }
  return out;
}

Result<int64_t> PgEngine::active_tokens(const std::string& requested) {
  auto segments = load_segments(requested);
  if (!segments.ok()) return segments.status();
  int64_t total = 0;
  for (const Segment& segment : *segments) total += segment.tokens;
  return total;
}

Result<StashOutcome> PgEngine::stash(const std::string& requested, const std::vector<std::string>& ids,
                                     std::vector<SegmentDraft> inline_drafts, bool dry_run) {
  if (Status st = check_project(requested, false); !st.ok()) return st;
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(true);
  if (!tx.ok()) return tx.status();
  if (Status st = s.lock_project(project_key(requested)); !st.ok()) return st;
  auto opened = s.open_catalog(requested, Working::kOwn);
  if (!opened.ok()) return opened.status();
  Catalog& catalog = *opened->catalog;
  const std::string* project = &opened->project;
  auto plan = plan_stash(catalog, s.factory, *project, ids, std::move(inline_drafts));
  if (!plan.ok()) return plan.status();
  if (dry_run) return preview_stash(catalog, std::move(plan).value());
  const std::string& session = s.options.store.session_id;
  add_mark_ops(plan->ops, plan->marks, session);
  if (!session.empty()) add_working_deletes(plan->ops, session, *project, plan->moved);
  if (Status st = s.apply(catalog, plan->ops); !st.ok()) return st;
  if (Status st = s.commit(*tx); !st.ok()) return st;
  StashOutcome out = finish_stash(catalog, std::move(plan).value());
  s.keep_memory_working(catalog);
  name_duplicates(catalog.project(*project), Tier::kStashed, out.stashed);
  return out;
}

Result<SearchPage> PgEngine::search_stashed(const SearchRequest& requested) {
  Status arguments = check_project(requested.project_id, true);
  if (const std::string costly = query_over_limits(parse_query(requested.query)); arguments.ok() && !costly.empty()) {
    arguments = Status::invalid_argument(costly);
  }
  if (!arguments.ok()) return arguments;
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(false);
  if (!tx.ok()) return tx.status();
  auto opened = s.open_catalog(requested.project_id, Working::kNone);
  if (!opened.ok()) return opened.status();
  Catalog& catalog = *opened->catalog;
  const std::string* project = &opened->project;
  SearchRequest request = requested;
  request.project_id = *project;
  SearchPage page = search(catalog, request);
  if (page.total_matches != 0 || *project == "*") return page;
  // No match here: the other projects that have some (reads.cpp does it over its whole catalog;
  // here each project's cached catalog, in the order of their ids).
  auto projects = load_projects(*s.conn, s.team);
  if (!projects.ok()) return projects.status();
  for (const ProjectRow& row : *projects) {
    if (row.project_id == *project) continue;
    auto other = s.open_catalog(row.project_id, Working::kNone);
    if (!other.ok()) return other.status();
    SearchRequest there = requested;
    there.project_id = other->project;
    there.limit = 1;
    there.offset = 0;
    if (search(*other->catalog, there).total_matches != 0) page.other_projects_with_matches.push_back(other->project);
  }
  return page;
}

Result<RetrieveOutcome> PgEngine::retrieve(const std::string& requested, const std::vector<std::string>& ids,
                                           bool restore, int64_t max_tokens) {
  if (Status st = check_project(requested, true); !st.ok()) return st;
  State& s = *state_;
  const std::string& session = s.options.store.session_id;
  const bool durable_restore = restore && !session.empty();
  std::lock_guard lock(s.mu);
  auto tx = s.begin(durable_restore);
  if (!tx.ok()) return tx.status();
  if (durable_restore && requested != "*") {
    if (Status st = s.lock_project(project_key(requested)); !st.ok()) return st;
  }
  auto opened = s.open_catalog(requested, Working::kOwn);
  if (!opened.ok()) return opened.status();
  Catalog& catalog = *opened->catalog;
  const std::string* project = &opened->project;
  if (restore) {
    if (Status st = s.check_working_room(catalog, *project, ids); !st.ok()) return st;
  }
  RetrieveOutcome out = storage::retrieve(catalog, s.factory, *project, ids, restore && !durable_restore, max_tokens);
  if (durable_restore) {
    std::vector<Segment> restored = out.segments;
    for (Segment& segment : restored) segment.last_touched_at = s.factory.now();
    if (Status st = s.apply(catalog, working_puts(restored, session)); !st.ok()) return st;
    if (*project != "*") out.active_tokens = catalog.project(*project).active_tokens;
  }
  if (Status st = s.commit(*tx); !st.ok()) return st;
  s.keep_memory_working(catalog);
  return out;
}

Result<DeleteOutcome> PgEngine::delete_segments(const std::string& requested, const std::vector<std::string>& ids,
                                                std::optional<Tier> tier, bool force) {
  if (Status st = check_project_and_ids(requested, ids); !st.ok()) return st;
  const bool stashed = !tier || *tier == Tier::kStashed;
  const bool working = !tier || *tier == Tier::kWorking;
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(true);
  if (!tx.ok()) return tx.status();
  if (Status st = s.lock_project(project_key(requested)); !st.ok()) return st;
  auto opened = s.open_catalog(requested, Working::kOwn);
  if (!opened.ok()) return opened.status();
  Catalog& catalog = *opened->catalog;
  const std::string* project = &opened->project;
  Result<DeletePlan> planned = plan_delete(catalog, *project, ids, working, stashed, force);
  if (!planned.ok()) return planned.status();
  DeletePlan plan = std::move(planned).value();
  const std::string& session = s.options.store.session_id;
  if (working && !session.empty()) {
    std::vector<std::string> from_working;
    for (const auto& d : plan.outcome.deleted) {
      for (Tier t : d.tiers) {
        if (t == Tier::kWorking) from_working.push_back(d.segment_id);
      }
    }
    add_working_deletes(plan.ops, session, *project, from_working);
  }
  add_mark_ops(plan.ops, plan.marks, session);
  if (Status st = s.apply(catalog, plan.ops); !st.ok()) return st;
  if (Status st = s.commit(*tx); !st.ok()) return st;
  DeleteOutcome out = finish_delete(catalog, std::move(plan));
  s.keep_memory_working(catalog);
  return out;
}

Result<EditOutcome> PgEngine::edit(const std::string& requested, const std::string& id, int64_t expected_revision,
                                   const EditChange& change) {
  Status args = check_project_and_ids(requested, {id});
  if (args.ok() && expected_revision < 1) args = Status::invalid_argument("revision: must be >= 1");
  if (!args.ok()) return args;
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(true);
  if (!tx.ok()) return tx.status();
  if (Status st = s.lock_project(project_key(requested)); !st.ok()) return st;
  auto opened = s.open_catalog(requested, Working::kNone);
  if (!opened.ok()) return opened.status();
  Catalog& catalog = *opened->catalog;
  const std::string* project = &opened->project;
  auto op = plan_edit(catalog, s.factory, *project, id, expected_revision, change);
  if (!op.ok()) return op.status();
  EditOutcome out{id, op->segment.revision, op->segment.tokens, count_lines(op->segment.text)};
  if (Status st = s.apply(catalog, {std::move(op).value()}); !st.ok()) return st;
  if (Status st = s.commit(*tx); !st.ok()) return st;
  return out;
}

Result<std::optional<Segment>> PgEngine::get(const std::string& requested, const std::string& id, Tier tier) {
  if (Status st = check_project(requested, false); !st.ok()) return st;
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(false);
  if (!tx.ok()) return tx.status();
  Catalog catalog(s.options.store.session_id);
  auto project = tier == Tier::kStashed ? s.load(catalog, requested, Working::kNone)
                                        : s.load_working_only(catalog, requested);
  if (!project.ok()) return project.status();
  const auto& projects = catalog.projects();
  auto pit = projects.find(*project);
  if (pit == projects.end()) return std::optional<Segment>();
  const SegmentMap& map = tier == Tier::kStashed ? pit->second.stashed : pit->second.working;
  auto it = map.find(id);
  if (it == map.end()) return std::optional<Segment>();
  return std::optional<Segment>(it->second);
}

Result<std::vector<ProjectInfo>> PgEngine::list_projects() {
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(false);
  if (!tx.ok()) return tx.status();
  Catalog catalog(s.options.store.session_id);
  if (auto loaded = s.load(catalog, "*", Working::kOwn); !loaded.ok()) return loaded.status();
  return storage::list_projects(catalog);
}

Result<StoreStats> PgEngine::stats() {
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(false);
  if (!tx.ok()) return tx.status();
  Catalog catalog(s.options.store.session_id);
  if (auto loaded = s.load(catalog, "*", Working::kOwn); !loaded.ok()) return loaded.status();
  StoreStats out = catalog_stats(catalog);
  out.path = s.conn->server() + " team " + s.team;
  out.ranked_index_source = "rebuilt";
  return out;
}

Result<std::vector<Segment>> PgEngine::export_stashed(const std::string& requested) {
  if (Status st = check_project(requested, true); !st.ok()) return st;
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(false);
  if (!tx.ok()) return tx.status();
  auto opened = s.open_catalog(requested, Working::kNone);
  if (!opened.ok()) return opened.status();
  Catalog& catalog = *opened->catalog;
  const std::string* project = &opened->project;
  return storage::export_stashed(catalog, *project);
}

Result<size_t> PgEngine::import_stashed(std::vector<Segment> segments) {
  auto ops = plan_import(std::move(segments), state_->options.store.limits);
  if (!ops.ok()) return ops.status();
  State& s = *state_;
  std::lock_guard lock(s.mu);
  auto tx = s.begin(true);
  if (!tx.ok()) return tx.status();
  std::set<std::string> keys;
  for (const JournalOp& op : *ops) keys.insert(project_key(op.segment.project_id));
  for (const std::string& key : keys) {  // in key order: two imports never wait on each other in a cycle
    if (Status st = s.lock_project(key); !st.ok()) return st;
  }
  std::map<std::string, std::string> spelling;  // key -> the project id as stored
  s.wrote = true;
  StashedPuts puts(*s.conn, s.team);
  for (JournalOp& op : *ops) {
    const std::string key = project_key(op.segment.project_id);
    if (spelling.count(key) == 0) {
      auto stored = ensure_project(*s.conn, s.team, op.segment.project_id);
      if (!stored.ok()) return stored.status();
      spelling[key] = *stored;
    }
    op.segment.project_id = spelling[key];
    if (Status st = puts.add(op.segment); !st.ok()) return st;
  }
  if (Status st = puts.flush(); !st.ok()) return st;
  if (Status st = s.commit(*tx); !st.ok()) return st;
  return ops->size();
}

}  // namespace storage::pg
