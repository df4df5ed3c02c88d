// Black-box tests: the real `ooc` binary over pipes (DESIGN §5, §6). Each test starts its own
// server(s) on a temp store with HOME in a temp dir, and every wait is bounded.
#include <signal.h>

#include <set>
#include <string>

#include <doctest/doctest.h>

#include "tests/blackbox/ooc_process.h"
#include "tests/support/temp_dir.h"

namespace blackbox {
namespace {

using mcp::Json;

// A temp HOME and a temp store for one test; env() is the default server environment.
struct Sandbox {
  testing::TempDir home;
  testing::TempDir store;
  OocEnv env(const std::string& sync = "never") const {
    OocEnv e;
    e.home = home.path();
    e.storage_path = store.path();
    e.sync = sync;
    return e;
  }
};

const Json& result_of(const Json& reply) {
  static const Json empty = Json::object();
  auto it = reply.find("result");
  return it != reply.end() ? *it : empty;
}

bool is_error_result(const Json& reply) { return result_of(reply).value("isError", false); }

std::string first_text(const Json& reply) {
  const Json& result = result_of(reply);
  auto content = result.find("content");
  if (content == result.end() || !content->is_array() || content->empty()) return "";
  return (*content)[0].value("text", "");
}

const Json& structured(const Json& reply) {
  static const Json empty = Json::object();
  const Json& result = result_of(reply);
  auto it = result.find("structuredContent");
  return it != result.end() ? *it : empty;
}

int error_code(const Json& reply) {
  if (!reply.is_object() || !reply.contains("error")) return 0;
  return reply["error"].value("code", 0);
}

// The segment ids of a context_search_stashed reply.
std::set<std::string> found_ids(const Json& reply) {
  std::set<std::string> ids;
  const Json& results = structured(reply).value("results", Json::array());
  for (const Json& r : results) ids.insert(r.value("segment_id", ""));
  return ids;
}

Json search(OocProcess& ooc, long long id, const std::string& query) {
  return call(ooc, tool_call(id, "context_search_stashed", {{"query", query}}));
}

// A well-formed JSON-RPC 2.0 response or notification (what stdout may carry).
bool is_jsonrpc_message(const std::string& line) {
  Json message = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded() || !message.is_object()) return false;
  if (message.value("jsonrpc", "") != "2.0") return false;
  const bool has_result = message.contains("result");
  const bool has_error = message.contains("error");
  if (has_result || has_error) return has_result != has_error;
  return message.contains("method") && message["method"].is_string();
}

}  // namespace

TEST_CASE("blackbox: a full session survives a restart") {
  Sandbox box;
  const std::string text = "The flux capacitor config lives in tools/flux.toml; decided to keep 1.21 gigawatts.";
  {
    OocProcess ooc(box.env());
    Json init = initialize(ooc, 1);
    REQUIRE(init.contains("result"));
    CHECK(init["result"]["protocolVersion"] == "2025-11-25");
    CHECK(init["result"]["serverInfo"]["name"] == "ooc");
    CHECK(init["result"]["capabilities"].contains("tools"));

    Json list = call(ooc, request(2, "tools/list"));
    REQUIRE(list.contains("result"));
    std::set<std::string> names;
    for (const Json& tool : list["result"]["tools"]) {
      names.insert(tool.value("name", ""));
      CHECK(tool.contains("inputSchema"));
      CHECK(tool.contains("outputSchema"));
    }
    CHECK(names == std::set<std::string>{"context_delete", "context_edit", "context_get_working_set", "context_list_projects",
                                         "context_primer", "context_retrieve_stashed", "context_search_stashed",
                                         "context_stash", "context_store"});

    Json stored = call(ooc, tool_call(3, "context_store",
                                      {{"segments", {{{"segment_id", "flux-1"}, {"text", text}, {"type", "decision"},
                                                      {"tags", {"flux"}}}}}}));
    REQUIRE(stored.contains("result"));
    CHECK_FALSE(is_error_result(stored));
    CHECK(stored["id"] == 3);

    Json stashed = call(ooc, tool_call(4, "context_stash", {{"segment_ids", {"flux-1"}}}));
    CHECK_FALSE(is_error_result(stashed));
    CHECK(structured(stashed).value("stashed", Json::array()).size() == 1);

    ooc.close_stdin();
    CHECK(ooc.wait_exit() == 0);
  }
  OocProcess ooc(box.env());
  REQUIRE(initialize(ooc).contains("result"));
  Json found = search(ooc, 10, "flux capacitor");
  CHECK_FALSE(is_error_result(found));
  CHECK(found_ids(found).count("flux-1") == 1);

  Json retrieved = call(ooc, tool_call(11, "context_retrieve_stashed", {{"segment_ids", {"flux-1"}}}));
  CHECK_FALSE(is_error_result(retrieved));
  const Json& segments = structured(retrieved).value("segments", Json::array());
  REQUIRE(segments.size() == 1);
  CHECK(segments[0].value("text", "") == text);
  CHECK(segments[0].value("type", "") == "decision");

  Json deleted = call(ooc, tool_call(12, "context_delete", {{"segment_ids", {"flux-1"}}, {"tier", "all"}}));
  CHECK_FALSE(is_error_result(deleted));
  CHECK(structured(deleted).value("deleted", Json::array()).size() == 1);

  CHECK(found_ids(search(ooc, 13, "flux capacitor")).empty());
  ooc.close_stdin();
  CHECK(ooc.wait_exit() == 0);
}

TEST_CASE("blackbox: a malformed JSON line gets -32700 and the server keeps serving") {
  Sandbox box;
  OocProcess ooc(box.env());
  REQUIRE(initialize(ooc).contains("result"));
  REQUIRE(ooc.write_line("{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": "));
  std::optional<Json> parse_error = ooc.read_json();
  REQUIRE(parse_error);
  CHECK(error_code(*parse_error) == -32700);
  CHECK(is_jsonrpc_message(parse_error->dump()));

  Json pong = call(ooc, request(6, "ping"));
  CHECK(pong["id"] == 6);
  CHECK(pong.contains("result"));
}

TEST_CASE("blackbox: an unknown method gets -32601 with the id echoed") {
  Sandbox box;
  OocProcess ooc(box.env());
  REQUIRE(initialize(ooc).contains("result"));
  Json numeric = call(ooc, request(41, "no/such_method"));
  CHECK(error_code(numeric) == -32601);
  CHECK(numeric["id"] == 41);

  Json string_id = {{"jsonrpc", "2.0"}, {"id", "41"}, {"method", "no/such_method"}};
  Json echoed = call(ooc, string_id);
  CHECK(error_code(echoed) == -32601);
  CHECK(echoed["id"] == "41");  // same type and value: "41" is not 41
}

TEST_CASE("blackbox: an unknown tool gets -32602") {
  Sandbox box;
  OocProcess ooc(box.env());
  REQUIRE(initialize(ooc).contains("result"));
  Json reply = call(ooc, tool_call(7, "context_teleport", Json::object()));
  CHECK(error_code(reply) == -32602);
  CHECK(reply["id"] == 7);
}

TEST_CASE("blackbox: invalid tool arguments are an isError result naming the field") {
  Sandbox box;
  OocProcess ooc(box.env());
  REQUIRE(initialize(ooc).contains("result"));
  Json reply = call(ooc, tool_call(8, "context_store", {{"segments", {{{"text", "x"}, {"type", "banana"}}}}}));
  REQUIRE(reply.contains("result"));
  CHECK(is_error_result(reply));
  const std::string text = first_text(reply);
  CHECK(text.rfind("INVALID_ARGUMENT", 0) == 0);
  CHECK(text.find("segments[0].type") != std::string::npos);

  // Nothing was stored: batches are all-or-nothing for validation errors.
  Json working = call(ooc, tool_call(9, "context_get_working_set", Json::object()));
  CHECK(structured(working).value("segments", Json::array()).empty());
}

TEST_CASE("blackbox: a lone string id and a numeric-string budget are read as a list and a number") {
  Sandbox box;
  OocProcess ooc(box.env());
  REQUIRE(initialize(ooc).contains("result"));
  Json stashed = call(ooc, tool_call(2, "context_stash", {{"segments", {{{"segment_id", "slip-1"}, {"text", "a slip"}}}}}));
  REQUIRE_FALSE(is_error_result(stashed));
  Json retrieved = call(ooc, tool_call(3, "context_retrieve_stashed", {{"segment_ids", "slip-1"}, {"max_tokens", "2000"}}));
  REQUIRE(retrieved.contains("result"));
  CHECK_FALSE(is_error_result(retrieved));
  const Json& segments = structured(retrieved).value("segments", Json::array());
  REQUIRE(segments.size() == 1);
  CHECK(segments[0].value("text", "") == "a slip");
  const std::string summary = structured(retrieved).value("summary", "");
  CHECK(summary.find(R"(Normalized: max_tokens "2000" → 2000; segment_ids "slip-1" → ["slip-1"].)") !=
        std::string::npos);
  // The text block mirrors structuredContent, normalization note included.
  CHECK(Json::parse(first_text(retrieved)) == structured(retrieved));

  Json refused = call(ooc, tool_call(4, "context_retrieve_stashed", {{"segment_ids", "slip-1"}, {"max_tokens", "lots"}}));
  CHECK(is_error_result(refused));
  CHECK(first_text(refused).rfind("INVALID_ARGUMENT: max_tokens: must be an integer, got string", 0) == 0);
  ooc.close_stdin();
  CHECK(ooc.wait_exit() == 0);
}

TEST_CASE("blackbox: a 5 MiB segment over the default 1 MiB limit is a clear error, not a crash") {
  Sandbox box;
  OocProcess ooc(box.env());
  REQUIRE(initialize(ooc).contains("result"));
  const std::string big(5u << 20, 'a');

  // Under the schemas' 4 MiB cap but over the store's 1 MiB default: the store's limit answers.
  const std::string over_limit(2u << 20, 'a');
  Json stashed = call(ooc, tool_call(20, "context_stash", {{"segments", {{{"segment_id", "big"}, {"text", over_limit}}}}}),
                      kBigReplyTimeout);
  REQUIRE(stashed.contains("result"));
  CHECK(stashed["id"] == 20);
  CHECK(is_error_result(stashed));
  CHECK(first_text(stashed).rfind("LIMIT_EXCEEDED", 0) == 0);
  CHECK(first_text(stashed).find("OUT_OF_CONTEXT_MAX_SEGMENT_BYTES") != std::string::npos);

  // context_store's inputSchema caps text at 1 MiB: an isError result naming the field.
  Json stored = call(ooc, tool_call(21, "context_store", {{"segments", {{{"segment_id", "big"}, {"text", big}}}}}),
                     kBigReplyTimeout);
  REQUIRE(stored.contains("result"));
  CHECK(stored["id"] == 21);
  CHECK(is_error_result(stored));
  CHECK(first_text(stored).find("segments[0].text") != std::string::npos);

  CHECK(call(ooc, request(22, "ping")).contains("result"));
  Json retrieved = call(ooc, tool_call(23, "context_retrieve_stashed", {{"segment_ids", {"big"}}}));
  CHECK(structured(retrieved).value("not_found", Json()) == Json::array({"big"}));
}

TEST_CASE("blackbox: at the 4 MiB ceiling of OUT_OF_CONTEXT_MAX_SEGMENT_BYTES a 4 MiB segment round-trips in a reply under 10 MiB") {
  Sandbox box;
  OocEnv env = box.env();
  env.extra["OUT_OF_CONTEXT_MAX_SEGMENT_BYTES"] = std::to_string(4u << 20);
  OocProcess ooc(env);
  REQUIRE(initialize(ooc).contains("result"));
  std::string big(4u << 20, 'b');
  big.replace(0, 12, "needle words");

  Json stashed = call(ooc, tool_call(30, "context_stash", {{"segments", {{{"segment_id", "big"}, {"text", big}}}}}),
                      kBigReplyTimeout);
  REQUIRE(stashed.contains("result"));
  CHECK(stashed["id"] == 30);
  REQUIRE_FALSE(is_error_result(stashed));

  REQUIRE(ooc.write_json(tool_call(31, "context_retrieve_stashed", {{"segment_ids", {"big"}}})));
  std::optional<std::string> line = ooc.read_line(kBigReplyTimeout);
  REQUIRE(line);
  // The text comes twice (content + structuredContent); the line must stay under the 10 MiB the SDK
  // clients buffer (checklist B.20).
  CHECK(line->size() < (10u << 20));
  Json retrieved = Json::parse(*line, nullptr, /*allow_exceptions=*/false);
  REQUIRE(retrieved.is_object());
  CHECK(retrieved["id"] == 31);
  CHECK_FALSE(is_error_result(retrieved));
  const Json& segments = structured(retrieved).value("segments", Json::array());
  REQUIRE(segments.size() == 1);
  CHECK(segments[0].value("text", "") == big);
}

// Known bug (reported): context_store.json caps segments[].text at maxLength 1048576 whatever
// OUT_OF_CONTEXT_MAX_SEGMENT_BYTES says.
TEST_CASE("blackbox: a limit above the 4 MiB ceiling is refused with the reason in every tool call") {
  Sandbox box;
  OocEnv env = box.env();
  env.extra["OUT_OF_CONTEXT_MAX_SEGMENT_BYTES"] = std::to_string(8u << 20);
  OocProcess ooc(env);
  REQUIRE_FALSE(initialize(ooc).is_null());
  Json reply = call(ooc, tool_call(1, "context_list_projects", Json::object()));
  CHECK(is_error_result(reply));
  CHECK(first_text(reply).find("CONFIG_ERROR: OUT_OF_CONTEXT_MAX_SEGMENT_BYTES: '8388608' is not a number of bytes") == 0);
  ooc.close_stdin();
  CHECK(ooc.wait_exit(std::chrono::milliseconds(5000)) == 0);
  CHECK(ooc.stderr_text().find("OUT_OF_CONTEXT_MAX_SEGMENT_BYTES") != std::string::npos);
}

TEST_CASE("blackbox: context_store honours a raised OUT_OF_CONTEXT_MAX_SEGMENT_BYTES") {
  Sandbox box;
  OocEnv env = box.env();
  env.extra["OUT_OF_CONTEXT_MAX_SEGMENT_BYTES"] = std::to_string(2u << 20);
  OocProcess ooc(env);
  REQUIRE(initialize(ooc).contains("result"));
  const std::string text((1u << 20) + 1, 'c');
  Json stored = call(ooc, tool_call(32, "context_store", {{"segments", {{{"segment_id", "big"}, {"text", text}}}}}),
                     kBigReplyTimeout);
  REQUIRE(stored.contains("result"));
  CHECK_FALSE(is_error_result(stored));
}

TEST_CASE("blackbox: 100 pipelined requests get 100 replies, each with its own id") {
  Sandbox box;
  OocProcess ooc(box.env());
  REQUIRE(initialize(ooc).contains("result"));
  std::string burst;
  for (long long id = 100; id < 200; ++id) {
    Json message = id % 2 == 0 ? request(id, "ping")
                               : tool_call(id, "context_store",
                                           {{"segments", {{{"segment_id", "p" + std::to_string(id)}, {"text", "pipelined"}}}}});
    if (!burst.empty()) burst += "\n";
    burst += message.dump();
  }
  REQUIRE(ooc.write_line(burst));  // one write: every request is in the pipe before the first reply
  std::set<long long> ids;
  for (int i = 0; i < 100; ++i) {
    std::optional<Json> reply = ooc.read_json();
    REQUIRE(reply);
    REQUIRE(reply->contains("result"));
    CHECK_FALSE(is_error_result(*reply));
    ids.insert((*reply)["id"].get<long long>());
  }
  CHECK(ids.size() == 100);
  CHECK(*ids.begin() == 100);
  CHECK(*ids.rbegin() == 199);
  Json working = call(ooc, tool_call(300, "context_get_working_set", Json::object()));
  CHECK(structured(working).value("segments", Json::array()).size() == 50);
}

TEST_CASE("blackbox: closing stdin makes the server exit 0 within 2 seconds") {
  Sandbox box;
  OocProcess ooc(box.env());
  REQUIRE(initialize(ooc).contains("result"));
  REQUIRE(call(ooc, request(1, "ping")).contains("result"));
  ooc.close_stdin();
  CHECK(ooc.wait_exit(std::chrono::milliseconds(2000)) == 0);
  CHECK_FALSE(ooc.read_line(std::chrono::milliseconds(100)));  // nothing more on stdout
}

TEST_CASE("blackbox: SIGTERM makes the server exit 0") {
  Sandbox box;
  OocProcess ooc(box.env());
  REQUIRE(initialize(ooc).contains("result"));
  REQUIRE(call(ooc, request(1, "ping")).contains("result"));  // it is now waiting for input
  ooc.send_signal(SIGTERM);
  CHECK(ooc.wait_exit(std::chrono::milliseconds(2000)) == 0);
}

TEST_CASE("blackbox: every stdout line of a session with errors is a JSON-RPC message") {
  Sandbox box;
  OocEnv env = box.env();
  env.extra["OUT_OF_CONTEXT_LOG_LEVEL"] = "debug";  // logs must go to stderr, never stdout
  OocProcess ooc(env);
  const char* lines[] = {
      R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})",  // before initialize
      R"({"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bb","version":"1"}}})",
      R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
      "this is not json",
      "",
      R"([{"jsonrpc":"2.0","id":3,"method":"ping"}])",
      R"({"jsonrpc":"2.0","id":null,"method":"ping"})",
      R"({"jsonrpc":"1.0","id":4,"method":"ping"})",
      R"({"jsonrpc":"2.0","id":5})",
      R"({"jsonrpc":"2.0","id":6,"method":"no/such"})",
      R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"nope","arguments":{}}})",
      R"({"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"arguments":{}}})",
      R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"context_store","arguments":{"segments":[{"type":"banana"}]}}})",
      R"({"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"context_retrieve_stashed","arguments":{"segment_ids":["missing"]}}})",
      R"({"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"context_search_stashed","arguments":{"cursor":"garbage!"}}})",
      R"({"jsonrpc":"2.0","method":"notifications/unknown"})",
      "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"ping\"}\r",
      "\xff\xfe not utf-8",
      R"({"jsonrpc":"2.0","id":13,"method":"ping"})",
  };
  for (const char* line : lines) REQUIRE(ooc.write_line(line));
  ooc.close_stdin();
  // Read until EOF (bounded: the server exits on EOF).
  for (int i = 0; i < 100 && ooc.read_line(); ++i) {
  }
  CHECK(ooc.wait_exit() == 0);
  const std::vector<std::string>& out = ooc.stdout_lines();
  CHECK(out.size() >= 14);
  bool last_answered = false;
  for (const std::string& line : out) {
    INFO("stdout line: " << line.substr(0, 300));
    CHECK(is_jsonrpc_message(line));
    Json message = Json::parse(line, nullptr, false);
    if (message.is_object() && message.value("id", Json()) == 13) last_answered = true;
  }
  CHECK(last_answered);
  CHECK_FALSE(ooc.stderr_text().empty());  // the debug logs went somewhere: stderr
}

TEST_CASE("blackbox: requests before initialize are answered, never a crash") {
  Sandbox box;
  OocProcess ooc(box.env());
  const Json early[] = {
      request(1, "ping"),
      request(2, "tools/list"),
      tool_call(3, "context_list_projects", Json::object()),
      request(4, "no/such"),
  };
  for (const Json& message : early) {
    Json reply = call(ooc, message);
    INFO("request: " << message.dump() << " reply: " << reply.dump());
    REQUIRE(reply.is_object());
    CHECK(reply["id"] == message["id"]);
    CHECK(is_jsonrpc_message(reply.dump()));
  }
  // The handshake still works afterwards.
  Json init = initialize(ooc, 5);
  REQUIRE(init.contains("result"));
  CHECK(init["result"]["protocolVersion"] == "2025-11-25");
  CHECK(call(ooc, request(6, "ping")).contains("result"));
}

TEST_CASE("blackbox: ping is answered with an empty result") {
  Sandbox box;
  OocProcess ooc(box.env());
  REQUIRE(initialize(ooc).contains("result"));
  Json pong = call(ooc, request(77, "ping"));
  CHECK(pong == Json{{"jsonrpc", "2.0"}, {"id", 77}, {"result", Json::object()}});
}

TEST_CASE("blackbox: two processes on one store see each other's stashes and deletes") {
  Sandbox box;
  OocProcess a(box.env());
  OocProcess b(box.env());
  REQUIRE(initialize(a).contains("result"));
  REQUIRE(initialize(b).contains("result"));
  CHECK(found_ids(search(b, 1, "zebra quartz")).empty());  // B has loaded the store before A writes

  Json stashed = call(a, tool_call(2, "context_stash",
                                   {{"segments", {{{"segment_id", "shared-1"}, {"text", "zebra quartz harmonica"}}}}}));
  REQUIRE_FALSE(is_error_result(stashed));

  CHECK(found_ids(search(b, 3, "zebra quartz")) == std::set<std::string>{"shared-1"});
  Json deleted = call(b, tool_call(4, "context_delete", {{"segment_ids", {"shared-1"}}, {"tier", "stashed"}}));
  CHECK_FALSE(is_error_result(deleted));
  CHECK(structured(deleted).value("deleted", Json::array()).size() == 1);

  CHECK(found_ids(search(a, 5, "zebra quartz")).empty());
  Json retrieved = call(a, tool_call(6, "context_retrieve_stashed", {{"segment_ids", {"shared-1"}}}));
  CHECK(structured(retrieved).value("not_found", Json()) == Json::array({"shared-1"}));

  a.close_stdin();
  b.close_stdin();
  CHECK(a.wait_exit() == 0);
  CHECK(b.wait_exit() == 0);
}

TEST_CASE("blackbox: a store in process B names the segment process A stashed as an exact duplicate") {
  Sandbox box;
  OocProcess a(box.env());
  OocProcess b(box.env());
  REQUIRE(initialize(a).contains("result"));
  REQUIRE(initialize(b).contains("result"));
  Json stashed = call(a, tool_call(1, "context_stash",
                                   {{"segments", {{{"segment_id", "from-a"}, {"text", "Deploys go out on Tuesdays.\nNever on Fridays."}}}}}));
  REQUIRE_FALSE(is_error_result(stashed));

  Json stored = call(b, tool_call(2, "context_store",
                                  {{"segments", {{{"segment_id", "from-b"}, {"text", "  deploys GO OUT on tuesdays. never   on fridays.\n"}}}}}));
  REQUIRE_FALSE(is_error_result(stored));
  const Json& item = structured(stored)["stored"][0];
  CHECK(item.value("duplicates", Json()) ==
        Json::parse(R"([{"segment_id":"from-a","tier":"stashed","kind":"exact","similarity":1.0}])"));
  CHECK(structured(stored).value("summary", "").find("'from-b' duplicates stashed 'from-a' (exact)") != std::string::npos);

  a.close_stdin();
  b.close_stdin();
  CHECK(a.wait_exit() == 0);
  CHECK(b.wait_exit() == 0);
}

TEST_CASE("blackbox: two processes editing one segment: the stale revision gets CONFLICT naming the current one") {
  Sandbox box;
  OocProcess a(box.env());
  OocProcess b(box.env());
  REQUIRE(initialize(a).contains("result"));
  REQUIRE(initialize(b).contains("result"));
  Json stashed = call(a, tool_call(1, "context_stash", {{"segments", {{{"segment_id", "plan"}, {"text", "step one"}}}}}));
  REQUIRE_FALSE(is_error_result(stashed));
  CHECK(structured(stashed).at("stashed")[0].value("revision", 0) == 1);

  Json by_b = call(b, tool_call(2, "context_edit", {{"segment_id", "plan"}, {"revision", 1}, {"append", "step two (B)"}}));
  REQUIRE_FALSE(is_error_result(by_b));
  CHECK(structured(by_b).value("revision", 0) == 2);

  Json by_a = call(a, tool_call(3, "context_edit", {{"segment_id", "plan"}, {"revision", 1}, {"append", "step two (A)"}}));
  CHECK(is_error_result(by_a));
  const std::string conflict = first_text(by_a);
  CHECK(conflict.rfind("CONFLICT: ", 0) == 0);
  CHECK(conflict.find("revision 2") != std::string::npos);

  Json retrieved = call(a, tool_call(4, "context_retrieve_stashed", {{"segment_ids", {"plan"}}}));
  REQUIRE(structured(retrieved).value("segments", Json::array()).size() == 1);
  const Json& segment = structured(retrieved)["segments"][0];
  CHECK(segment.value("text", "") == "step one\nstep two (B)");
  CHECK(segment.value("revision", 0) == 2);

  a.close_stdin();
  b.close_stdin();
  CHECK(a.wait_exit() == 0);
  CHECK(b.wait_exit() == 0);
}

TEST_CASE("blackbox: with OUT_OF_CONTEXT_SYNC=always a stash survives SIGKILL right after the reply") {
  Sandbox box;
  const std::string text = "durable ostrich memo: the release branch is cut on Thursdays";
  {
    OocProcess ooc(box.env("always"));
    REQUIRE(initialize(ooc).contains("result"));
    Json stashed =
        call(ooc, tool_call(1, "context_stash", {{"segments", {{{"segment_id", "durable-1"}, {"text", text}}}}}));
    REQUIRE(stashed.contains("result"));
    REQUIRE_FALSE(is_error_result(stashed));
    ooc.send_signal(SIGKILL);
    CHECK(ooc.wait_exit() == 128 + SIGKILL);
  }
  OocProcess ooc(box.env("always"));
  REQUIRE(initialize(ooc).contains("result"));
  CHECK(found_ids(search(ooc, 2, "ostrich memo")) == std::set<std::string>{"durable-1"});
  Json retrieved = call(ooc, tool_call(3, "context_retrieve_stashed", {{"segment_ids", {"durable-1"}}}));
  const Json& segments = structured(retrieved).value("segments", Json::array());
  REQUIRE(segments.size() == 1);
  CHECK(segments[0].value("text", "") == text);
}


TEST_CASE("blackbox: a delete without a tier keeps the durable copy another process sees, pins need force") {
  Sandbox box;
  OocProcess a(box.env());
  OocProcess b(box.env());
  REQUIRE(initialize(a).contains("result"));
  REQUIRE(initialize(b).contains("result"));
  Json stashed = call(a, tool_call(2, "context_stash", {{"segments", Json::array({
      {{"segment_id", "kept-1"}, {"text", "walrus ledger entry"}},
      {{"segment_id", "rule-1"}, {"text", "walrus rule, pinned"}, {"pinned", true}}})}}));
  REQUIRE_FALSE(is_error_result(stashed));
  // B restores it, then drops it from its window: the stash keeps it, for A too.
  REQUIRE_FALSE(is_error_result(call(b, tool_call(3, "context_retrieve_stashed",
                                                    {{"segment_ids", {"kept-1"}}, {"restore", true}}))));
  Json dropped = call(b, tool_call(4, "context_delete", {{"segment_ids", {"kept-1"}}}));
  REQUIRE_FALSE(is_error_result(dropped));
  CHECK(structured(dropped).value("kept_stashed", Json()) == Json::array({"kept-1"}));
  CHECK(found_ids(search(a, 5, "walrus ledger")).count("kept-1") == 1);
  // Deleting A's pinned segment from B without force is refused, naming it; with force it goes.
  Json refused = call(b, tool_call(6, "context_delete", {{"segment_ids", {"rule-1"}}, {"tier", "all"}}));
  CHECK(is_error_result(refused));
  CHECK(first_text(refused).find("segment 'rule-1' is pinned") != std::string::npos);
  CHECK(found_ids(search(a, 7, "walrus rule")).count("rule-1") == 1);
  Json forced = call(b, tool_call(8, "context_delete", {{"segment_ids", {"rule-1"}}, {"tier", "all"}, {"force", true}}));
  REQUIRE_FALSE(is_error_result(forced));
  CHECK(found_ids(search(a, 9, "walrus rule")).count("rule-1") == 0);
}

TEST_CASE("blackbox: OUT_OF_CONTEXT_TOKEN_LIMIT sets usage_percent and the warnings, a bad one is CONFIG_ERROR") {
  Sandbox box;
  OocEnv env = box.env();
  env.extra["OUT_OF_CONTEXT_TOKEN_LIMIT"] = "1000";
  OocProcess ooc(env);
  REQUIRE(initialize(ooc).contains("result"));
  Json stored = call(ooc, tool_call(2, "context_store", {{"segments", Json::array({
      {{"segment_id", "big-log"}, {"text", "output"}, {"type", "log"}, {"tokens", 850}}})}}));
  REQUIRE_FALSE(is_error_result(stored));
  CHECK(structured(stored).value("usage_percent", 0.0) == 85.0);
  const std::string summary = structured(stored).value("summary", "");
  CHECK(summary.find("Warning: the working set holds 850 tokens, 85.0 % of the 1,000-token window.") != std::string::npos);
  CHECK(summary.find(R"(Next: context_stash(segment_ids: ["big-log"]))") != std::string::npos);

  env.extra["OUT_OF_CONTEXT_TOKEN_LIMIT"] = "lots";
  OocProcess bad(env);
  REQUIRE(initialize(bad).contains("result"));
  Json refused = call(bad, tool_call(2, "context_get_working_set", Json::object()));
  CHECK(is_error_result(refused));
  CHECK(first_text(refused).find("CONFIG_ERROR: OUT_OF_CONTEXT_TOKEN_LIMIT: 'lots'") != std::string::npos);
}

}  // namespace blackbox
