// Settings of one ooc process, from environment variables overridden by command-line flags:
//   OUT_OF_CONTEXT_STORAGE_PATH       snapshot file or directory (default ~/.out_of_context/)
//   OUT_OF_CONTEXT_SYNC               always (default) | never
//   OUT_OF_CONTEXT_MAX_SEGMENT_BYTES  largest segment text (default 1 MiB)
//   OUT_OF_CONTEXT_LOCK_TIMEOUT_MS    longest wait for another process's store lock (default 10000)
//   OUT_OF_CONTEXT_MAX_WORKING_SEGMENTS  working segments per session (default 10000)
//   OUT_OF_CONTEXT_TOKEN_LIMIT        the agent's context window in tokens (default 200000)
//   OUT_OF_CONTEXT_LOG_LEVEL          trace|debug|info|warn|error|critical|off (default warn)
//   OUT_OF_CONTEXT_PROJECT            default project (see project_id.h)
//   OUT_OF_CONTEXT_STORAGE_URL        a PostgreSQL team store instead of the file store (issue 14;
//                                     checked by the engine: storage/pg/storage_url.h)
//   OUT_OF_CONTEXT_TEAM               the team of the team store, when the role has several
// Path settings (the storage path, from the variable or --storage) expand a leading `~` and
// `$VAR` / `${VAR}` themselves: MCP clients start servers from a JSON `env` block, where no shell
// expands them. Pure: the environment comes in as a lookup function, so tests need no real
// variables.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "storage/status.h"
#include "storage/store.h"

namespace tools {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (std::getenv). HOME, when unset or empty, is the home directory of the
// user's passwd entry (getpwuid_r), as a login shell would set it.
EnvLookup process_environment();

// The home directory of the real user's passwd entry; nullopt when there is none. The fully static
// release binary reads /etc/passwd itself (it cannot load NSS modules); a dynamic one asks
// getpwuid_r.
std::optional<std::string> passwd_home();

// Whether this program is linked fully static (the release binary ooc-static).
bool linked_statically();

struct CommandLineOverrides {
  std::string storage = {};    // --storage
  std::string project = {};    // --project
  std::string log_level = {};  // --log-level
};

struct Config {
  std::string storage_path;  // resolved snapshot path
  storage::SyncMode sync = storage::SyncMode::kAlways;
  size_t max_segment_bytes = 1 << 20;
  unsigned long long lock_timeout_ms = 10000;
  size_t max_working_segments = 10000;
  int64_t token_limit = 200000;  // usage_percent and the 60/80/90 % warnings (tools/budget.h)
  std::string log_level = "warn";
  std::string project;  // set only by --project or OUT_OF_CONTEXT_PROJECT; empty otherwise
  std::string storage_url;  // OUT_OF_CONTEXT_STORAGE_URL; empty: the file store at storage_path
  std::string team;         // OUT_OF_CONTEXT_TEAM; empty: the role's only team
};

// `path` with a leading `~` (alone or before '/') replaced by HOME and every `$VAR` or `${VAR}`
// by its value (a `$` not followed by a name stays as is). invalid_argument naming `setting` and
// the variable when one is not set, e.g. "OUT_OF_CONTEXT_STORAGE_PATH: '$DATA/ooc' uses $DATA,
// which is not set".
storage::Result<std::string> expand_path(const std::string& setting, const std::string& path, const EnvLookup& env);

// invalid_argument naming the variable or flag, the bad value and the allowed ones when a value
// is unusable, e.g. "OUT_OF_CONTEXT_SYNC: 'sometimes' is not one of always, never".
storage::Result<Config> load_config(const EnvLookup& env, const CommandLineOverrides& flags);

// True for trace, debug, info, warn, error, critical, off.
bool is_log_level(const std::string& level);

}  // namespace tools
