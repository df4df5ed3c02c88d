#include <doctest/doctest.h>

#include <cstdlib>
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
  CHECK(sync.status().message() == "OUT_OF_CONTEXT_SYNC: 'sometimes' is not one of always, never");
  for (const char* bad : {"0", "-5", "12abc", "99999999999"}) {
    auto bytes = tools::load_config(env({{"HOME", "/h"}, {"OUT_OF_CONTEXT_MAX_SEGMENT_BYTES", bad}}), {});
    CHECK_FALSE(bytes.ok());
  }
  auto level = tools::load_config(env({{"HOME", "/h"}}), {.log_level = "loud"});
  REQUIRE_FALSE(level.ok());
  CHECK(level.status().message() == "--log-level: 'loud' is not one of trace, debug, info, warn, error, critical, off");
  auto env_level = tools::load_config(env({{"HOME", "/h"}, {"OUT_OF_CONTEXT_LOG_LEVEL", "chatty"}}), {});
  REQUIRE_FALSE(env_level.ok());
  CHECK(env_level.status().message().find("OUT_OF_CONTEXT_LOG_LEVEL: 'chatty' is not one of trace") == 0);
  CHECK_FALSE(tools::load_config(env({{"HOME", "/h"}}), {.project = "bad id"}).ok());
  CHECK_FALSE(tools::load_config(env({}), {}).ok());
  CHECK(tools::load_config(env({}), {.storage = "/x/s.json"}).ok());
}

TEST_CASE("config: a storage path expands a leading tilde and $VAR and ${VAR} as a shell would") {
  auto with = [](const std::string& path) {
    return tools::load_config(env({{"HOME", "/home/u"}, {"DATA", "/srv/data"}, {"OUT_OF_CONTEXT_STORAGE_PATH", path}}), {});
  };
  CHECK(with("~/ooc-store/")->storage_path == "/home/u/ooc-store/storage.json");
  CHECK(with("~")->storage_path == "/home/u");
  CHECK(with("$HOME/ooc/s.json")->storage_path == "/home/u/ooc/s.json");
  CHECK(with("${HOME}/ooc/s.json")->storage_path == "/home/u/ooc/s.json");
  CHECK(with("${DATA}/x-$DATA.json")->storage_path == "/srv/data/x-/srv/data.json");
  CHECK(with("/tmp/a$/b~/c")->storage_path == "/tmp/a$/b~/c");  // no name after $, ~ not leading
  CHECK(with("~user/s.json")->storage_path == "~user/s.json");    // only ~ alone or ~/ expands
  auto flagged = tools::load_config(env({{"HOME", "/home/u"}}), {.storage = "~/flag.json"});
  REQUIRE(flagged.ok());
  CHECK(flagged->storage_path == "/home/u/flag.json");
}

TEST_CASE("config: an unset variable in a storage path is an error naming the setting and the variable") {
  auto missing = tools::load_config(env({{"HOME", "/h"}, {"OUT_OF_CONTEXT_STORAGE_PATH", "$NOPE/s.json"}}), {});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() == "OUT_OF_CONTEXT_STORAGE_PATH: '$NOPE/s.json' uses $NOPE, which is not set");
  auto braced = tools::load_config(env({{"HOME", "/h"}}), {.storage = "${NOPE}/s.json"});
  REQUIRE_FALSE(braced.ok());
  CHECK(braced.status().message() == "--storage: '${NOPE}/s.json' uses $NOPE, which is not set");
  auto open = tools::load_config(env({{"HOME", "/h"}, {"OUT_OF_CONTEXT_STORAGE_PATH", "${HOME/s.json"}}), {});
  REQUIRE_FALSE(open.ok());
  CHECK(open.status().message().find("without its '}'") != std::string::npos);
  auto no_home = tools::load_config(env({}), {.storage = "~/s.json"});
  REQUIRE_FALSE(no_home.ok());
  CHECK(no_home.status().message().find("uses ~ (HOME), which is not set") != std::string::npos);
}

TEST_CASE("config: the process environment falls back to the passwd entry when HOME is unset") {
  const std::optional<std::string> passwd = tools::passwd_home();
  REQUIRE(passwd.has_value());  // every test user has a passwd entry
  const char* saved = std::getenv("HOME");
  const std::string kept = saved ? saved : "";
  ::unsetenv("HOME");
  const std::optional<std::string> home = tools::process_environment()("HOME");
  if (saved != nullptr) ::setenv("HOME", kept.c_str(), 1);
  CHECK(home == passwd);
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
  CHECK(zero.status().message() == "OUT_OF_CONTEXT_LOCK_TIMEOUT_MS: '0' is not a whole number from 1 to 3600000");
  CHECK_FALSE(tools::load_config(env({{"HOME", "/h"}, {"OUT_OF_CONTEXT_MAX_WORKING_SEGMENTS", "lots"}}), {}).ok());
}
