// OocProcess: the real `ooc` binary (OOC_BINARY) as a child process, talked to over pipes.
// Every wait is bounded (poll() with a deadline); nothing sleeps. The destructor SIGKILLs and reaps
// a child that is still running, so a failing test never leaves a server behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mcp/json.h"

namespace blackbox {

using namespace std::chrono_literals;

// Generous enough for a Debug + ASan build on a busy machine; a healthy server answers in ms.
inline constexpr std::chrono::milliseconds kReplyTimeout = 10s;
// For requests and replies of several MiB (parsing, validating and journaling them takes a while
// under ASan on a loaded machine).
inline constexpr std::chrono::milliseconds kBigReplyTimeout = 60s;

// The environment of a test server. HOME and OUT_OF_CONTEXT_STORAGE_PATH always point into temp
// dirs, so nothing can ever touch the real ~/.out_of_context.
struct OocEnv {
  std::string home;          // required
  std::string storage_path;  // required
  std::string sync = "never";
  std::string project = "blackbox";
  std::map<std::string, std::string> extra;  // more variables, e.g. OUT_OF_CONTEXT_MAX_SEGMENT_BYTES
};

class OocProcess {
 public:
  // Spawns OOC_BINARY with exactly the variables of `env` (plus PATH). Throws on failure.
  explicit OocProcess(const OocEnv& env, const std::vector<std::string>& args = {});
  ~OocProcess();
  OocProcess(const OocProcess&) = delete;
  OocProcess& operator=(const OocProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Writes `line` + '\n' to the child's stdin; stdout/stderr are drained meanwhile so a big write
  // never deadlocks against a server that answers. False on timeout or a closed pipe.
  bool write_line(const std::string& line, std::chrono::milliseconds timeout = kReplyTimeout);
  bool write_json(const mcp::Json& message, std::chrono::milliseconds timeout = kReplyTimeout) {
    return write_line(message.dump(), timeout);
  }
  // The next stdout line (without '\n'); nullopt on timeout or EOF.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = kReplyTimeout);
  // The next stdout line parsed as JSON; nullopt on timeout, EOF or a line that is not JSON.
  std::optional<mcp::Json> read_json(std::chrono::milliseconds timeout = kReplyTimeout);
  // Every stdout line received so far (for the stdout-purity checks), in order.
  const std::vector<std::string>& stdout_lines() const { return all_lines_; }
  // True when stdout reached EOF and every complete line was read.
  bool stdout_closed() const { return stdout_fd_ < 0 && pending_.empty(); }

  void close_stdin();
  void send_signal(int signal_number);
  // Waits for the child to exit; its exit status (0..255), 128 + signal when killed by a signal,
  // nullopt on timeout. Drains stdout/stderr while waiting.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = kReplyTimeout);
  // Everything the child wrote to stderr so far (capped at 1 MiB).
  const std::string& stderr_text() const { return stderr_; }

 private:
  // One poll() round over the child's pipes (stdin when `want_write`); false on timeout/error.
  bool pump(std::chrono::steady_clock::time_point deadline, bool want_write);
  void read_available(int& fd, std::string& into, bool is_stdout);

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string pending_;    // stdout bytes not yet returned as lines
  size_t scanned_ = 0;     // pending_[0, scanned_) holds no '\n'

  std::string stderr_;
  std::vector<std::string> all_lines_;
  std::optional<int> exit_status_;
};

// JSON-RPC helpers.
mcp::Json request(long long id, const std::string& method, mcp::Json params = mcp::Json::object());
mcp::Json notification(const std::string& method, mcp::Json params = mcp::Json::object());
mcp::Json tool_call(long long id, const std::string& tool, mcp::Json arguments);

// initialize (2025-11-25) + notifications/initialized; returns the initialize reply (or null).
mcp::Json initialize(OocProcess& process, long long id = 0);
// Sends `message` and returns the reply with the same id, skipping nothing: the next line must be it.
mcp::Json call(OocProcess& process, const mcp::Json& message, std::chrono::milliseconds timeout = kReplyTimeout);

}  // namespace blackbox
