// A child process with pipes on stdin and stdout (stderr goes to a file), for the stdio round-trip
// figures and for re-running this benchmark in a fresh process (load figures).
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace bench {

class ChildProcess {
 public:
  // Starts argv[0] (a path) with the current environment minus OUT_OF_CONTEXT_* variables, plus
  // `env` (which wins), in directory `cwd`. stderr is appended to `stderr_path`. Throws on failure.
  ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
               const std::string& cwd, const std::string& stderr_path);
  ~ChildProcess();  // closes pipes, kills the child if still running, reaps it
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void write_line(const std::string& line);  // appends '\n'
  // Next line of stdout without its '\n'; throws on EOF or after `timeout_ms`.
  std::string read_line(int timeout_ms = 120000);
  // Everything left on stdout until EOF.
  std::string read_all(int timeout_ms = 600000);
  void close_stdin();
  int wait();  // exit status (128 + signal when killed)

 private:
  bool fill(int timeout_ms);  // false on EOF
  pid_t pid_ = -1;
  int in_fd_ = -1;   // our end of the child's stdin
  int out_fd_ = -1;  // our end of the child's stdout
  std::string buffer_;
  int status_ = -1;
};

}  // namespace bench
