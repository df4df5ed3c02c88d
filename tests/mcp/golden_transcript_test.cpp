// Runs every tests/golden/mcp_*.transcript through mcp::Server::handle over the fake registry
// (fake_tools.h, fixed serverInfo version). Format: "> line" goes to handle(); the "< line"
// right after it is the expected reply, compared as parsed JSON (exact equality); a "> line"
// with no "<" after it asserts no reply; "#" lines and blank lines are comments. One Server
// per file, so a transcript is a session (re-initialize to switch revisions).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fake_tools.h"
#include "mcp/server.h"
#include "tests/support/transcript.h"

namespace {

std::vector<std::filesystem::path> transcripts() { return testing::golden_transcripts("mcp_"); }

void run(const std::filesystem::path& path) {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  mcp::Server server(mcp_test::make_config(), registry);
  testing::replay_transcript(path, server);
}

}  // namespace

TEST_CASE("golden: the mcp transcripts exist (lifecycle, bad requests, revisions, batches)") {
  std::vector<std::string> names;
  for (const auto& path : transcripts()) names.push_back(path.filename().string());
  for (const char* required : {"mcp_lifecycle.transcript", "mcp_bad_requests.transcript",
                               "mcp_revisions.transcript", "mcp_batches.transcript"}) {
    CHECK_MESSAGE(std::find(names.begin(), names.end(), required) != names.end(), required);
  }
}

TEST_CASE("golden: every mcp transcript replays exactly through Server::handle") {
  for (const auto& path : transcripts()) {
    CAPTURE(path.filename().string());
    run(path);
  }
}
