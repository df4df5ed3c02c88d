// Runs every tests/golden/tools_*.transcript through mcp::Server::handle over the real tools
// (a Store in a temp dir, ManualClock at 2026-01-01, default project "proj", fixed serverInfo).
// Format as tests/mcp/golden_transcript_test.cpp: "> line" goes to handle(); the "< line" right
// after it is the expected reply, compared as parsed JSON; a "> line" with no "<" asserts no
// reply; "#" lines and blank lines are comments. One store and server per file.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "mcp/server.h"
#include "tests/tools/tool_test_support.h"
#include "tools/serve.h"

namespace {

struct Line {
  size_t number;
  char kind;  // '>' or '<'
  std::string text;
};

std::vector<Line> load(const std::filesystem::path& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::vector<Line> lines;
  std::string text;
  for (size_t number = 1; std::getline(in, text); ++number) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.empty() || text[0] == '#') continue;
    REQUIRE_MESSAGE((text[0] == '>' || text[0] == '<'), path.filename().string(), ":", number,
                    ": a line must start with '>', '<' or '#'");
    const size_t start = text.size() > 1 && text[1] == ' ' ? 2 : 1;
    lines.push_back(Line{number, text[0], text.substr(start)});
  }
  return lines;
}

std::vector<std::filesystem::path> transcripts() {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(OOC_TESTS_DIR "/golden")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("tools_", 0) == 0 && entry.path().extension() == ".transcript") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

void run(const std::filesystem::path& path) {
  const std::string file = path.filename().string();
  const std::vector<Line> lines = load(path);
  tools_test::ToolHarness harness;
  mcp::ServerConfig config;
  config.version = "test";
  config.instructions = tools::server_instructions();
  mcp::Server server(config, harness.registry());
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    REQUIRE_MESSAGE(line.kind == '>', file, ":", line.number, ": '<' without a '>' before it");
    const std::optional<std::string> reply = server.handle(line.text);
    const bool expects = i + 1 < lines.size() && lines[i + 1].kind == '<';
    if (!expects) {
      CHECK_MESSAGE(!reply.has_value(), file, ":", line.number, ": unexpected reply ", reply.value_or(""));
      continue;
    }
    const Line& expected = lines[++i];
    if (!reply) {
      CHECK_MESSAGE(false, file, ":", line.number, ": no reply, expected ", expected.text);
      continue;
    }
    const mcp::Json want = mcp::Json::parse(expected.text, nullptr, false);
    CHECK_MESSAGE((!want.is_discarded() && mcp::Json::parse(*reply) == want), file, ":", expected.number,
                  ":\n  expected ", expected.text, "\n  actual   ", *reply);
  }
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
