#include "tools/config.h"

#include <cstdlib>

namespace tools {

// A retrieve reply carries a segment's text twice (structuredContent and its JSON mirror) and the
// SDK clients drop lines over 10 MiB: 4 MiB segments keep every reply under that.
constexpr unsigned long long kMaxSegmentBytesCeiling = 4ull << 20;

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

bool is_log_level(const std::string& level) {
  return level == "trace" || level == "debug" || level == "info" || level == "warn" || level == "error" ||
         level == "critical" || level == "off";
}

namespace {

// An optional whole number from `min` to `max` in variable `name`; invalid_argument naming it.
storage::Status read_number(const EnvLookup& env, const char* name, unsigned long long min, unsigned long long max,
                            unsigned long long& out) {
  const std::string value = env(name).value_or("");
  if (value.empty()) return storage::Status::ok_status();
  char* end = nullptr;
  const unsigned long long parsed = std::strtoull(value.c_str(), &end, 10);
  if (end == nullptr || *end != '\0' || value[0] == '-' || parsed < min || parsed > max) {
    return storage::Status::invalid_argument(std::string(name) + "='" + value + "': must be a number from " +
                                             std::to_string(min) + " to " + std::to_string(max));
  }
  out = parsed;
  return storage::Status::ok_status();
}

}  // namespace

storage::Result<Config> load_config(const EnvLookup& env, const CommandLineOverrides& flags) {
  Config config;
  auto get = [&](const char* name) { return env(name).value_or(""); };

  const std::string sync = get("OUT_OF_CONTEXT_SYNC");
  if (sync == "never") {
    config.sync = storage::SyncMode::kNever;
  } else if (!sync.empty() && sync != "always") {
    return storage::Status::invalid_argument("OUT_OF_CONTEXT_SYNC='" + sync + "': must be 'always' or 'never'");
  }

  const std::string max_bytes = get("OUT_OF_CONTEXT_MAX_SEGMENT_BYTES");
  if (!max_bytes.empty()) {
    char* end = nullptr;
    unsigned long long parsed = std::strtoull(max_bytes.c_str(), &end, 10);
    if (end == nullptr || *end != '\0' || max_bytes[0] == '-' || parsed == 0 || parsed > kMaxSegmentBytesCeiling) {
      return storage::Status::invalid_argument("OUT_OF_CONTEXT_MAX_SEGMENT_BYTES='" + max_bytes +
                                               "': must be a number of bytes from 1 to " + std::to_string(kMaxSegmentBytesCeiling) +
                                               " (a reply carries the text twice and clients buffer at most 10 MiB)");
    }
    config.max_segment_bytes = static_cast<size_t>(parsed);
  }

  unsigned long long number = config.lock_timeout_ms;
  if (auto st = read_number(env, "OUT_OF_CONTEXT_LOCK_TIMEOUT_MS", 1, 3600000, number); !st.ok()) return st;
  config.lock_timeout_ms = number;
  number = config.max_working_segments;
  if (auto st = read_number(env, "OUT_OF_CONTEXT_MAX_WORKING_SEGMENTS", 1, 1000000, number); !st.ok()) return st;
  config.max_working_segments = static_cast<size_t>(number);

  config.log_level = !flags.log_level.empty() ? flags.log_level : get("OUT_OF_CONTEXT_LOG_LEVEL");
  if (config.log_level.empty()) config.log_level = "warn";
  if (!is_log_level(config.log_level)) {
    return storage::Status::invalid_argument(
        "log level '" + config.log_level + "': must be one of trace, debug, info, warn, error, critical, off");
  }

  config.project = !flags.project.empty() ? flags.project : get("OUT_OF_CONTEXT_PROJECT");
  if (!flags.project.empty()) {
    if (storage::Status s = storage::validate_project_id(flags.project); !s.ok()) {
      return storage::Status::invalid_argument("--project: " + s.message());
    }
  }

  const std::string configured = !flags.storage.empty() ? flags.storage : get("OUT_OF_CONTEXT_STORAGE_PATH");
  const std::string home = get("HOME");
  if (configured.empty() && home.empty()) {
    return storage::Status::invalid_argument("HOME is not set: set OUT_OF_CONTEXT_STORAGE_PATH or pass --storage");
  }
  config.storage_path = storage::resolve_storage_path(configured, home);
  return config;
}

}  // namespace tools
