// The team store through the real `ooc` (OOC_BINARY) with OUT_OF_CONTEXT_STORAGE_URL set: the CLI
// and the MCP server (tools/store_opener.h), and a binary without the engine (OOC_NO_PG_BINARY).
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "mcp/json.h"
#include "storage/segment_json.h"
#include "tests/pg/pg_engine_support.h"
#include "tests/support/temp_dir.h"

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

pgtest::ProcessResult ooc(const std::vector<std::string>& args, std::map<std::string, std::string> env,
                          const std::string& binary = OOC_BINARY) {
  testing::TempDir home;
  env["HOME"] = home.path();
  return pgtest::run_process(binary, args, env);
}

// `ooc serve` reading `requests` (JSON Lines) from a file as its stdin; its replies by id.
std::map<int, mcp::Json> serve(const std::string& binary, const std::string& requests,
                               std::map<std::string, std::string> env) {
  testing::TempDir dir;
  testing::write_text(dir.file("in.jsonl"), requests);
  env["HOME"] = dir.path();
  pgtest::ProcessResult served =
      pgtest::run_process("/bin/sh", {"-c", "exec \"$0\" serve < \"$1\"", binary, dir.file("in.jsonl")}, env);
  REQUIRE_MESSAGE(served.exit_status == 0, served.err);
  std::map<int, mcp::Json> replies;
  size_t at = 0;
  while (at < served.out.size()) {
    size_t end = served.out.find('\n', at);
    if (end == std::string::npos) end = served.out.size();
    mcp::Json reply = mcp::Json::parse(served.out.substr(at, end - at), nullptr, false);
    if (!reply.is_discarded() && reply.contains("id")) replies[reply.at("id").get<int>()] = reply;
    at = end + 1;
  }
  return replies;
}

std::string call(int id, const std::string& tool, const std::string& arguments) {
  return "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(id) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" +
         tool + "\",\"arguments\":" + arguments + "}}\n";
}

const std::string kInitialize =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
    "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n"
    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n";

std::string text_of(const mcp::Json& reply) { return reply.at("result").at("content")[0].at("text").get<std::string>(); }

}  // namespace

TEST_CASE("pg engine cli: ooc stash, search, show, list and export run on the team store") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  testing::TempDir files;
  testing::write_text(files.file("note.txt"), "The retry policy uses exponential backoff with jitter.\n");
  const std::map<std::string, std::string> env{{"OUT_OF_CONTEXT_STORAGE_URL", pgtest::conninfo(db.name())},
                                               {"OUT_OF_CONTEXT_TEAM", "core"}};
  pgtest::ProcessResult stashed = ooc({"--project", "Demo", "stash", "--file", files.file("note.txt")}, env);
  REQUIRE_MESSAGE(stashed.exit_status == 0, stashed.err);
  const std::string id = stashed.out.substr(0, stashed.out.find('\n'));
  CHECK(db.exec("SELECT count(*) FROM ooc_segments WHERE team = 'core' AND project_key = 'demo'") == "1");

  pgtest::ProcessResult found = ooc({"--project", "demo", "search", "backoff"}, env);
  REQUIRE_MESSAGE(found.exit_status == 0, found.err);
  CHECK(contains(found.out, id));
  pgtest::ProcessResult shown = ooc({"--project", "demo", "show", id}, env);
  REQUIRE_MESSAGE(shown.exit_status == 0, shown.err);
  CHECK(contains(shown.out, "exponential backoff"));
  pgtest::ProcessResult listed = ooc({"list"}, env);
  CHECK(contains(listed.out, "Demo"));
  pgtest::ProcessResult exported = ooc({"export"}, env);
  REQUIRE_MESSAGE(exported.exit_status == 0, exported.err);
  CHECK(contains(exported.out, "\"segment_id\":\"" + id + "\""));
}

TEST_CASE("pg engine cli: the MCP server's tools run on the team store, hostile query text included") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  const std::map<std::string, std::string> env{{"OUT_OF_CONTEXT_STORAGE_URL", pgtest::conninfo(db.name())},
                                               {"OUT_OF_CONTEXT_TEAM", "core"}};
  const std::string requests =
      kInitialize +
      call(2, "context_store", R"({"project_id":"mcp","segments":[{"segment_id":"m-1","text":"cache invalidation note"}]})") +
      call(3, "context_stash", R"({"project_id":"mcp","segment_ids":["m-1"]})") +
      call(4, "context_search_stashed", R"({"project_id":"mcp","query":"cache'); DROP TABLE ooc_segments; --"})") +
      call(5, "context_edit", R"({"project_id":"mcp","segment_id":"m-1","revision":7,"append":"x"})") +
      call(6, "context_edit", R"({"project_id":"mcp","segment_id":"m-1","revision":1,"append":"more"})") +
      call(7, "context_retrieve_stashed", R"({"project_id":"mcp","segment_ids":["m-1"]})");
  std::map<int, mcp::Json> replies = serve(OOC_BINARY, requests, env);
  REQUIRE(replies.count(7) == 1);
  CHECK(contains(text_of(replies[2]), "\"segment_id\":\"m-1\""));
  CHECK(contains(text_of(replies[3]), "Stashed 1 segment"));
  CHECK(contains(text_of(replies[4]), "\"total_matches\":1"));
  CHECK(contains(text_of(replies[5]), "CONFLICT: segment 'm-1' is at revision 1, not 7"));
  CHECK(contains(text_of(replies[6]), "\"revision\":2"));
  CHECK(contains(text_of(replies[7]), "cache invalidation note\\nmore"));
  CHECK(db.exec("SELECT count(*) FROM ooc_segments") == "1");
}

TEST_CASE("pg engine cli: a binary without the engine says so, naming OUT_OF_CONTEXT_STORAGE_URL") {
  const std::map<std::string, std::string> env{{"OUT_OF_CONTEXT_STORAGE_URL", "host=/nonexistent dbname=ooc"}};
  pgtest::ProcessResult listed = ooc({"list"}, env, OOC_NO_PG_BINARY);
  CHECK(listed.exit_status == 1);
  CHECK(contains(listed.err, "OUT_OF_CONTEXT_STORAGE_URL is set, but this ooc has no PostgreSQL engine"));
  std::map<int, mcp::Json> replies =
      serve(OOC_NO_PG_BINARY, kInitialize + call(2, "context_list_projects", "{}"), env);
  REQUIRE(replies.count(2) == 1);
  CHECK(contains(text_of(replies[2]), "CONFIG_ERROR: OUT_OF_CONTEXT_STORAGE_URL is set, but this ooc has no PostgreSQL"));
}

TEST_CASE("pg engine cli: a password in OUT_OF_CONTEXT_STORAGE_URL is refused without repeating it") {
  const std::map<std::string, std::string> env{{"OUT_OF_CONTEXT_STORAGE_URL", "postgresql://alice:hunter2@db/ooc"}};
  pgtest::ProcessResult listed = ooc({"list"}, env);
  CHECK(listed.exit_status == 1);
  CHECK(contains(listed.err, "OUT_OF_CONTEXT_STORAGE_URL"));
  CHECK_FALSE(contains(listed.err, "hunter2"));
}

TEST_CASE("pg engine cli: ooc export from the file store, import into the team store and back re-export byte for byte") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  testing::TempDir files;
  testing::TempDir store_a;
  testing::TempDir store_b;
  const std::map<std::string, std::string> team{{"OUT_OF_CONTEXT_STORAGE_URL", pgtest::conninfo(db.name())},
                                                {"OUT_OF_CONTEXT_TEAM", "core"}};
  const std::map<std::string, std::string> file_a{{"OUT_OF_CONTEXT_STORAGE_PATH", store_a.path()}};
  const std::map<std::string, std::string> file_b{{"OUT_OF_CONTEXT_STORAGE_PATH", store_b.path()}};
  // Segments with what an export carries: several projects, tags, line ranges, types, unicode,
  // supersede marks (through an id written again with the same text: a duplicate, not a mark).
  testing::write_text(files.file("a.cc"), "int main() {\n  return 0;  // é 漢字\n}\n");
  testing::write_text(files.file("b.txt"), "Decision: ship on Tuesdays.\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--project", "Alpha", "stash", "--file", files.file("a.cc"), "--lines", "1:2", "--type", "code", "--tag",
            "c++", "--tag", "entry"},
           {"--project", "Alpha", "stash", "--file", files.file("b.txt"), "--id", "dec-1", "--type", "decision",
            "--task", "T-9"},
           {"--project", "beta", "stash", "--file", files.file("b.txt"), "--id", "b-1"}}) {
    pgtest::ProcessResult stashed = ooc(args, file_a);
    REQUIRE_MESSAGE(stashed.exit_status == 0, stashed.err);
  }
  pgtest::ProcessResult first = ooc({"export", files.file("first.jsonl")}, file_a);
  REQUIRE_MESSAGE(first.exit_status == 0, first.err);
  const std::string exported = testing::read_text(files.file("first.jsonl"));
  REQUIRE(contains(exported, "\"segment_id\":\"dec-1\""));

  pgtest::ProcessResult imported = ooc({"import", files.file("first.jsonl")}, team);
  REQUIRE_MESSAGE(imported.exit_status == 0, imported.err);
  pgtest::ProcessResult from_team = ooc({"export", files.file("team.jsonl")}, team);
  REQUIRE_MESSAGE(from_team.exit_status == 0, from_team.err);
  CHECK(testing::read_text(files.file("team.jsonl")) == exported);

  pgtest::ProcessResult back = ooc({"import", files.file("team.jsonl")}, file_b);
  REQUIRE_MESSAGE(back.exit_status == 0, back.err);
  pgtest::ProcessResult again = ooc({"export", files.file("again.jsonl")}, file_b);
  REQUIRE_MESSAGE(again.exit_status == 0, again.err);
  CHECK(testing::read_text(files.file("again.jsonl")) == exported);
}

TEST_CASE("pg engine cli: ooc import killed with SIGKILL mid-transaction applies nothing, and the next import applies all") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  testing::TempDir files;
  // 6000 segments as `ooc export` writes them, made by the file engine.
  {
    testing::TempDir store_dir;
    storage::ManualClock clock;
    auto file = pgtest::open_file(store_dir, &clock);
    for (int batch = 0; batch < 6; ++batch) {
      std::vector<storage::SegmentDraft> drafts;
      for (int i = 0; i < 1000; ++i) {
        const int n = batch * 1000 + i;
        drafts.push_back(pgtest::draft("k-" + std::to_string(n), "bulk segment number " + std::to_string(n) +
                                                                      " about imports, kills and transactions"));
      }
      REQUIRE(file->stash("Bulk", {}, std::move(drafts), false).ok());
    }
    auto exported = file->export_stashed("Bulk");
    REQUIRE(exported.ok());
    std::string lines;
    for (const storage::Segment& s : *exported) lines += storage::segment_to_json(s).dump() + "\n";
    testing::write_text(files.file("bulk.jsonl"), lines);
  }
  testing::TempDir home;
  const std::string env_url = "OUT_OF_CONTEXT_STORAGE_URL=" + pgtest::conninfo(db.name());
  const std::string env_home = "HOME=" + home.path();
  const std::string path_file = files.file("bulk.jsonl");
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const char* argv[] = {OOC_BINARY, "import", path_file.c_str(), nullptr};
    const char* envp[] = {env_url.c_str(), env_home.c_str(), "OUT_OF_CONTEXT_TEAM=core", nullptr};
    ::execve(OOC_BINARY, const_cast<char* const*>(argv), const_cast<char* const*>(envp));
    ::_exit(127);
  }
  // Its transaction has written rows (it has a transaction id) but not committed: kill it there.
  const std::string writing =
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL "
      "AND pid <> pg_backend_pid()";
  bool caught = false;
  for (int i = 0; i < 4000 && !caught; ++i) {
    caught = db.exec(writing) != "0";
    if (!caught) std::this_thread::sleep_for(std::chrono::milliseconds(2));  // polling the server
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE_MESSAGE(caught, "the import never wrote inside its transaction");
  CHECK(WIFSIGNALED(status));
  // The server notices the lost client and rolls the transaction back: nothing of it remains.
  for (int i = 0; i < 1000 && db.exec(writing) != "0"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(db.exec(writing) == "0");
  CHECK(db.exec("SELECT count(*) FROM ooc_segments") == "0");
  CHECK(db.exec("SELECT count(*) FROM ooc_changes") == "0");
  CHECK(db.exec("SELECT count(*) FROM ooc_projects") == "0");

  pgtest::ProcessResult again = ooc({"import", path_file}, {{"OUT_OF_CONTEXT_STORAGE_URL", pgtest::conninfo(db.name())},
                                                            {"OUT_OF_CONTEXT_TEAM", "core"}});
  REQUIRE_MESSAGE(again.exit_status == 0, again.err);
  CHECK(db.exec("SELECT count(*) FROM ooc_segments WHERE project_key = 'bulk'") == "6000");
}
