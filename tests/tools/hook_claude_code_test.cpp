// `ooc hook claude-code <event>` driven with the recorded payloads and transcript of
// tests/fixtures/claude-code/ (TRANSCRIPT_PATH and CWD replaced by temp paths).
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include "mcp/json.h"
#include "storage/clock.h"
#include "storage/store.h"
#include "storage/token_estimate.h"
#include "tests/support/temp_dir.h"
#include "tools/hook_claude_code.h"
#include "tools/primer.h"

namespace {

using mcp::Json;

std::string fixture(const std::string& name) {
  return testing::read_text(std::string(OOC_TESTS_DIR) + "/fixtures/claude-code/" + name);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

struct HookHarness {
  testing::TempDir dir;
  storage::ManualClock clock;
  std::unique_ptr<storage::Store> store;
  std::string cwd;         // <tmp>/retry-client/src inside a git repository named retry-client
  std::string transcript;  // the recorded transcript, with CWD replaced
  std::ostringstream out;
  std::ostringstream err;

  HookHarness() {
    storage::StoreOptions options;
    options.path = dir.file("storage.json");
    options.sync = storage::SyncMode::kNever;
    options.clock = &clock;
    store = storage::Store::open(options);
    std::filesystem::create_directories(dir.file("retry-client/.git"));
    std::filesystem::create_directories(dir.file("retry-client/src"));
    cwd = dir.file("retry-client/src");
    transcript = dir.file("8f3c2a1e.jsonl");
    testing::write_text(transcript, replaced(fixture("transcript.jsonl"), "CWD", dir.file("retry-client")));
  }

  std::string payload(const std::string& event) {
    return replaced(replaced(fixture("payload-" + event + ".json"), "TRANSCRIPT_PATH", transcript), "\"CWD\"",
                    "\"" + cwd + "\"");
  }

  int run(const std::string& event, const std::string& stdin_bytes, const std::string& project = "") {
    out.str("");
    err.str("");
    std::istringstream in(stdin_bytes);
    return tools::run_claude_code_hook(*store, event, project, in, out, err);
  }

  std::vector<storage::Segment> stashed(const std::string& project, const std::string& tag) {
    storage::SearchRequest request;
    request.project_id = project;
    request.filters.tags = {tag};
    request.limit = 100;
    storage::Result<storage::SearchPage> page = store->search_stashed(request);
    REQUIRE(page.ok());
    std::vector<storage::Segment> out_segments;
    for (const storage::SearchHit& hit : page->hits) out_segments.push_back(hit.segment);
    return out_segments;
  }
};

std::string message_line(int n, const std::string& role, const std::string& text) {
  Json line = {{"type", role},
               {"uuid", "u-" + std::to_string(n)},
               {"timestamp", "2026-01-01T00:00:00Z"},
               {"isSidechain", false},
               {"message", {{"role", role}, {"content", text}}}};
  return line.dump() + "\n";
}

}  // namespace

TEST_CASE("hook SessionStart: prints the primer of the payload's git project as additionalContext") {
  HookHarness h;
  storage::SegmentDraft rule;
  rule.segment_id = "uv-rule";
  rule.text = "We use uv, not pip.";
  rule.pinned = true;
  std::vector<storage::SegmentDraft> drafts{rule};
  REQUIRE(h.store->stash("retry-client", {}, drafts).ok());
  CHECK(h.run("SessionStart", h.payload("SessionStart")) == 0);
  CHECK(h.err.str().empty());
  const std::string printed = h.out.str();
  CHECK(printed.find('\n') == printed.size() - 1);  // one JSON object and nothing else
  const Json reply = Json::parse(printed);
  CHECK(reply.at("hookSpecificOutput").at("hookEventName") == "SessionStart");
  storage::Result<tools::Primer> primer = tools::build_primer(*h.store, "retry-client", tools::kDefaultPrimerTokens);
  REQUIRE(primer.ok());
  CHECK(reply.at("hookSpecificOutput").at("additionalContext") == primer->markdown);
  CHECK(primer->markdown.find("We use uv, not pip.") != std::string::npos);
}

TEST_CASE("hook SessionStart: --project or OUT_OF_CONTEXT_PROJECT wins over the payload's cwd") {
  HookHarness h;
  CHECK(h.run("SessionStart", h.payload("SessionStart"), "Chosen") == 0);
  const Json reply = Json::parse(h.out.str());
  const std::string context = reply.at("hookSpecificOutput").at("additionalContext").get<std::string>();
  CHECK(context.find("# Context primer: project 'Chosen'") == 0);
  CHECK(context.find("Nothing stored for this project yet") != std::string::npos);
}

TEST_CASE("hook PreCompact: stashes the transcript tail as message segments, once, printing nothing") {
  HookHarness h;
  CHECK(h.run("PreCompact", h.payload("PreCompact")) == 0);
  CHECK(h.out.str().empty());
  CHECK(h.err.str().empty());
  std::vector<storage::Segment> saved = h.stashed("retry-client", "precompact");
  std::set<std::string> ids;
  for (const storage::Segment& s : saved) {
    ids.insert(s.segment_id);
    CHECK(s.type == storage::SegmentType::kMessage);
    CHECK(s.tags == std::vector<std::string>{"claude-code", "session:8f3c2a1e-5b7d-4c9a-9e21-3d6f0b4a7c12", "precompact"});
  }
  const std::string prefix = "cc-5a1e0000-0000-4000-8000-000000000";
  std::set<std::string> expected;
  for (const char* n : {"001", "002", "005", "007", "009", "00b", "00e", "010", "011", "013", "015", "017", "018",
                        "019", "01e", "01f"}) {
    expected.insert(prefix + n);
  }
  CHECK(ids == expected);  // tool results, the interrupt, the compact summary and thinking left out

  storage::Result<storage::RetrieveOutcome> got =
      h.store->retrieve("retry-client", {prefix + "002", prefix + "013", prefix + "018"}, false, 0);
  REQUIRE(got.ok());
  REQUIRE(got->segments.size() == 3);
  CHECK(got->segments[0].text == "assistant (2025-11-04T09:12:20.274Z):\nI'll look at the current client first.\n[tool_use Read]");
  CHECK(got->segments[1].text.find("[tool_use Write]") != std::string::npos);
  CHECK(got->segments[2].text.find("user (") == 0);
  CHECK(got->segments[2].text.find("Now refactor sync.py to use it too") != std::string::npos);

  CHECK(h.run("PreCompact", h.payload("PreCompact")) == 0);  // again: replaced, never duplicated
  CHECK(h.stashed("retry-client", "precompact").size() == expected.size());
}

TEST_CASE("hook PreCompact: a missing transcript is a failure with status 1, never 2") {
  HookHarness h;
  std::filesystem::remove(h.transcript);
  CHECK(h.run("PreCompact", h.payload("PreCompact")) == 1);
  CHECK(h.out.str().empty());
  CHECK(h.err.str().find("ooc hook claude-code PreCompact: cannot read the transcript") == 0);
}

TEST_CASE("hook: a payload that is not JSON or names another event fails with status 1") {
  HookHarness h;
  CHECK(h.run("Stop", "") == 1);
  CHECK(h.err.str().find("expected the hook's JSON payload on standard input") != std::string::npos);
  CHECK(h.run("SessionEnd", "[1,2]") == 1);
  CHECK(h.run("SessionStart", h.payload("Stop")) == 1);
  CHECK(h.err.str().find("the payload is for Stop") != std::string::npos);
  CHECK(h.out.str().empty());
}

TEST_CASE("transcript_tail: at most the newest messages within the token bound, oldest first") {
  std::string jsonl = "not json\n{\"type\":\"summary\",\"summary\":\"x\"}\n";
  for (int i = 1; i <= 50; ++i) jsonl += message_line(i, i % 2 ? "user" : "assistant", "message number " + std::to_string(i));
  std::vector<tools::TranscriptMessage> tail = tools::transcript_tail(jsonl, 20, 8000);
  REQUIRE(tail.size() == 20);
  CHECK(tail.front().uuid == "u-31");
  CHECK(tail.back().uuid == "u-50");

  std::string words;
  for (int i = 0; i < 1500; ++i) words += "backoff ";
  std::string big;
  for (int i = 1; i <= 10; ++i) big += message_line(i, "user", words);
  std::vector<tools::TranscriptMessage> bounded = tools::transcript_tail(big, 20, 8000);
  int64_t tokens = 0;
  for (const tools::TranscriptMessage& m : bounded) tokens += storage::estimate_tokens(m.role + " (" + m.timestamp + "):\n" + m.text);
  CHECK(bounded.size() == 4);  // each message is about 1,800 tokens (" backoff" is 1.2)
  CHECK(tokens <= 8000);

  std::vector<tools::TranscriptMessage> clipped = tools::transcript_tail(message_line(1, "user", words + words + words + words + words + words), 20, 8000);
  REQUIRE(clipped.size() == 1);
  CHECK(clipped[0].text.size() < words.size() * 6);
  CHECK(clipped[0].text.rfind("\n[cut]") == clipped[0].text.size() - 6);
  CHECK(storage::estimate_tokens(clipped[0].role + " (" + clipped[0].timestamp + "):\n" + clipped[0].text) <= 8000);
}

TEST_CASE("transcript_tail: meta, sidechain and pseudo-user lines are skipped") {
  std::string jsonl = message_line(1, "user", "<command-name>/clear</command-name>") +
                      message_line(2, "user", "[Request interrupted by user]") + message_line(3, "user", "real prompt");
  Json meta = Json::parse(message_line(4, "user", "stop hook feedback"));
  meta["isMeta"] = true;
  Json side = Json::parse(message_line(5, "assistant", "subagent talk"));
  side["isSidechain"] = true;
  jsonl += meta.dump() + "\n" + side.dump() + "\n";
  std::vector<tools::TranscriptMessage> tail = tools::transcript_tail(jsonl, 20, 8000);
  REQUIRE(tail.size() == 1);
  CHECK(tail[0].text == "real prompt");
}

TEST_CASE("hook Stop and SessionEnd: the project's working set is checkpointed into the stash, printing nothing") {
  HookHarness h;
  storage::StoreOptions options;
  options.path = h.dir.file("storage.json");
  options.sync = storage::SyncMode::kNever;
  options.clock = &h.clock;
  options.session_id = "s-20260101T000000-abcdef";
  std::unique_ptr<storage::Store> server = storage::Store::open(options);
  storage::SegmentDraft note;
  note.segment_id = "unsaved";
  note.text = "Only in the working set.";
  std::vector<storage::SegmentDraft> drafts{note};
  REQUIRE(server->store_segments("retry-client", drafts).ok());
  for (const char* event : {"Stop", "SessionEnd"}) {
    CHECK(h.run(event, h.payload(event)) == 0);
    CHECK(h.out.str().empty());
    CHECK(h.err.str().empty());
    std::vector<storage::Segment> saved = h.stashed("retry-client", "unstashed");
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].segment_id == "unsaved");
  }
}
