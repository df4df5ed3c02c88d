#include "bench/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <spawn.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

extern char** environ;

namespace bench {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); }

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                           const std::string& cwd, const std::string& stderr_path) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    if (name.rfind("OUT_OF_CONTEXT_", 0) == 0 || env.count(name) != 0) continue;
    env_strings.push_back(entry);
  }
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  int in_pipe[2], out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) fail("pipe");
  const int err_fd = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (err_fd < 0) fail("open " + stderr_path);
  // posix_spawn (vfork-like): a fork of this big process (it built the store) would copy its page
  // tables first, and that time would be counted as ooc's start-up.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  const int spawned = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    errno = spawned;
    fail("spawn " + argv[0]);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_fd);
  in_fd_ = in_pipe[1];
  out_fd_ = out_pipe[0];
}

ChildProcess::~ChildProcess() {
  close_stdin();
  if (out_fd_ >= 0) close(out_fd_);
  if (pid_ > 0 && status_ < 0) {
    kill(pid_, SIGKILL);
    wait();
  }
}

void ChildProcess::write_line(const std::string& line) {
  std::string data = line + "\n";
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(in_fd_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write to child");
    done += static_cast<size_t>(n);
  }
}

bool ChildProcess::fill(int timeout_ms) {
  pollfd pfd{out_fd_, POLLIN, 0};
  const int ready = poll(&pfd, 1, timeout_ms);
  if (ready == 0) throw std::runtime_error("child did not answer within " + std::to_string(timeout_ms) + " ms");
  if (ready < 0 && errno != EINTR) fail("poll");
  char chunk[65536];
  const ssize_t n = ::read(out_fd_, chunk, sizeof chunk);
  if (n < 0 && errno == EINTR) return true;
  if (n < 0) fail("read from child");
  buffer_.append(chunk, static_cast<size_t>(n));
  return n > 0;
}

std::string ChildProcess::read_line(int timeout_ms) {
  for (;;) {
    const size_t eol = buffer_.find('\n');
    if (eol != std::string::npos) {
      std::string line = buffer_.substr(0, eol);
      buffer_.erase(0, eol + 1);
      return line;
    }
    if (!fill(timeout_ms)) throw std::runtime_error("child closed its stdout");
  }
}

std::string ChildProcess::read_all(int timeout_ms) {
  while (fill(timeout_ms)) {
  }
  return std::exchange(buffer_, std::string());
}

void ChildProcess::close_stdin() {
  if (in_fd_ >= 0) close(in_fd_);
  in_fd_ = -1;
}

int ChildProcess::wait() {
  if (status_ >= 0 || pid_ <= 0) return status_;
  int raw = 0;
  while (waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
  }
  status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  return status_;
}

}  // namespace bench
