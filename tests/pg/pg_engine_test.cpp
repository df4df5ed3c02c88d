// The PostgreSQL engine (storage/pg/pg_engine.h) against the file engine: the same calls on both
// give the same outcomes, and the failures PostgreSQL adds (lost connections, timeouts) are clear
// storage errors that leave nothing half-applied.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/pg/pg_error.h"
#include "storage/pg/transaction.h"
#include "tests/pg/pg_engine_support.h"

namespace pg = storage::pg;
using pgtest::draft;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

storage::SearchRequest query(const std::string& project, const std::string& text) {
  storage::SearchRequest request;
  request.project_id = project;
  request.query = text;
  return request;
}

std::string outcome(const storage::Status& s) { return s.ok() ? "ok" : s.to_string(); }

std::vector<std::string> ids_of(const std::vector<storage::StoredSegment>& stored) {
  std::vector<std::string> out;
  for (const auto& s : stored) {
    std::string line = s.segment_id + " r" + std::to_string(s.revision) + " t" + std::to_string(s.tokens) +
                       (s.replaced ? " replaced" : "");
    for (const auto& d : s.duplicates) line += " dup:" + d.segment_id + ":" + std::string(storage::to_string(d.kind));
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> hits_of(const storage::SearchPage& page) {
  std::vector<std::string> out{"total " + std::to_string(page.total_matches)};
  for (const auto& h : page.hits) out.push_back(h.segment.segment_id + " " + std::to_string(h.score) + " " + h.snippet);
  return out;
}

std::string describe(const storage::Segment& s) {
  std::string out = s.project_id + "/" + s.segment_id + " r" + std::to_string(s.revision) + " " + s.created_at + " " +
                    s.last_touched_at + " t" + std::to_string(s.tokens) + " [" + s.text + "] " +
                    std::string(storage::to_string(s.type)) + (s.pinned ? " pinned" : "") +
                    " by:" + s.superseded_by.value_or("-") + " tags:";
  for (const auto& t : s.tags) out += t + ",";
  out += " sup:";
  for (const auto& t : s.supersedes) out += t + ",";
  out += " md:" + std::to_string(s.metadata.size());
  if (s.line_range) out += " lines:" + std::to_string(s.line_range->start) + "-" + std::to_string(s.line_range->end);
  return out;
}

// One scripted session of calls, with every outcome written down, to run on both engines.
std::vector<std::string> script(storage::Store& store, storage::ManualClock& clock) {
  std::vector<std::string> log;
  auto note = [&](const std::string& what) { log.push_back(what); };
  std::vector<storage::SegmentDraft> drafts;
  drafts.push_back(draft("auth-1", "The login handler checks the JWT signature before the session lookup."));
  drafts.back().tags = {"auth", "jwt"};
  drafts.back().task_id = "T-7";
  drafts.push_back(draft("auth-2", "Decision: rotate refresh tokens on every use; old ones are revoked."));
  drafts.back().type = storage::SegmentType::kDecision;
  drafts.back().pinned = true;
  drafts.back().metadata = {{"pr", int64_t{42}}, {"ratio", 0.5}, {"ok", true}, {"who", std::string("ana")}};
  drafts.push_back(draft("db-1", "Connection pool size 20; the migration adds an index on sessions(user_id)."));
  drafts.back().file_path = "src/db/pool.cc";
  drafts.back().line_range = storage::LineRange{10, 42};
  auto stored = store.store_segments("WebApp", drafts);
  REQUIRE_MESSAGE(stored.ok(), stored.status().to_string());
  for (const auto& line : ids_of(stored->stored)) note("store " + line);
  note("active " + std::to_string(stored->active_tokens));
  clock.advance_ms(1000);

  std::vector<storage::SegmentDraft> inline_drafts;
  inline_drafts.push_back(draft("auth-3", "The login handler checks the JWT signature, then looks the session up."));
  inline_drafts.back().supersedes = {"auth-1"};
  auto stashed = store.stash("webapp", {"auth-1", "auth-2", "nope"}, std::move(inline_drafts), false);
  REQUIRE_MESSAGE(stashed.ok(), stashed.status().to_string());
  for (const auto& line : ids_of(stashed->stashed)) note("stash " + line);
  for (const auto& id : stashed->not_found) note("stash not_found " + id);
  note("freed " + std::to_string(stashed->tokens_freed) + " active " + std::to_string(stashed->active_tokens) +
       " stashed " + std::to_string(stashed->stashed_tokens));
  clock.advance_ms(1000);

  for (const char* q : {"login", "jwt session", "\"refresh tokens\"", "pool -index", "auth*", ""}) {
    storage::SearchRequest request;
    request.project_id = "WEBAPP";
    request.query = q;
    auto page = store.search_stashed(request);
    note(std::string("search ") + q + ": " + (page.ok() ? "" : page.status().to_string()));
    if (page.ok()) {
      for (const auto& line : hits_of(*page)) note("  " + line);
    }
  }
  storage::SearchRequest superseded;
  superseded.project_id = "WebApp";
  superseded.query = "login";
  superseded.include_superseded = true;
  if (auto page = store.search_stashed(superseded); page.ok()) {
    for (const auto& line : hits_of(*page)) note("  superseded " + line);
  }

  auto retrieved = store.retrieve("WebApp", {"auth-2", "gone"}, /*restore=*/true, 0);
  REQUIRE(retrieved.ok());
  for (const auto& s : retrieved->segments) note("retrieve " + s.segment_id + " " + s.created_at + " " + s.last_touched_at);
  for (const auto& id : retrieved->not_found) note("retrieve not_found " + id);
  note("retrieve active " + std::to_string(retrieved->active_tokens));

  auto pinned = store.delete_segments("WebApp", {"auth-2"}, storage::Tier::kStashed, false);
  note("delete pinned: " + outcome(pinned.status()));
  auto edited = store.edit("WebApp", "auth-3", 5, storage::EditChange{std::string("More."), std::nullopt});
  note("edit stale: " + outcome(edited.status()));
  edited = store.edit("WebApp", "auth-3", 1, storage::EditChange{std::string("More."), std::nullopt});
  note("edit: " + outcome(edited.status()) + (edited.ok() ? " r" + std::to_string(edited->revision) : ""));
  clock.advance_ms(1000);
  auto deleted = store.delete_segments("WebApp", {"auth-3", "auth-2"}, std::nullopt, true);
  REQUIRE(deleted.ok());
  for (const auto& d : deleted->deleted) note("deleted " + d.segment_id + " x" + std::to_string(d.tiers.size()));

  auto exported = store.export_stashed("*");
  REQUIRE(exported.ok());
  for (const auto& s : *exported) note("export " + describe(s));
  auto projects = store.list_projects();
  REQUIRE(projects.ok());
  for (const auto& p : *projects) {
    note("project " + p.project_id + " " + std::to_string(p.active_count) + "/" + std::to_string(p.stashed_count) + " " +
         std::to_string(p.stashed_tokens) + " " + p.last_updated);
  }
  auto working = store.load_segments("*");
  REQUIRE(working.ok());
  for (const auto& s : *working) note("working " + s.segment_id + " r" + std::to_string(s.revision));
  auto got = store.get("webapp", "db-1", storage::Tier::kWorking);
  note(std::string("get db-1 working: ") + (got.ok() && *got ? (*got)->project_id : "none"));
  return log;
}

}  // namespace

TEST_CASE("pg engine: a missing schema asks for ooc db migrate and a newer one is refused") {
  pgtest::TestDatabase db;
  storage::ManualClock clock;
  auto missing = pg::PgEngine::open(pgtest::engine_options(db, &clock));
  REQUIRE_FALSE(missing.ok());
  CHECK(contains(missing.status().message(), "run `ooc db migrate`"));
  pgtest::migrate(db);
  db.exec("INSERT INTO ooc_schema (version, ooc_version) VALUES (999, 'future')");
  auto newer = pg::PgEngine::open(pgtest::engine_options(db, &clock));
  REQUIRE_FALSE(newer.ok());
  CHECK(contains(newer.status().message(), "upgrade ooc"));
}

TEST_CASE("pg engine: a role in no team is told to ask for one or set OUT_OF_CONTEXT_TEAM") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  storage::ManualClock clock;
  auto options = pgtest::engine_options(db, &clock);
  options.team.clear();
  auto opened = pg::PgEngine::open(options);
  REQUIRE_FALSE(opened.ok());
  CHECK(contains(opened.status().message(), "OUT_OF_CONTEXT_TEAM"));
}

TEST_CASE("pg engine: store, stash, search, retrieve, delete, edit, export and list answer as the file engine does") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  testing::TempDir dir;
  storage::ManualClock file_clock;
  storage::ManualClock pg_clock;
  auto file = pgtest::open_file(dir, &file_clock);
  auto team = pgtest::open_pg(pgtest::engine_options(db, &pg_clock));
  const std::vector<std::string> expected = script(*file, file_clock);
  const std::vector<std::string> got = script(*team, pg_clock);
  CHECK(got.size() == expected.size());
  for (size_t i = 0; i < std::min(got.size(), expected.size()); ++i) CHECK(got[i] == expected[i]);
}

TEST_CASE("pg engine: every change is a row of ooc_changes, written in the call's transaction") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  storage::ManualClock clock;
  auto store = pgtest::open_pg(pgtest::engine_options(db, &clock, "s-20261201T000000-abcdef"));
  REQUIRE(store->store_segments("p", {draft("a", "alpha"), draft("b", "beta")}).ok());
  REQUIRE(store->stash("p", {"a"}, {}, false).ok());
  REQUIRE(store->delete_segments("p", {"a"}, storage::Tier::kStashed, false).ok());
  CHECK(db.exec("SELECT string_agg(op || ':' || coalesce(segment_id, '-'), ' ' ORDER BY seq) FROM ooc_changes") ==
        "project:- working_put:a working_put:b put:a working_delete:a delete:a");
}

TEST_CASE("pg engine: import then export gives the exported segments back byte for byte") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  testing::TempDir dir;
  storage::ManualClock clock;
  auto file = pgtest::open_file(dir, &clock);
  std::vector<storage::SegmentDraft> drafts{draft("x-1", "first\nsecond line"), draft("x-2", "unicode: é ü 漢字")};
  drafts[0].metadata = {{"n", int64_t{5}}, {"d", 5.0}, {"s", std::string("x")}};
  drafts[1].tags = {"b", "a"};
  drafts[1].line_range = storage::LineRange{3, 4};
  REQUIRE(file->stash("Proj", {}, drafts, false).ok());
  auto exported = file->export_stashed("*");
  REQUIRE(exported.ok());
  auto team = pgtest::open_pg(pgtest::engine_options(db, &clock));
  auto imported = team->import_stashed(*exported);
  REQUIRE_MESSAGE(imported.ok(), imported.status().to_string());
  CHECK(*imported == 2);
  auto again = team->export_stashed("*");
  REQUIRE(again.ok());
  REQUIRE(again->size() == exported->size());
  for (size_t i = 0; i < again->size(); ++i) CHECK((*again)[i] == (*exported)[i]);
}

namespace {

// Holds project `project`'s write lock (pg_engine.h) on a connection of its own until destroyed.
class ProjectLockHolder {
 public:
  ProjectLockHolder(const pgtest::TestDatabase& db, const std::string& project_key) : conn_(db.connect()) {
    auto tx = pg::Transaction::begin(*conn_);
    REQUIRE(tx.ok());
    tx_.emplace(std::move(tx).value());
    REQUIRE(conn_->execute("SELECT pg_advisory_xact_lock($1::integer, hashtext($2))",
                           {pg::Param::integer(pg::kProjectLockClass), "core/" + project_key})
                .ok());
  }

 private:
  std::unique_ptr<pg::Connection> conn_;
  std::optional<pg::Transaction> tx_;
};

// Waits until some backend waits for an advisory lock; its pid.
std::string wait_for_lock_waiter(const pgtest::TestDatabase& db) {
  for (int i = 0; i < 3000; ++i) {
    const std::string pid =
        db.exec("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1");
    if (!pid.empty()) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling the server, not timing
  }
  FAIL("no backend waited for the project lock");
  return "";
}

}  // namespace

TEST_CASE("pg engine: a connection killed mid-call fails it with a storage error, applies nothing, and the next call reconnects") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  storage::ManualClock clock;
  auto store = pgtest::open_pg(pgtest::engine_options(db, &clock));
  REQUIRE(store->stash("p", {}, {draft("before", "first")}, false).ok());
  storage::Result<storage::StashOutcome> killed = storage::Status::ok_status();
  {
    ProjectLockHolder holder(db, "p");
    std::thread call([&] { killed = store->stash("p", {}, {draft("during", "second")}, false); });
    const std::string pid = wait_for_lock_waiter(db);
    db.exec("SELECT pg_terminate_backend(" + pid + ")");
    call.join();
  }
  REQUIRE_FALSE(killed.ok());
  CHECK(killed.status().code() == storage::Status::Code::kIoError);
  CHECK(pg::is_connection_lost(killed.status()));
  CHECK_MESSAGE(contains(killed.status().message(), "the call was not applied"), killed.status().to_string());
  CHECK(db.exec("SELECT string_agg(segment_id, ',' ORDER BY segment_id) FROM ooc_segments") == "before");
  auto after = store->stash("p", {}, {draft("after", "third")}, false);
  REQUIRE_MESSAGE(after.ok(), after.status().to_string());
  CHECK(db.exec("SELECT string_agg(segment_id, ',' ORDER BY segment_id) FROM ooc_segments") == "after,before");
}

TEST_CASE("pg engine: lock and statement timeouts end a blocked call with a storage error") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  storage::ManualClock clock;
  auto lock_options = pgtest::engine_options(db, &clock);
  lock_options.store.lock_timeout = std::chrono::milliseconds(200);
  auto statement_options = pgtest::engine_options(db, &clock);
  statement_options.statement_timeout = std::chrono::milliseconds(200);
  auto by_lock = pgtest::open_pg(lock_options);
  auto by_statement = pgtest::open_pg(statement_options);
  ProjectLockHolder holder(db, "p");
  auto locked = by_lock->stash("p", {}, {draft("a", "alpha")}, false);
  REQUIRE_FALSE(locked.ok());
  CHECK(pg::sqlstate_of(locked.status()) == pg::sqlstate::kLockNotAvailable);
  auto cancelled = by_statement->store_segments("p", {draft("b", "beta")});
  REQUIRE_FALSE(cancelled.ok());
  CHECK(pg::sqlstate_of(cancelled.status()) == pg::sqlstate::kQueryCanceled);
  CHECK(db.exec("SELECT count(*) FROM ooc_segments") == "0");
  // Not stuck: the same engine answers the next call.
  auto page = by_lock->search_stashed(query("p", "alpha"));
  CHECK(page.ok());
}

TEST_CASE("pg engine: hostile query text is data, never SQL, and searches as on the file engine") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  testing::TempDir dir;
  storage::ManualClock clock;
  auto file = pgtest::open_file(dir, &clock);
  auto team = pgtest::open_pg(pgtest::engine_options(db, &clock));
  std::vector<storage::SegmentDraft> drafts{draft("q-1", "select the rows; drop nothing"),
                                            draft("q-2", "O'Reilly's \"quoted\" text with $1 and %_ and \\ backslash"),
                                            draft("q-3", "DROP TABLE ooc_segments is what an attacker types")};
  REQUIRE(file->stash("p", {}, drafts, false).ok());
  REQUIRE(team->stash("p", {}, drafts, false).ok());
  for (const char* q : {"'; DROP TABLE ooc_segments; --", "O'Reilly", "\"unterminated", "$1", "%_", "\\",
                        "a:b(c)|d&!e", "drop -table", "select*", "''", ");--", "\"quoted\" text"}) {
    storage::SearchRequest request = query("p", q);
    auto expected = file->search_stashed(request);
    auto got = team->search_stashed(request);
    REQUIRE(expected.ok() == got.ok());
    if (!got.ok()) {
      CHECK(got.status().to_string() == expected.status().to_string());
      continue;
    }
    CHECK_MESSAGE(hits_of(*got) == hits_of(*expected), q);
  }
  CHECK(db.exec("SELECT count(*) FROM ooc_segments") == "3");
}

TEST_CASE("pg engine: an engine that read a project sees the writes of another before its next call") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  storage::ManualClock clock;
  auto a = pgtest::open_pg(pgtest::engine_options(db, &clock));
  auto b = pgtest::open_pg(pgtest::engine_options(db, &clock));
  REQUIRE(a->stash("p", {}, {draft("k-1", "alpha beta"), draft("k-2", "beta gamma")}, false).ok());
  auto first = a->search_stashed(query("p", "beta"));
  REQUIRE(first.ok());
  CHECK(first->total_matches == 2);

  REQUIRE(b->stash("p", {}, {draft("k-3", "beta delta")}, false).ok());
  REQUIRE(b->delete_segments("p", {"k-1"}, storage::Tier::kStashed, false).ok());
  REQUIRE(b->edit("p", "k-2", 1, storage::EditChange{std::string("epsilon"), std::nullopt}).ok());
  // An import writes a segment again as it is: same revision, other text.
  auto k3 = b->get("p", "k-3", storage::Tier::kStashed);
  REQUIRE(k3.ok());
  REQUIRE(k3->has_value());
  storage::Segment rewritten = **k3;
  rewritten.text = "beta zeta";
  REQUIRE(b->import_stashed({rewritten}).ok());

  auto fresh = pgtest::open_pg(pgtest::engine_options(db, &clock));
  for (const char* q : {"beta", "epsilon", "alpha", "zeta", "delta"}) {
    auto seen = a->search_stashed(query("p", q));
    auto expected = fresh->search_stashed(query("p", q));
    REQUIRE(seen.ok());
    REQUIRE(expected.ok());
    CHECK_MESSAGE(hits_of(*seen) == hits_of(*expected), q);
  }
  auto edited = a->edit("p", "k-2", 1, storage::EditChange{std::string("stale"), std::nullopt});
  REQUIRE_FALSE(edited.ok());
  CHECK(contains(edited.status().message(), "is at revision 2, not 1"));
  auto exported = a->export_stashed("p");
  REQUIRE(exported.ok());
  CHECK(exported->size() == 2);
}

TEST_CASE("pg engine: a COMMIT whose reply is lost is resolved on a new connection: applied once, or not at all") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  storage::ManualClock clock;
  auto admin = db.connect();
  const auto kill_backend = [&admin](pg::Connection& c) {
    REQUIRE(admin->execute("SELECT pg_terminate_backend($1::integer, 10000)", {pg::Param::integer(c.backend_pid())})
                .ok());
  };
  SUBCASE("the server committed, the reply never came: the call succeeds and wrote once") {
    pg::PgEngineOptions options = pgtest::engine_options(db, &clock);
    options.commit_for_tests = [&](pg::Connection& c, pg::Transaction& tx) {
      storage::Status st = tx.commit();
      REQUIRE(st.ok());
      kill_backend(c);
      return pg::connection_lost(c.server(), pg::sqlstate::kConnectionFailure, "reply lost (test)",
                                 pg::LostCall::kOutcomeUnknown);
    };
    auto store = pgtest::open_pg(options);
    auto stashed = store->stash("p", {}, {draft("c-1", "committed before the reply was lost")}, false);
    REQUIRE_MESSAGE(stashed.ok(), stashed.status().to_string());
    CHECK(db.exec("SELECT count(*) FROM ooc_segments WHERE segment_id = 'c-1'") == "1");
    CHECK(db.exec("SELECT revision FROM ooc_segments WHERE segment_id = 'c-1'") == "1");
    // The next call runs on the new connection.
    auto found = store->search_stashed(query("p", "committed"));
    REQUIRE(found.ok());
    CHECK(found->total_matches == 1);
  }
  SUBCASE("the connection died before COMMIT took effect: the call fails saying nothing was applied") {
    pg::PgEngineOptions options = pgtest::engine_options(db, &clock);
    options.commit_for_tests = [&](pg::Connection& c, pg::Transaction& tx) {
      kill_backend(c);
      return tx.commit();  // 08007: libpq cannot know
    };
    auto store = pgtest::open_pg(options);
    auto stashed = store->stash("p", {}, {draft("c-2", "never committed")}, false);
    REQUIRE_FALSE(stashed.ok());
    INFO(stashed.status().to_string());
    CHECK(contains(stashed.status().to_string(), "nothing of this call was applied"));
    CHECK_FALSE(contains(stashed.status().to_string(), "may or may not"));
    CHECK(db.exec("SELECT count(*) FROM ooc_segments") == "0");
    CHECK(db.exec("SELECT count(*) FROM ooc_idempotency") == "0");
  }
}
