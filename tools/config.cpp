#include "tools/config.h"

#include <algorithm>

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

// Defined by the linker in every dynamically linked program, absent (null) in a static one.
extern "C" const char _DYNAMIC[] __attribute__((weak));  // NOLINT(bugprone-reserved-identifier)

namespace tools {
namespace {

// A retrieve reply carries a segment's text twice (structuredContent and its JSON mirror) and the
// SDK clients drop lines over 10 MiB: 4 MiB segments keep every reply under that.
constexpr unsigned long long kMaxSegmentBytesCeiling = 4ull << 20;

bool name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

storage::Status unset_variable(const std::string& setting, const std::string& path, const std::string& name) {
  return storage::Status::invalid_argument(setting + ": '" + path + "' uses " + name + ", which is not set");
}

}  // namespace

bool linked_statically() { return _DYNAMIC == nullptr; }

std::optional<std::string> passwd_home() {
  long suggested = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(suggested > 0 ? static_cast<size_t>(suggested) : 16384);
  struct passwd entry {};
  struct passwd* found = nullptr;
  if (linked_statically()) {
    // A fully static glibc cannot load the host's NSS modules (they belong to another glibc): read
    // the passwd file itself, with glibc's own parser of its lines.
    std::FILE* file = std::fopen("/etc/passwd", "re");
    if (file == nullptr) return std::nullopt;
    const uid_t uid = ::getuid();
    while (::fgetpwent_r(file, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
      if (found->pw_uid == uid) break;
      found = nullptr;
    }
    std::fclose(file);
  } else if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) != 0) {
    found = nullptr;
  }
  if (found == nullptr || found->pw_dir == nullptr || found->pw_dir[0] == '\0') return std::nullopt;
  return std::string(found->pw_dir);
}

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (name == "HOME" && (value == nullptr || value[0] == '\0')) return passwd_home();
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

bool is_log_level(const std::string& level) {
  return level == "trace" || level == "debug" || level == "info" || level == "warn" || level == "error" ||
         level == "critical" || level == "off";
}

storage::Result<std::string> expand_path(const std::string& setting, const std::string& path, const EnvLookup& env) {
  std::string out;
  size_t i = 0;
  if (!path.empty() && path[0] == '~' && (path.size() == 1 || path[1] == '/')) {
    std::optional<std::string> home = env("HOME");
    if (!home || home->empty()) return unset_variable(setting, path, "~ (HOME)");
    out = *home;
    i = 1;
  }
  while (i < path.size()) {
    const char c = path[i];
    if (c != '$' || i + 1 >= path.size()) {
      out += c;
      ++i;
      continue;
    }
    std::string name;
    size_t next = i + 1;
    if (path[next] == '{') {
      const size_t close = path.find('}', next);
      if (close == std::string::npos) {
        return storage::Status::invalid_argument(setting + ": '" + path + "' has a '${' without its '}'");
      }
      name = path.substr(next + 1, close - next - 1);
      bool valid = !name.empty() && name_start(name[0]);
      for (char n : name) valid = valid && name_char(n);
      if (!valid) return storage::Status::invalid_argument(setting + ": '" + path + "': '${" + name + "}' is not a variable name");
      next = close + 1;
    } else {
      while (next < path.size() && (next == i + 1 ? name_start(path[next]) : name_char(path[next]))) name += path[next++];
      if (name.empty()) {  // "$" before something that is no name: literal
        out += c;
        ++i;
        continue;
      }
    }
    std::optional<std::string> value = env(name);
    if (!value) return unset_variable(setting, path, "$" + name);
    out += *value;
    i = next;
  }
  return out;
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
    return storage::Status::invalid_argument(std::string(name) + ": '" + value + "' is not a whole number from " +
                                             std::to_string(min) + " to " + std::to_string(max));
  }
  out = parsed;
  return storage::Status::ok_status();
}

}  // namespace

namespace {

// The ooc_team domain of storage/pg/SCHEMA.md.
bool valid_team(const std::string& team) {
  if (team.empty() || team.size() > 40 || team.front() == '_' || team.back() == '_') return false;
  if (team.size() >= 3 && team.compare(team.size() - 3, 3, "_ro") == 0) return false;
  return std::all_of(team.begin(), team.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace

storage::Result<Config> load_config(const EnvLookup& env, const CommandLineOverrides& flags) {
  Config config;
  auto get = [&](const char* name) { return env(name).value_or(""); };

  const std::string sync = get("OUT_OF_CONTEXT_SYNC");
  if (sync == "never") {
    config.sync = storage::SyncMode::kNever;
  } else if (!sync.empty() && sync != "always") {
    return storage::Status::invalid_argument("OUT_OF_CONTEXT_SYNC: '" + sync + "' is not one of always, never");
  }

  const std::string max_bytes = get("OUT_OF_CONTEXT_MAX_SEGMENT_BYTES");
  if (!max_bytes.empty()) {
    char* end = nullptr;
    unsigned long long parsed = std::strtoull(max_bytes.c_str(), &end, 10);
    if (end == nullptr || *end != '\0' || max_bytes[0] == '-' || parsed == 0 || parsed > kMaxSegmentBytesCeiling) {
      return storage::Status::invalid_argument("OUT_OF_CONTEXT_MAX_SEGMENT_BYTES: '" + max_bytes +
                                               "' is not a number of bytes from 1 to " + std::to_string(kMaxSegmentBytesCeiling) +
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
  number = static_cast<unsigned long long>(config.token_limit);
  if (auto st = read_number(env, "OUT_OF_CONTEXT_TOKEN_LIMIT", 1000, 100000000, number); !st.ok()) return st;
  config.token_limit = static_cast<int64_t>(number);

  const std::string level_source = !flags.log_level.empty() ? "--log-level" : "OUT_OF_CONTEXT_LOG_LEVEL";
  config.log_level = !flags.log_level.empty() ? flags.log_level : get("OUT_OF_CONTEXT_LOG_LEVEL");
  if (config.log_level.empty()) config.log_level = "warn";
  if (!is_log_level(config.log_level)) {
    return storage::Status::invalid_argument(level_source + ": '" + config.log_level +
                                             "' is not one of trace, debug, info, warn, error, critical, off");
  }

  config.project = !flags.project.empty() ? flags.project : get("OUT_OF_CONTEXT_PROJECT");
  if (!flags.project.empty()) {
    if (storage::Status s = storage::validate_project_id(flags.project); !s.ok()) {
      return storage::Status::invalid_argument("--project: " + s.message());
    }
  }

  config.storage_url = get("OUT_OF_CONTEXT_STORAGE_URL");
  config.team = get("OUT_OF_CONTEXT_TEAM");
  if (!config.team.empty() && !valid_team(config.team)) {
    return storage::Status::invalid_argument("OUT_OF_CONTEXT_TEAM: '" + config.team +
                                             "' is not a team name (1-40 of a-z 0-9 _, starting and ending with a "
                                             "letter or digit, not ending in _ro)");
  }

  const bool from_flag = !flags.storage.empty();
  const std::string configured = from_flag ? flags.storage : get("OUT_OF_CONTEXT_STORAGE_PATH");
  const std::string home = get("HOME");
  if (configured.empty() && home.empty()) {
    return storage::Status::invalid_argument(
        "HOME is not set and the user has no passwd entry: set OUT_OF_CONTEXT_STORAGE_PATH or pass --storage");
  }
  storage::Result<std::string> expanded =
      expand_path(from_flag ? "--storage" : "OUT_OF_CONTEXT_STORAGE_PATH", configured, env);
  if (!expanded.ok()) return expanded.status();
  config.storage_path = storage::resolve_storage_path(*expanded, home);
  return config;
}

}  // namespace tools
