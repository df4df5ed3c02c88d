// Runs every tests/golden/mcp_*.transcript through mcp::Server::handle over the fake registry
// (fake_tools.h, fixed serverInfo version). The format is in tests/support/transcript.h. One
// Server per file, so a transcript is a session (re-initialize to switch revisions).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fake_features.h"
#include "fake_tools.h"
#include "mcp/server.h"
#include "tests/support/transcript.h"

namespace {

std::vector<std::filesystem::path> transcripts() { return testing::golden_transcripts("mcp_"); }

// mcp_resources*.transcript also get the fake Features (resources, prompts, completion, roots);
// the others run without, as a server with tools only.
void run(const std::filesystem::path& path) {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  if (path.filename().string().rfind("mcp_resources", 0) == 0) {
    mcp_test::FakeFeatures features;
    mcp::Server server(mcp_test::make_features_config(features), registry, &features);
    testing::replay_transcript(path, server);
    return;
  }
  mcp::Server server(mcp_test::make_config(), registry);
  testing::replay_transcript(path, server);
}

}  // namespace

TEST_CASE("golden: the mcp transcripts exist (lifecycle, errors, revisions, batches, stateless)") {
  std::vector<std::string> names;
  for (const auto& path : transcripts()) names.push_back(path.filename().string());
  for (const char* required : {"mcp_lifecycle.transcript", "mcp_bad_requests.transcript",
                               "mcp_revisions.transcript", "mcp_batches.transcript",
                               "mcp_stateless.transcript", "mcp_resources_prompts.transcript"}) {
    CHECK_MESSAGE(std::find(names.begin(), names.end(), required) != names.end(), required);
  }
}

TEST_CASE("golden: every mcp transcript replays exactly through Server::handle") {
  for (const auto& path : transcripts()) {
    CAPTURE(path.filename().string());
    run(path);
  }
}

namespace {

mcp::Json call_reply(const std::string& text, const mcp::Json& structured) {
  return mcp::Json{{"jsonrpc", "2.0"},
                   {"id", 1},
                   {"result",
                    {{"content", mcp::Json::array({{{"type", "text"}, {"text", text}}})},
                     {"structuredContent", structured}}}};
}

}  // namespace

TEST_CASE("golden: the mirror placeholder accepts only the compact JSON of structuredContent") {
  const mcp::Json structured = mcp::Json{{"a", 1}, {"b", "x"}};
  const std::string placeholder(testing::kMirrorPlaceholder);
  mcp::Json expected = call_reply(placeholder, structured);
  CHECK_FALSE(testing::resolve_mirrors(expected, call_reply(R"({"a":1,"b":"x"})", structured)));
  CHECK(expected == call_reply(R"({"a":1,"b":"x"})", structured));
  for (const char* wrong : {R"({"a": 1, "b": "x"})", R"({"a":1})", "not json", ""}) {
    CAPTURE(wrong);
    mcp::Json want = call_reply(placeholder, structured);
    CHECK(testing::resolve_mirrors(want, call_reply(wrong, structured)).has_value());
  }
  mcp::Json batch = mcp::Json::array({mcp::Json{{"id", 0}}, call_reply(placeholder, structured)});
  const mcp::Json actual =
      mcp::Json::array({mcp::Json{{"id", 0}}, call_reply("{}", structured)});
  CHECK(testing::resolve_mirrors(batch, actual).value_or("").find("element 1") == 0);
}
