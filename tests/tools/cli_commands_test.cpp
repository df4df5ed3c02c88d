#include <doctest/doctest.h>

#include <sstream>

#include "storage/clock.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"
#include "mcp/json.h"
#include "tools/cli.h"
#include "tools/cli_commands.h"
#include "tools/cli_terminal.h"

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

TEST_CASE("ooc compact and verify: a healthy store verifies OK and a damaged one exits 3") {
  CliHarness h;
  REQUIRE(h.store->stash("p1", {}, {draft("a", "alpha")}).ok());
  CHECK(tools::run_compact(h.ctx()) == 0);
  std::ostringstream out, err;
  CHECK(tools::run_verify(h.dir.file("storage.json"), out, err) == 0);
  CHECK(out.str().find("OK\n") != std::string::npos);
  testing::write_text(h.dir.file("storage.json"), "{\"version\":\"1.0\",\"journal_seq\":");
  std::ostringstream out2, err2;
  CHECK(tools::run_verify(h.dir.file("storage.json"), out2, err2) == tools::kDamagedStore);
  CHECK(tools::kDamagedStore == 3);
  CHECK(out2.str().find("DAMAGED") != std::string::npos);
}

TEST_CASE("ooc stats, list, search and show with --json print one JSON document each") {
  CliHarness h;
  REQUIRE(h.store->stash("p1", {}, {draft("journal-notes", "The journal is replayed at start-up.")}).ok());
  REQUIRE(h.store->stash("p2", {}, {draft("other", "Another journal.")}).ok());
  auto parsed = [&h]() {
    mcp::Json doc = mcp::Json::parse(h.out.str(), nullptr, /*allow_exceptions=*/false);
    h.out.str("");
    return doc;
  };
  CHECK(tools::run_stats(h.ctx(), true) == 0);
  mcp::Json stats = parsed();
  REQUIRE(stats.is_object());
  CHECK(stats["stashed_segments"] == 2);
  CHECK(stats["projects"].size() == 2);
  CHECK(stats["projects"][0]["project_id"] == "p1");
  CHECK(tools::run_list(h.ctx(), true) == 0);
  mcp::Json list = parsed();
  REQUIRE(list.is_object());
  CHECK(list["projects"].size() == 2);
  CHECK(tools::run_list(h.ctx("P2"), true) == 0);
  mcp::Json one = parsed();
  REQUIRE(one["projects"].size() == 1);
  CHECK(one["projects"][0]["project_id"] == "p2");
  CHECK(tools::run_search(h.ctx(), {.query = "journal", .json = true}) == 0);
  mcp::Json search = parsed();
  REQUIRE(search.is_object());
  CHECK(search["total_matches"] == 2);
  CHECK(search["results"].size() == 2);
  CHECK(search["query"] == "journal");
  CHECK(tools::run_show(h.ctx(), "journal-notes", true) == 0);
  mcp::Json shown = parsed();
  REQUIRE(shown.is_object());
  CHECK(shown["text"] == "The journal is replayed at start-up.");
  CHECK(shown["project_id"] == "p1");
  CHECK(h.err.str().empty());
}

TEST_CASE("ooc list prints a table of projects, or says there are none") {
  CliHarness h;
  CHECK(tools::run_list(h.ctx()) == 0);
  CHECK(h.out.str() == "no projects yet\n");
  h.out.str("");
  REQUIRE(h.store->stash("MyWebApp", {}, {draft("a", "alpha")}).ok());
  CHECK(tools::run_list(h.ctx()) == 0);
  CHECK(h.out.str().find("PROJECT") == 0);
  CHECK(h.out.str().find("\nMyWebApp ") != std::string::npos);
}

TEST_CASE("project ids match ignoring case and keep the spelling first written") {
  CliHarness h;
  REQUIRE(h.store->stash("MyWebApp", {}, {draft("a", "alpha")}).ok());
  REQUIRE(h.store->stash("mywebapp", {}, {draft("b", "beta")}).ok());
  REQUIRE(h.store->store_segments("MYWEBAPP", {draft("w", "working")}).ok());
  auto projects = h.store->list_projects();
  REQUIRE(projects.ok());
  REQUIRE(projects->size() == 1);
  CHECK(projects->front().project_id == "MyWebApp");
  CHECK(projects->front().stashed_count == 2);
  CHECK(projects->front().active_count == 1);
  auto found = h.store->retrieve("mywebapp", {"a", "b"}, false, 0);
  REQUIRE(found.ok());
  CHECK(found->segments.size() == 2);
  storage::SearchRequest request;
  request.project_id = "MYWEBAPP";
  request.query = "beta";
  auto page = h.store->search_stashed(request);
  REQUIRE(page.ok());
  CHECK(page->total_matches == 1);
  CHECK(h.store->delete_segment("a", "mYwEbApP").ok());
}

TEST_CASE("project ids: an import joins the existing project of another case and keeps new spellings") {
  CliHarness h;
  REQUIRE(h.store->stash("MyWebApp", {}, {draft("a", "alpha")}).ok());
  const std::string file = h.dir.file("in.jsonl");
  testing::write_text(file,
                      "{\"segment_id\":\"b\",\"text\":\"beta\",\"project_id\":\"mywebapp\",\"created_at\":\"2026-01-01T00:00:00Z\"}\n"
                      "{\"segment_id\":\"c\",\"text\":\"gamma\",\"project_id\":\"Other\",\"created_at\":\"2026-01-01T00:00:00Z\"}\n");
  CHECK(tools::run_import(h.ctx(), file, {}) == 0);
  auto projects = h.store->list_projects();
  REQUIRE(projects.ok());
  REQUIRE(projects->size() == 2);
  CHECK(projects->at(0).project_id == "MyWebApp");
  CHECK(projects->at(0).stashed_count == 2);
  CHECK(projects->at(1).project_id == "Other");
}

TEST_CASE("progress lines are drawn only when enabled and are erased when done") {
  std::ostringstream quiet;
  {
    tools::Progress progress(quiet, false, "importing");
    progress.update(5, 10, true);
    progress.set_label("writing");
  }
  CHECK(quiet.str().empty());
  std::ostringstream shown;
  {
    tools::Progress progress(shown, true, "importing");
    progress.update(1234, 5000, true);
  }
  CHECK(shown.str().find("\rimporting 1,234/5,000 (24%)") == 0);
  CHECK(shown.str().back() == '\r');
  CHECK(shown.str().find('\x1b') == std::string::npos);  // no escape sequences (NO_COLOR)
}

TEST_CASE("the waiting hint shows only when stdin and stderr are both terminals") {
  CHECK(tools::shows_waiting_hint({.stdin_tty = true, .stderr_tty = true}));
  CHECK_FALSE(tools::shows_waiting_hint({.stdin_tty = false, .stderr_tty = true}));
  CHECK_FALSE(tools::shows_waiting_hint({.stdin_tty = true, .stderr_tty = false}));
  const std::string hint = tools::waiting_hint("/opt/ooc");
  CHECK(hint.find('\n') == std::string::npos);
  CHECK(hint.find("MCP server, waiting for a client on stdin") != std::string::npos);
  CHECK(hint.find("claude mcp add ooc -- /opt/ooc") != std::string::npos);
}

TEST_CASE("ooc search gathers the words that are not its options into one query in order") {
  using Args = std::vector<std::string>;
  CHECK(tools::gather_search_query({"ooc", "search", "refresh", "token"}) == Args{"ooc", "search", "--", "refresh token"});
  CHECK(tools::gather_search_query({"ooc", "--storage", "s", "search", "a", "--limit", "5", "-flaky", "--json", "\"x y\""}) ==
        Args{"ooc", "--storage", "s", "search", "--limit", "5", "--json", "--", "a -flaky \"x y\""});
  CHECK(tools::gather_search_query({"ooc", "search", "--tag=t", "--", "--limit", "-32601"}) ==
        Args{"ooc", "search", "--tag=t", "--", "--limit -32601"});
  CHECK(tools::gather_search_query({"ooc", "search", "--substring"}) == Args{"ooc", "search", "--substring"});
  CHECK(tools::gather_search_query({"ooc", "show", "search"}) == Args{"ooc", "show", "search"});
  CHECK(tools::gather_search_query({"ooc", "--project", "search", "stats"}) == Args{"ooc", "--project", "search", "stats"});
}
