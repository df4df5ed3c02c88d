#include <doctest/doctest.h>

#include <sstream>

#include "storage/clock.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"
#include "tools/cli_commands.h"

namespace {

struct CliHarness {
  testing::TempDir dir;
  storage::ManualClock clock;
  std::unique_ptr<storage::Store> store;
  std::ostringstream out;
  std::ostringstream err;

  explicit CliHarness(const std::string& name = "storage.json") {
    storage::StoreOptions options;
    options.path = dir.file(name);
    options.sync = storage::SyncMode::kNever;
    options.clock = &clock;
    store = storage::Store::open(options);
  }
  tools::CommandContext ctx(const std::string& project = "*") { return {*store, project, out, err}; }
};

storage::SegmentDraft draft(const std::string& id, const std::string& text) {
  storage::SegmentDraft d;
  d.segment_id = id;
  d.text = text;
  d.task_id = "t1";
  d.tags = {"storage"};
  return d;
}

}  // namespace

TEST_CASE("ooc export and import: JSON Lines round-trip every field into another store") {
  CliHarness source;
  REQUIRE(source.store->stash("p1", {}, {draft("a", "alpha text"), draft("b", "beta\nlines")}).ok());
  REQUIRE(source.store->stash("p2", {}, {draft("c", "gamma")}).ok());
  const std::string file = source.dir.file("export.jsonl");
  CHECK(tools::run_export(source.ctx(), file) == 0);
  CHECK(source.err.str() == "Exported 3 segments to " + file + "\n");
  CHECK(tools::run_export(source.ctx("p2"), "") == 0);
  CHECK(source.out.str().find("\"segment_id\":\"c\"") != std::string::npos);

  CliHarness target;
  CHECK(tools::run_import(target.ctx(), file, {}) == 0);
  CHECK(target.out.str() == "Imported 3 segments from " + file + "\n");
  auto before = source.store->export_stashed("*");
  auto after = target.store->export_stashed("*");
  REQUIRE(before.ok());
  REQUIRE(after.ok());
  CHECK(*before == *after);
}

TEST_CASE("ooc import: bad lines are reported by number and nothing is imported") {
  CliHarness h;
  const std::string file = h.dir.file("bad.jsonl");
  testing::write_text(file,
                      "{\"segment_id\":\"ok\",\"text\":\"fine\",\"project_id\":\"p\",\"created_at\":\"2026-01-01T00:00:00Z\"}\n"
                      "not json\n"
                      "\n"
                      "{\"segment_id\":\"x\",\"text\":\"t\",\"project_id\":\"p\",\"created_at\":\"yesterday\"}\n"
                      "{\"segment_id\":\"bad id\",\"text\":\"t\",\"project_id\":\"p\",\"created_at\":\"2026-01-01\"}\n");
  CHECK(tools::run_import(h.ctx(), file, {}) == 1);
  const std::string errors = h.err.str();
  CHECK(errors.find(file + ":2: not valid JSON") != std::string::npos);
  CHECK(errors.find(file + ":4.created_at: 'yesterday' is not an RFC 3339 date-time") != std::string::npos);
  CHECK(errors.find(file + ":5") != std::string::npos);
  CHECK(errors.find(file + ":1") == std::string::npos);
  CHECK(errors.find("nothing imported: 3 bad lines") != std::string::npos);
  auto stashed = h.store->export_stashed("*");
  REQUIRE(stashed.ok());
  CHECK(stashed->empty());
  CHECK(tools::run_import(h.ctx(), h.dir.file("missing.jsonl"), {}) == 1);
}

TEST_CASE("ooc stats, search and show print readable lines") {
  CliHarness h;
  REQUIRE(h.store->stash("p1", {}, {draft("journal-notes", "The journal is replayed at start-up.")}).ok());
  CHECK(tools::run_stats(h.ctx()) == 0);
  CHECK(h.out.str().find("store      " + h.dir.file("storage.json")) != std::string::npos);
  CHECK(h.out.str().find("p1") != std::string::npos);
  h.out.str("");
  CHECK(tools::run_search(h.ctx(), {.query = "journal"}) == 0);
  CHECK(h.out.str().find("1 match in all projects") == 0);
  CHECK(h.out.str().find("journal-notes  [p1] note") != std::string::npos);
  h.out.str("");
  CHECK(tools::run_show(h.ctx(), "journal-notes") == 0);
  CHECK(h.out.str().find("segment_id   journal-notes\nproject      p1\n") == 0);
  CHECK(h.out.str().find("\n\nThe journal is replayed at start-up.\n") != std::string::npos);
  CHECK(tools::run_show(h.ctx(), "nope") == 1);
  CHECK(h.err.str().find("no stashed segment 'nope' in all projects") != std::string::npos);
}

TEST_CASE("ooc compact and verify: a healthy store verifies OK") {
  CliHarness h;
  REQUIRE(h.store->stash("p1", {}, {draft("a", "alpha")}).ok());
  CHECK(tools::run_compact(h.ctx()) == 0);
  std::ostringstream out, err;
  CHECK(tools::run_verify(h.dir.file("storage.json"), out, err) == 0);
  CHECK(out.str().find("OK\n") != std::string::npos);
  testing::write_text(h.dir.file("storage.json"), "{\"version\":\"1.0\",\"journal_seq\":");
  std::ostringstream out2, err2;
  CHECK(tools::run_verify(h.dir.file("storage.json"), out2, err2) == 1);
  CHECK(out2.str().find("DAMAGED") != std::string::npos);
}
