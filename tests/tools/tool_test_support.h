// ToolHarness: every tool registered in a real mcp::ToolRegistry over a Store in a temp dir
// (sync=never, ManualClock), so every call goes through schema validation like a tools/call.
// ok() also checks the result against the tool's outputSchema (via a second registry whose
// inputSchemas are the outputSchemas: valijson, as the server uses it).
//
// With OOC_TEST_ENGINE_URL set (the ctest entry "tool suite on the PostgreSQL engine",
// tests/pg/run_tool_suite_on_pg), a harness without a file system of its own runs on the
// PostgreSQL engine instead: that migrated database, a team of the harness's own.
#pragma once

#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "mcp/json.h"
#include "mcp/tool_registry.h"
#include "schemas/embedded_schemas.h"
#include "storage/clock.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"
#include "tools/register_tools.h"
#include "tools/tools.h"
#ifdef OOC_TESTS_WITH_POSTGRES
#include "storage/pg/pg_engine.h"
#include "storage/pg/storage_url.h"
#endif

namespace tools_test {

using mcp::Json;

struct HarnessOptions {
  storage::FileSystem* fs = nullptr;
  std::string default_project = "proj";
  size_t max_segment_bytes = 1 << 20;
  int64_t token_limit = 200000;  // OUT_OF_CONTEXT_TOKEN_LIMIT
};

class ToolHarness {
 public:
  explicit ToolHarness(HarnessOptions o = {}) : default_project_(o.default_project) {
    storage::StoreOptions options;
    options.path = dir_.file("storage.json");
    options.sync = storage::SyncMode::kNever;
    options.clock = &clock_;
    options.fs = o.fs;
    options.limits.max_segment_bytes = o.max_segment_bytes;
    store_ = o.fs == nullptr ? open_team_store(options) : nullptr;
    if (store_ == nullptr) store_ = storage::Store::open(options);
    tools::ToolContext ctx{*store_, default_project_};
    ctx.token_limit = o.token_limit;
    REQUIRE(tools::register_tools(registry_, ctx).ok());
    for (const schemas::EmbeddedSchema& schema : schemas::tool_descriptors()) {
      Json descriptor = Json::parse(schema.json);
      Json checker = {{"name", descriptor.at("name")}, {"inputSchema", descriptor.at("outputSchema")}};
      REQUIRE(output_checker_.add(checker, [](const Json&) { return mcp::ToolResult::success(Json::object()); }) == "");
    }
  }

  storage::Store& store() { return *store_; }
  // True when this harness runs on the PostgreSQL engine (OOC_TEST_ENGINE_URL).
  bool on_team_store() const { return on_team_store_; }
  storage::ManualClock& clock() { return clock_; }
  const mcp::ToolRegistry& registry() const { return registry_; }
  std::string storage_path() const { return dir_.file("storage.json"); }
  // Where the store is, as tools report it: the file, or the team store's server and team.
  std::string store_location() {
    if (!on_team_store_) return storage_path();
    storage::Result<storage::StoreStats> stats = store_->stats();
    REQUIRE(stats.ok());
    return stats->path;
  }

  // The CallToolResult of tools/call.
  Json call(std::string_view name, const Json& args) {
    std::optional<Json> result = registry_.call(name, args);
    REQUIRE(result.has_value());
    return *result;
  }
  Json call(std::string_view name, const char* args) { return call(name, Json::parse(args)); }

  // structuredContent of a successful call, checked against the outputSchema.
  Json ok(std::string_view name, const Json& args) {
    Json result = call(name, args);
    INFO(mcp::dump_compact(result));
    REQUIRE_FALSE(result.value("isError", false));
    REQUIRE(result.contains("structuredContent"));
    const Json& structured = result.at("structuredContent");
    std::optional<Json> check = output_checker_.call(name, structured);
    REQUIRE(check.has_value());
    INFO("outputSchema violation: " << mcp::dump_compact(*check));
    CHECK_FALSE(check->value("isError", false));
    CHECK(structured.at("summary").is_string());
    return structured;
  }
  Json ok(std::string_view name, const char* args) { return ok(name, Json::parse(args)); }

  // "CODE: message" of a failed call.
  std::string error(std::string_view name, const Json& args) {
    Json result = call(name, args);
    INFO(mcp::dump_compact(result));
    REQUIRE(result.value("isError", false));
    return result.at("content").at(0).at("text").get<std::string>();
  }
  std::string error(std::string_view name, const char* args) { return error(name, Json::parse(args)); }

 private:
  // The PostgreSQL engine on OOC_TEST_ENGINE_URL with a team of this harness's own; null when the
  // variable is not set.
  std::unique_ptr<storage::Store> open_team_store(const storage::StoreOptions& options) {
    const char* url = std::getenv("OOC_TEST_ENGINE_URL");
    if (url == nullptr || *url == '\0') return nullptr;
#ifdef OOC_TESTS_WITH_POSTGRES
    static std::atomic<int> teams{0};
    auto parsed = storage::pg::parse_storage_url(url);
    REQUIRE_MESSAGE(parsed.ok(), parsed.status().to_string());
    storage::pg::PgEngineOptions pg_options;
    pg_options.url = *parsed;
    pg_options.team = "tt" + std::to_string(::getpid()) + "x" + std::to_string(teams++);
    pg_options.store = options;
    auto engine = storage::pg::PgEngine::open(std::move(pg_options));
    REQUIRE_MESSAGE(engine.ok(), engine.status().to_string());
    on_team_store_ = true;
    return std::make_unique<storage::Store>(std::move(engine).value());
#else
    FAIL("OOC_TEST_ENGINE_URL is set but these tests were built without the PostgreSQL engine");
    return nullptr;
#endif
  }

  bool on_team_store_ = false;
  testing::TempDir dir_;
  storage::ManualClock clock_;
  std::string default_project_;
  std::unique_ptr<storage::Store> store_;
  mcp::ToolRegistry registry_;
  mcp::ToolRegistry output_checker_;
};

inline bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}
inline bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace tools_test
