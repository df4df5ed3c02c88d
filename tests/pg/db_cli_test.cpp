// `ooc db migrate` and `ooc db status` as black boxes: the real binary (OOC_BINARY) against the
// throwaway cluster, and a binary built without the PostgreSQL engine (OOC_NO_PG_BINARY).
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "mcp/json.h"
#include "tests/pg/pg_test_support.h"
#include "tests/support/temp_dir.h"

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

pgtest::ProcessResult ooc(const std::vector<std::string>& args, std::map<std::string, std::string> env = {},
                          const std::string& binary = OOC_BINARY) {
  testing::TempDir home;
  env["HOME"] = home.path();
  return pgtest::run_process(binary, args, env);
}

}  // namespace

TEST_CASE("pg cli: ooc db migrate applies the schema once, ooc db status --json reports it") {
  pgtest::TestDatabase db;
  const std::string url = pgtest::conninfo(db.name());

  pgtest::ProcessResult empty = ooc({"db", "status", "--json"}, {{"OUT_OF_CONTEXT_STORAGE_URL", url}});
  REQUIRE_MESSAGE(empty.exit_status == 0, empty.err);
  mcp::Json before = mcp::Json::parse(empty.out);
  CHECK(before.at("current_version") == 0);
  CHECK(before.at("state") == "empty");
  CHECK(before.at("pending").size() == before.at("latest_version").get<size_t>());

  pgtest::ProcessResult migrated = ooc({"db", "migrate", "--url", url});
  REQUIRE_MESSAGE(migrated.exit_status == 0, migrated.err);
  CHECK(contains(migrated.out, "dbname " + db.name() + ": schema version 0 -> "));
  CHECK(migrated.err.empty());

  pgtest::ProcessResult again = ooc({"db", "migrate"}, {{"OUT_OF_CONTEXT_STORAGE_URL", url}});
  REQUIRE_MESSAGE(again.exit_status == 0, again.err);
  CHECK(contains(again.out, "nothing to do"));

  pgtest::ProcessResult status = ooc({"db", "status", "--json", "--url", url});
  REQUIRE_MESSAGE(status.exit_status == 0, status.err);
  mcp::Json after = mcp::Json::parse(status.out);
  CHECK(after.at("current_version") == after.at("latest_version"));
  CHECK(after.at("state") == "current");
  CHECK(after.at("pending").empty());
  REQUIRE(after.at("applied").size() >= 1);
  CHECK(after.at("applied")[0].at("version") == 1);
  CHECK(after.at("applied")[0].at("ooc_version") == OOC_VERSION);
  CHECK(contains(after.at("server").get<std::string>(), "dbname " + db.name()));

  pgtest::ProcessResult human = ooc({"db", "status", "--url", url});
  REQUIRE(human.exit_status == 0);
  CHECK(contains(human.out, ": up to date\n"));
}

TEST_CASE("pg cli: a newer schema makes migrate fail with exit status 1 and status say upgrade") {
  pgtest::TestDatabase db;
  const std::string url = pgtest::conninfo(db.name());
  REQUIRE(ooc({"db", "migrate", "--url", url}).exit_status == 0);
  db.exec("INSERT INTO ooc_schema (version, ooc_version) VALUES (1000, 'future')");
  pgtest::ProcessResult migrate = ooc({"db", "migrate", "--url", url});
  CHECK(migrate.exit_status == 1);
  CHECK(contains(migrate.err, "newer than this ooc knows"));
  pgtest::ProcessResult status = ooc({"db", "status", "--url", url});
  CHECK(status.exit_status == 0);
  CHECK(contains(status.out, "newer than this ooc: upgrade ooc"));
}

TEST_CASE("pg cli: a URL holding a password is a configuration error that never shows it") {
  pgtest::ProcessResult r = ooc({"db", "status"}, {{"OUT_OF_CONTEXT_STORAGE_URL", "postgresql://u:s3cr3t-pw@db/x"}});
  CHECK(r.exit_status == 2);
  CHECK(contains(r.err, "OUT_OF_CONTEXT_STORAGE_URL: holds a password"));
  CHECK(contains(r.err, "~/.pgpass"));
  CHECK_FALSE(contains(r.err + r.out, "s3cr3t-pw"));
}

TEST_CASE("pg cli: no URL is a usage error, no server a failure naming it") {
  pgtest::ProcessResult none = ooc({"db", "status"});
  CHECK(none.exit_status == 2);
  CHECK(contains(none.err, "pass --url or set OUT_OF_CONTEXT_STORAGE_URL"));
  testing::TempDir nothing;
  pgtest::ProcessResult down = ooc({"db", "migrate", "--url", "host=" + nothing.path() + " port=5999 dbname=x"});
  CHECK(down.exit_status == 1);
  CHECK(contains(down.err, "cannot connect to PostgreSQL server host " + nothing.path() + " port 5999"));
  CHECK(contains(down.err, "nothing was applied"));
  CHECK(ooc({"db"}).exit_status == 2);
}

TEST_CASE("pg cli: a binary without the PostgreSQL engine says so and links no libpq") {
  pgtest::TestDatabase db;
  pgtest::ProcessResult r = ooc({"db", "status", "--url", pgtest::conninfo(db.name())}, {}, OOC_NO_PG_BINARY);
  CHECK(r.exit_status == 1);
  CHECK(contains(r.err, "ooc db status: this build of ooc has no PostgreSQL engine"));
  CHECK(r.out.empty());
  // A fully static binary makes ldd say "not a dynamic executable": no libpq either way.
  pgtest::ProcessResult ldd = pgtest::run_process("/usr/bin/ldd", {OOC_NO_PG_BINARY}, {});
  CHECK_FALSE(contains(ldd.out + ldd.err, "libpq"));
  pgtest::ProcessResult with = pgtest::run_process("/usr/bin/ldd", {OOC_BINARY}, {});
  CHECK(contains(with.out, "libpq.so.5"));
}
