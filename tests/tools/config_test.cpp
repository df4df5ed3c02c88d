#include <doctest/doctest.h>

#include <map>

#include "tools/config.h"

namespace {

tools::EnvLookup env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("config: defaults come from HOME") {
  auto config = tools::load_config(env({{"HOME", "/home/u"}}), {});
  REQUIRE(config.ok());
  CHECK(config->storage_path == "/home/u/.out_of_context/storage.json");
  CHECK(config->sync == storage::SyncMode::kAlways);
  CHECK(config->max_segment_bytes == 1u << 20);
  CHECK(config->log_level == "warn");
  CHECK(config->project.empty());
}

TEST_CASE("config: environment variables, overridden by flags") {
  auto config = tools::load_config(env({{"HOME", "/h"},
                                        {"OUT_OF_CONTEXT_STORAGE_PATH", "/data/s.json"},
                                        {"OUT_OF_CONTEXT_SYNC", "never"},
                                        {"OUT_OF_CONTEXT_MAX_SEGMENT_BYTES", "4096"},
                                        {"OUT_OF_CONTEXT_LOG_LEVEL", "debug"},
                                        {"OUT_OF_CONTEXT_PROJECT", "envproj"}}),
                                   {});
  REQUIRE(config.ok());
  CHECK(config->storage_path == "/data/s.json");
  CHECK(config->sync == storage::SyncMode::kNever);
  CHECK(config->max_segment_bytes == 4096);
  CHECK(config->log_level == "debug");
  CHECK(config->project == "envproj");
  auto flagged = tools::load_config(env({{"HOME", "/h"}, {"OUT_OF_CONTEXT_STORAGE_PATH", "/data/s.json"}}),
                                    {.storage = "/flag/x.json", .project = "flagproj", .log_level = "error"});
  REQUIRE(flagged.ok());
  CHECK(flagged->storage_path == "/flag/x.json");
  CHECK(flagged->project == "flagproj");
  CHECK(flagged->log_level == "error");
}

TEST_CASE("config: unusable values are errors naming the variable") {
  auto sync = tools::load_config(env({{"HOME", "/h"}, {"OUT_OF_CONTEXT_SYNC", "sometimes"}}), {});
  REQUIRE_FALSE(sync.ok());
  CHECK(sync.status().message() == "OUT_OF_CONTEXT_SYNC='sometimes': must be 'always' or 'never'");
  for (const char* bad : {"0", "-5", "12abc", "99999999999"}) {
    auto bytes = tools::load_config(env({{"HOME", "/h"}, {"OUT_OF_CONTEXT_MAX_SEGMENT_BYTES", bad}}), {});
    CHECK_FALSE(bytes.ok());
  }
  auto level = tools::load_config(env({{"HOME", "/h"}}), {.log_level = "loud"});
  REQUIRE_FALSE(level.ok());
  CHECK(level.status().message().find("log level 'loud'") == 0);
  CHECK_FALSE(tools::load_config(env({{"HOME", "/h"}}), {.project = "bad id"}).ok());
  CHECK_FALSE(tools::load_config(env({}), {}).ok());
  CHECK(tools::load_config(env({}), {.storage = "/x/s.json"}).ok());
}

TEST_CASE("config: the lock timeout and the working-set cap have defaults and refuse unusable values") {
  auto defaults = tools::load_config(env({{"HOME", "/h"}}), {});
  REQUIRE(defaults.ok());
  CHECK(defaults->lock_timeout_ms == 10000);
  CHECK(defaults->max_working_segments == 10000);
  auto set = tools::load_config(
      env({{"HOME", "/h"}, {"OUT_OF_CONTEXT_LOCK_TIMEOUT_MS", "500"}, {"OUT_OF_CONTEXT_MAX_WORKING_SEGMENTS", "7"}}), {});
  REQUIRE(set.ok());
  CHECK(set->lock_timeout_ms == 500);
  CHECK(set->max_working_segments == 7);
  auto zero = tools::load_config(env({{"HOME", "/h"}, {"OUT_OF_CONTEXT_LOCK_TIMEOUT_MS", "0"}}), {});
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.status().message() == "OUT_OF_CONTEXT_LOCK_TIMEOUT_MS='0': must be a number from 1 to 3600000");
  CHECK_FALSE(tools::load_config(env({{"HOME", "/h"}, {"OUT_OF_CONTEXT_MAX_WORKING_SEGMENTS", "lots"}}), {}).ok());
}
