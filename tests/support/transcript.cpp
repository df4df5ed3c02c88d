#include "tests/support/transcript.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <string>

namespace testing {
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

}  // namespace

std::vector<std::filesystem::path> golden_transcripts(std::string_view prefix) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(OOC_TESTS_DIR "/golden")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".transcript") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

void replay_transcript(const std::filesystem::path& path, mcp::Server& server) {
  const std::string file = path.filename().string();
  const std::vector<Line> lines = load(path);
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
    REQUIRE_MESSAGE(!want.is_discarded(), file, ":", expected.number, ": expected is not JSON");
    CHECK_MESSAGE(mcp::Json::parse(*reply) == want, file, ":", expected.number, ":\n  expected ", expected.text,
                  "\n  actual   ", *reply);
  }
}

}  // namespace testing
