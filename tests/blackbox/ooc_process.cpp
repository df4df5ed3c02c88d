#include "tests/blackbox/ooc_process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace blackbox {
namespace {

constexpr size_t kStderrCap = 1 << 20;

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline, int cap_ms) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return 0;
  return static_cast<int>(std::min<long long>(left, cap_ms));
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

OocProcess::OocProcess(const OocEnv& env, const std::vector<std::string>& args) {
  // A write to a server that died must fail with EPIPE, not kill the test binary.
  ::signal(SIGPIPE, SIG_IGN);
  if (env.home.empty() || env.storage_path.empty()) throw std::invalid_argument("OocEnv needs home and storage_path");
  int in[2];
  int out[2];
  int err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  if (::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");

  std::vector<std::string> vars = {
      "HOME=" + env.home,
      "OUT_OF_CONTEXT_STORAGE_PATH=" + env.storage_path,
      "OUT_OF_CONTEXT_SYNC=" + env.sync,
      "OUT_OF_CONTEXT_PROJECT=" + env.project,
  };
  if (const char* path = std::getenv("PATH")) vars.push_back(std::string("PATH=") + path);
  for (const auto& [name, value] : env.extra) vars.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (std::string& v : vars) envp.push_back(v.data());
  envp.push_back(nullptr);

  std::string binary = OOC_BINARY;
  std::vector<std::string> argv_strings = {binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  // The child starts with default signal dispositions whatever the test runner ignores.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setflags(&attr, static_cast<short>(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
  const int rc = ::posix_spawn(&pid_, binary.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
  if (rc != 0) {
    pid_ = -1;
    close_fd(stdin_fd_);
    close_fd(stdout_fd_);
    close_fd(stderr_fd_);
    throw std::runtime_error("posix_spawn " + binary + ": " + std::strerror(rc));
  }
  for (int fd : {stdin_fd_, stdout_fd_, stderr_fd_}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

OocProcess::~OocProcess() {
  close_fd(stdin_fd_);
  if (pid_ > 0 && !exit_status_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  close_fd(stdout_fd_);
  close_fd(stderr_fd_);
}

void OocProcess::read_available(int& fd, std::string& into, bool is_stdout) {
  char buffer[65536];
  for (int round = 0; round < 1024 && fd >= 0; ++round) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      if (is_stdout || into.size() < kStderrCap) into.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    close_fd(fd);  // EOF or a real error
  }
}

bool OocProcess::pump(Clock::time_point deadline, bool want_write) {
  pollfd fds[3];
  nfds_t count = 0;
  int out_index = -1;
  int err_index = -1;
  int in_index = -1;
  auto add = [&](int fd, short events) {
    fds[count].fd = fd;
    fds[count].events = events;
    fds[count].revents = 0;
    return static_cast<int>(count++);
  };
  if (stdout_fd_ >= 0) out_index = add(stdout_fd_, POLLIN);
  if (stderr_fd_ >= 0) err_index = add(stderr_fd_, POLLIN);
  if (want_write && stdin_fd_ >= 0) in_index = add(stdin_fd_, POLLOUT);
  if (count == 0) return false;
  const int ready = ::poll(fds, count, remaining_ms(deadline, 50));
  if (ready < 0) return errno == EINTR;
  if (ready == 0) return Clock::now() < deadline;
  if (out_index >= 0 && fds[out_index].revents != 0) read_available(stdout_fd_, pending_, true);
  if (err_index >= 0 && fds[err_index].revents != 0) read_available(stderr_fd_, stderr_, false);
  (void)in_index;
  return true;
}

bool OocProcess::write_line(const std::string& line, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const std::string data = line + "\n";
  size_t written = 0;
  while (written < data.size()) {
    if (stdin_fd_ < 0) return false;
    const ssize_t n = ::write(stdin_fd_, data.data() + written, data.size() - written);
    if (n > 0) {
      written += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;  // EPIPE: child gone
    if (Clock::now() >= deadline) return false;
    if (!pump(deadline, true)) return false;
  }
  return true;
}

std::optional<std::string> OocProcess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const size_t newline = pending_.find('\n', scanned_);
    scanned_ = newline == std::string::npos ? pending_.size() : 0;
    if (newline != std::string::npos) {
      std::string line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      all_lines_.push_back(line);
      return line;
    }
    if (stdout_fd_ < 0) {
      if (!pending_.empty()) all_lines_.push_back(pending_);  // an unterminated last line: keep it visible
      pending_.clear();
      scanned_ = 0;
      return std::nullopt;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    if (!pump(deadline, false)) return std::nullopt;
  }
}

std::optional<mcp::Json> OocProcess::read_json(std::chrono::milliseconds timeout) {
  std::optional<std::string> line = read_line(timeout);
  if (!line) return std::nullopt;
  mcp::Json parsed = mcp::Json::parse(*line, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

void OocProcess::close_stdin() { close_fd(stdin_fd_); }

void OocProcess::send_signal(int signal_number) {
  if (pid_ > 0 && !exit_status_) ::kill(pid_, signal_number);
}

std::optional<int> OocProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_status_) return exit_status_;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_status_ = decode_status(status);
      // Collect what the child left in the pipes.
      if (stdout_fd_ >= 0) read_available(stdout_fd_, pending_, true);
      if (stderr_fd_ >= 0) read_available(stderr_fd_, stderr_, false);
      return exit_status_;
    }
    if (done < 0 && errno != EINTR) return std::nullopt;
    if (Clock::now() >= deadline) return std::nullopt;
    // Waits at most 50 ms per round for pipe activity (the child's exit closes them).
    if (stdout_fd_ < 0 && stderr_fd_ < 0) {
      ::poll(nullptr, 0, remaining_ms(deadline, 5));
    } else {
      pump(deadline, false);
    }
  }
}

mcp::Json request(long long id, const std::string& method, mcp::Json params) {
  mcp::Json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.empty()) message["params"] = std::move(params);
  return message;
}

mcp::Json notification(const std::string& method, mcp::Json params) {
  mcp::Json message = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.empty()) message["params"] = std::move(params);
  return message;
}

mcp::Json tool_call(long long id, const std::string& tool, mcp::Json arguments) {
  return request(id, "tools/call", {{"name", tool}, {"arguments", std::move(arguments)}});
}

mcp::Json initialize(OocProcess& process, long long id) {
  mcp::Json reply = call(process, request(id, "initialize",
                                          {{"protocolVersion", "2025-11-25"},
                                           {"capabilities", mcp::Json::object()},
                                           {"clientInfo", {{"name", "blackbox"}, {"version", "1"}}}}));
  process.write_json(notification("notifications/initialized"));
  return reply;
}

mcp::Json call(OocProcess& process, const mcp::Json& message, std::chrono::milliseconds timeout) {
  if (!process.write_json(message, timeout)) return nullptr;
  std::optional<mcp::Json> reply = process.read_json(timeout);
  return reply ? *reply : mcp::Json(nullptr);
}

}  // namespace blackbox
