// Runs every tests/golden/tools_*.transcript through mcp::Server::handle over the real tools
// (a Store in a temp dir, ManualClock at 2026-01-01, default project "proj", fixed serverInfo).
// The format is in tests/support/transcript.h. One store and server per file.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "mcp/server.h"
#include "tests/support/transcript.h"
#include "tests/tools/tool_test_support.h"
#include "tools/features.h"
#include "tools/serve.h"

namespace {

std::vector<std::filesystem::path> transcripts() { return testing::golden_transcripts("tools_"); }

void run(const std::filesystem::path& path) {
  tools_test::ToolHarness harness;
  mcp::ServerConfig config;
  config.version = "test";
  config.instructions = tools::server_instructions();
  tools::StoreFeatures features(tools::ToolContext{harness.store(), "proj"});
  mcp::Server server(config, harness.registry(), &features);
  testing::replay_transcript(path, server);
}

}  // namespace

TEST_CASE("golden: the tools transcripts replay exactly through Server::handle over the real tools") {
  const std::vector<std::filesystem::path> paths = transcripts();
  CHECK_FALSE(paths.empty());
  for (const auto& path : paths) {
    INFO(path.filename().string());
    run(path);
  }
}
