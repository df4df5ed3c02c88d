// Terminal conveniences of the `ooc` command line, for a person watching: the one-line hint of a
// server started by hand on a terminal, and a progress line on stderr for long work. Both stay
// silent unless stderr is a terminal, so pipes, scripts and MCP clients never see them. Neither
// writes colours or escape sequences (a `\r`-rewritten line only), so NO_COLOR holds too.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace tools {

struct Terminal {
  bool stdin_tty = false;
  bool stderr_tty = false;
  bool no_color = false;  // NO_COLOR is set and not empty (https://no-color.org)
};

// isatty(0), isatty(2) and NO_COLOR of this process.
Terminal detect_terminal();

// Whether `ooc` serving MCP prints the waiting hint: only when a person typed it on a terminal
// (stdin and stderr are TTYs); a client's pipes get nothing.
bool shows_waiting_hint(const Terminal& terminal);

// One line: what the process is doing and how to register `self` (this binary's path) instead.
std::string waiting_hint(const std::string& self);

// The absolute path of the running binary (/proc/self/exe), or "ooc" when unknown.
std::string self_path();

// "label 1,234/5,000 (24%)" rewritten in place with '\r', at most ~10 times a second; erased by
// done() or the destructor. Does nothing when not enabled.
class Progress {
 public:
  Progress(std::ostream& err, bool enabled, std::string label);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `total` 0: a count only. `force` draws even within the throttle interval.
  void update(size_t done, size_t total, bool force = false);
  // Replaces the label (e.g. "writing 100,000 segments") and draws it.
  void set_label(std::string label);
  // Erases the line.
  void done();

 private:
  void draw(const std::string& text);

  std::ostream& err_;
  bool enabled_;
  std::string label_;
  size_t width_ = 0;  // characters of the line drawn last
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace tools
