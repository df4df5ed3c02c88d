// The registry against the real tool descriptors in schemas/tools/*.json (read as files, so
// mcp tests stay independent of the schemas/ and tools/ targets): valijson must load every
// inputSchema, or the server could not start.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "mcp/tool_registry.h"

TEST_CASE("registry: every descriptor in schemas/tools loads into a registry") {
  const std::filesystem::path dir = std::filesystem::path(OOC_SOURCE_DIR) / "schemas" / "tools";
  // A missing folder is a broken checkout or a moved directory, not a pass.
  REQUIRE_MESSAGE(std::filesystem::is_directory(dir), dir.string(), " is not a directory");
  mcp::ToolRegistry registry;
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const mcp::Json descriptor = mcp::Json::parse(text.str(), nullptr, false);
    CAPTURE(entry.path().filename().string());
    REQUIRE_FALSE(descriptor.is_discarded());
    CHECK(registry.add(descriptor, [](const mcp::Json&) {
      return mcp::ToolResult::success(mcp::Json::object());
    }) == "");
    ++count;
  }
  CHECK(count > 0);
  CHECK(registry.descriptors().size() == count);
}
