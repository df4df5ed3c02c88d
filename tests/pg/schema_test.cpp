// The team store's schema and its migrations (storage/pg/schema.h, migrations.h, SCHEMA.md).
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "storage/pg/migrations.h"
#include "storage/pg/schema.h"
#include "storage/pg/transaction.h"
#include "tests/pg/pg_test_support.h"

namespace pg = storage::pg;
namespace schema = storage::pg::schema;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const char* const kTables[] = {"ooc_schema",  "ooc_projects", "ooc_sessions",   "ooc_segments",
                               "ooc_working", "ooc_changes",  "ooc_idempotency"};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every value of the first column of `sql` (run through raw libpq: the catalog queries here are
// constant, but their result is a list).
std::vector<std::string> column(pg::Connection& c, pg::Sql sql) {
  storage::Result<pg::Rows> rows = c.query(sql);
  REQUIRE_MESSAGE(rows.ok(), rows.status().to_string());
  std::vector<std::string> out;
  for (size_t i = 0; i < rows->size(); ++i) out.emplace_back(rows->text(i, 0));
  return out;
}

}  // namespace

TEST_CASE("pg schema: migrate from an empty database applies every version and records it") {
  pgtest::TestDatabase db;
  auto c = db.connect();
  storage::Result<schema::SchemaStatus> before = schema::status(*c);
  REQUIRE(before.ok());
  CHECK(before->current == 0);
  CHECK(before->latest == pg::latest_schema_version());
  CHECK(before->applied.empty());

  storage::Result<schema::MigrateReport> report = schema::migrate(*c, "test-1.2.3");
  REQUIRE_MESSAGE(report.ok(), report.status().to_string());
  CHECK(report->from == 0);
  CHECK(report->to == pg::latest_schema_version());
  CHECK(report->applied.size() == pg::migrations().size());
  CHECK_FALSE(c->in_transaction());

  storage::Result<schema::SchemaStatus> after = schema::status(*c);
  REQUIRE(after.ok());
  CHECK(after->current == pg::latest_schema_version());
  REQUIRE(after->applied.size() == pg::migrations().size());
  CHECK(after->applied[0].version == 1);
  CHECK(after->applied[0].ooc_version == "test-1.2.3");
  CHECK(after->applied[0].applied_at.size() == std::string("2026-12-01T00:00:00.000Z").size());
  CHECK(schema::check_version(*c).ok());
  for (const char* table : kTables) {
    CHECK_MESSAGE(db.exec(std::string("SELECT to_regclass('") + table + "') IS NOT NULL") == "t", table);
  }
}

TEST_CASE("pg schema: migrating twice is a no-op") {
  pgtest::TestDatabase db;
  auto c = db.connect();
  REQUIRE(schema::migrate(*c, "first").ok());
  storage::Result<schema::MigrateReport> again = schema::migrate(*c, "second");
  REQUIRE(again.ok());
  CHECK(again->applied.empty());
  CHECK(again->from == pg::latest_schema_version());
  CHECK(again->to == pg::latest_schema_version());
  CHECK(db.exec("SELECT count(*) FROM ooc_schema") == std::to_string(pg::migrations().size()));
  CHECK(db.exec("SELECT string_agg(DISTINCT ooc_version, ',') FROM ooc_schema") == "first");
}

TEST_CASE("pg schema: two processes migrating at once: one applies, the other finds it done") {
  pgtest::TestDatabase db;
  auto blocker = db.connect();
  // Hold the migration lock so that both migrations are waiting before either can start.
  REQUIRE(blocker->execute("SELECT pg_advisory_lock($1::integer, $2::integer)",
                           {pg::Param::integer(schema::kLockClass), pg::Param::integer(schema::kMigrationLock)})
              .ok());
  auto a = db.connect();
  auto b = db.connect();
  storage::Result<schema::MigrateReport> ra = storage::Status::io_error("not run");
  storage::Result<schema::MigrateReport> rb = storage::Status::io_error("not run");
  std::thread ta([&] { ra = schema::migrate(*a, "a"); });
  std::thread tb([&] { rb = schema::migrate(*b, "b"); });
  // Bounded wait until both wait on the lock (pg_locks shows them not granted).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::optional<int64_t> waiting = 0;
  while (waiting != 2 && std::chrono::steady_clock::now() < deadline) {
    storage::Result<pg::Rows> rows = blocker->query(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1::integer::oid"
        " AND objid = $2::integer::oid AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        {pg::Param::integer(schema::kLockClass), pg::Param::integer(schema::kMigrationLock)});
    REQUIRE(rows.ok());
    waiting = rows->integer(0, 0);
    std::this_thread::yield();
  }
  CHECK(waiting == 2);
  REQUIRE(blocker->execute("SELECT pg_advisory_unlock($1::integer, $2::integer)",
                           {pg::Param::integer(schema::kLockClass), pg::Param::integer(schema::kMigrationLock)})
              .ok());
  ta.join();
  tb.join();
  REQUIRE_MESSAGE(ra.ok(), ra.status().to_string());
  REQUIRE_MESSAGE(rb.ok(), rb.status().to_string());
  CHECK(ra->applied.empty() != rb->applied.empty());
  const schema::MigrateReport& second = ra->applied.empty() ? *ra : *rb;
  CHECK(second.from == pg::latest_schema_version());
  CHECK(db.exec("SELECT count(*) FROM ooc_schema") == std::to_string(pg::migrations().size()));
}

TEST_CASE("pg schema: a schema newer than this binary is refused and left untouched") {
  pgtest::TestDatabase db;
  auto c = db.connect();
  storage::Status none = schema::check_version(*c);
  CHECK(none.to_string() == "storage error: " + c->server() +
                                ": the database's ooc schema is version 0 (none); this ooc needs version " +
                                std::to_string(pg::latest_schema_version()) + ": run `ooc db migrate` as the schema's owner");
  REQUIRE(schema::migrate(*c, "now").ok());
  const int64_t newer = pg::latest_schema_version() + 1;
  REQUIRE(c->execute("INSERT INTO ooc_schema (version, ooc_version) VALUES ($1::integer, 'future')",
                     {pg::Param::integer(newer)})
              .ok());
  const std::string expected = "storage error: " + c->server() + ": the database's ooc schema is version " +
                               std::to_string(newer) + ", newer than this ooc knows (" +
                               std::to_string(pg::latest_schema_version()) + "): upgrade ooc; nothing was changed";
  CHECK(schema::check_version(*c).to_string() == expected);
  storage::Result<schema::MigrateReport> refused = schema::migrate(*c, "now");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().to_string() == expected);
  CHECK_FALSE(c->in_transaction());
  storage::Result<schema::SchemaStatus> s = schema::status(*c);
  REQUIRE(s.ok());
  CHECK(s->current == newer);
  CHECK(s->latest == pg::latest_schema_version());
}

TEST_CASE("pg schema: migrations never drop a table or a column, and versions have no gaps") {
  int64_t expected = 1;
  for (const pg::Migration& m : pg::migrations()) {
    CHECK(m.version == expected++);
    std::string upper = m.script.c_str();
    std::transform(upper.begin(), upper.end(), upper.begin(), [](char ch) { return static_cast<char>(std::toupper(static_cast<unsigned char>(ch))); });
    for (size_t at = upper.find("DROP"); at != std::string::npos; at = upper.find("DROP", at + 4)) {
      const std::string after = upper.substr(at, 20);
      const bool harmless = after.rfind("DROP POLICY", 0) == 0 || after.rfind("DROP INDEX", 0) == 0 ||
                            after.rfind("DROP FUNCTION", 0) == 0 || after.rfind("DROP TRIGGER", 0) == 0 ||
                            after.rfind("DROP VIEW", 0) == 0;
      CHECK_MESSAGE(harmless, "version " << m.version << " drops something that may hold data: " << after);
    }
    CHECK_MESSAGE(!contains(upper, "TRUNCATE"), "version " << m.version);
    CHECK_MESSAGE(!contains(upper, "DELETE FROM"), "version " << m.version);
  }
}

TEST_CASE("pg schema: SCHEMA.md documents every table, column, index and policy") {
  pgtest::TestDatabase db;
  auto c = db.connect();
  REQUIRE(schema::migrate(*c, "doc").ok());
  const std::string doc = read_file(OOC_SOURCE_DIR "/storage/pg/SCHEMA.md");
  REQUIRE_FALSE(doc.empty());
  for (const std::string& table : column(*c, "SELECT table_name FROM information_schema.tables"
                                             " WHERE table_name LIKE 'ooc\\_%' ORDER BY 1")) {
    const size_t begin = doc.find("### `" + table + "`");
    REQUIRE_MESSAGE(begin != std::string::npos, "no section for table " << table);
    const std::string section = doc.substr(begin, doc.find("\n### ", begin + 1) - begin);
    storage::Result<pg::Rows> columns = c->query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position", {table});
    REQUIRE(columns.ok());
    for (size_t i = 0; i < columns->size(); ++i) {
      const std::string name(columns->text(i, 0));
      CHECK_MESSAGE(contains(section, "`" + name + "`"), "column " << table << "." << name << " undocumented");
    }
  }
  for (const std::string& index : column(*c, "SELECT indexname FROM pg_indexes WHERE tablename LIKE 'ooc\\_%'"
                                             " AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'")) {
    CHECK_MESSAGE(contains(doc, "`" + index + "`"), "index " << index << " undocumented");
  }
  for (const std::string& policy : column(*c, "SELECT DISTINCT policyname FROM pg_policies WHERE tablename LIKE 'ooc\\_%'")) {
    CHECK_MESSAGE(contains(doc, "`" + policy + "`"), "policy " << policy << " undocumented");
  }
  for (const std::string& name : column(*c, "SELECT typname FROM pg_type WHERE typname LIKE 'ooc\\_%' AND typtype = 'd'"
                                            " UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE 'ooc\\_%'")) {
    CHECK_MESSAGE(contains(doc, "`" + name + "`"), name << " undocumented");
  }
  // Every table with team data is under forced row-level security.
  CHECK(column(*c, "SELECT relname FROM pg_class WHERE relname LIKE 'ooc\\_%' AND relkind = 'r'"
                   " AND relname <> 'ooc_schema' AND NOT (relrowsecurity AND relforcerowsecurity)")
            .empty());
}

TEST_CASE("pg schema v1: project ids match ignoring ASCII case and keep their first spelling") {
  pgtest::TestDatabase db;
  auto c = db.connect();
  REQUIRE(schema::migrate(*c, "v1").ok());
  REQUIRE(c->execute("INSERT INTO ooc_projects (team, project_id) VALUES ('core', 'MyWebApp')").ok());
  storage::Status again = c->execute("INSERT INTO ooc_projects (team, project_id) VALUES ('core', 'mywebapp')");
  CHECK(again.code() == storage::Status::Code::kConflict);
  REQUIRE(c->execute("INSERT INTO ooc_projects (team, project_id) VALUES ('other', 'mywebapp')").ok());
  storage::Result<pg::Rows> found = c->query(
      "SELECT project_id FROM ooc_projects WHERE team = $1 AND project_key = lower($2)", {"core", "MYWEBAPP"});
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK(found->text(0, 0) == "MyWebApp");
  // The checks of storage/segment.h hold in the database too.
  CHECK(c->execute("INSERT INTO ooc_projects (team, project_id) VALUES ('core', 'bad id')").code() ==
        storage::Status::Code::kInvalidArgument);
  CHECK_FALSE(c->execute("INSERT INTO ooc_projects (team, project_id) VALUES ('a_ro', 'x')").ok());
}

TEST_CASE("pg schema v1: a segment row keeps every field, metadata numbers keep their kind") {
  pgtest::TestDatabase db;
  auto c = db.connect();
  REQUIRE(schema::migrate(*c, "v1").ok());
  REQUIRE(c->execute("INSERT INTO ooc_projects (team, project_id) VALUES ('core', 'ooc')").ok());
  REQUIRE(c->execute(
               "INSERT INTO ooc_segments (team, project_key, segment_id, revision, type, text, task_id, file_path,"
               " topic_id, line_start, line_end, tags, created_at, last_touched_at, pinned, generation,"
               " gc_survival_count, refcount, tokens, metadata, supersedes, superseded_by)"
               " VALUES ('core', 'ooc', 'seg-1', 3, 'decision', $1, 'task-7', 'src/a.cpp', 'topic', 10, 20,"
               " $2::text[], $3::timestamptz, $3::timestamptz, true, 'old', 2, 1, 42, $4::jsonb, $5::text[], 'seg-2')",
               {"Use PostgreSQL", "{adr,\"with space\"}", "2026-12-01T23:15:00.123Z", R"({"n": 5, "x": 5.0, "b": true})",
                "{seg-0}"})
              .ok());
  storage::Result<pg::Rows> row = c->query(
      "SELECT metadata::text, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), tier,"
      " tags[2], supersedes[1] FROM ooc_segments");
  REQUIRE(row.ok());
  CHECK(row->text(0, 0) == R"({"b": true, "n": 5, "x": 5.0})");
  CHECK(row->text(0, 1) == "2026-12-01T23:15:00.123Z");
  CHECK(row->text(0, 2) == "stashed");
  CHECK(row->text(0, 3) == "with space");
  CHECK(row->text(0, 4) == "seg-0");
  // A line range needs both ends, start >= 1 and end >= start.
  CHECK_FALSE(c->execute("UPDATE ooc_segments SET line_end = NULL").ok());
  CHECK_FALSE(c->execute("UPDATE ooc_segments SET line_start = 30").ok());
}
