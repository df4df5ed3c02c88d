// Runs every tests/golden/mcp_*.transcript through mcp::Server::handle over the fake registry
// (fake_tools.h, fixed serverInfo version). Format: "> line" goes to handle(); the "< line"
// right after it is the expected reply, compared as parsed JSON (exact equality); a "> line"
// with no "<" after it asserts no reply; "#" lines and blank lines are comments. One Server
// per file, so a transcript is a session (re-initialize to switch revisions).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fake_tools.h"
#include "mcp/server.h"

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
    if (name.rfind("mcp_", 0) == 0 && entry.path().extension() == ".transcript") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

void run(const std::filesystem::path& path) {
  const std::string file = path.filename().string();
  const std::vector<Line> lines = load(path);
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  mcp::Server server(mcp_test::make_config(), registry);
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    REQUIRE_MESSAGE(line.kind == '>', file, ":", line.number, ": '<' without a '>' before it");
    const std::optional<std::string> reply = server.handle(line.text);
    const bool expects = i + 1 < lines.size() && lines[i + 1].kind == '<';
    if (!expects) {
      CHECK_MESSAGE(!reply.has_value(), file, ":", line.number, ": unexpected reply ",
                    reply.value_or(""));
      continue;
    }
    const Line& expected = lines[++i];
    if (!reply) {
      CHECK_MESSAGE(false, file, ":", line.number, ": no reply, expected ", expected.text);
      continue;
    }
    const mcp::Json want = mcp::Json::parse(expected.text, nullptr, false);
    REQUIRE_MESSAGE(!want.is_discarded(), file, ":", expected.number, ": expected is not JSON");
    CHECK_MESSAGE(mcp::Json::parse(*reply) == want, file, ":", expected.number,
                  ":\n  expected ", expected.text, "\n  actual   ", *reply);
  }
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
