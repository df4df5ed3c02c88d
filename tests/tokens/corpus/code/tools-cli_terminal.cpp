#include "tools/cli_terminal.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <utility>

#include "tools/result_json.h"

namespace tools {

Terminal detect_terminal() {
  const char* no_color = std::getenv("NO_COLOR");
  return Terminal{::isatty(0) == 1, ::isatty(2) == 1, no_color != nullptr && no_color[0] != '\0'};
}

bool shows_waiting_hint(const Terminal& terminal) { return terminal.stdin_tty && terminal.stderr_tty; }

std::string waiting_hint(const std::string& self) {
  return "ooc: an MCP server, waiting for a client on stdin (Ctrl-D to quit); register it with your client, e.g. "
         "`claude mcp add ooc -- " + self + "`; `ooc --help` lists the commands";
}

std::string self_path() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("ooc") : self.string();
}

Progress::Progress(std::ostream& err, bool enabled, std::string label)
    : err_(err), enabled_(enabled), label_(std::move(label)) {}

Progress::~Progress() { done(); }

void Progress::update(size_t done, size_t total, bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && width_ > 0 && now - last_draw_ < std::chrono::milliseconds(100)) return;
  std::string text = label_ + " " + with_commas(static_cast<int64_t>(done));
  if (total > 0) {
    text += "/" + with_commas(static_cast<int64_t>(total)) + " (" + std::to_string(done * 100 / total) + "%)";
  }
  draw(text);
}

void Progress::set_label(std::string label) {
  label_ = std::move(label);
  if (enabled_) draw(label_);
}

void Progress::done() {
  if (!enabled_ || width_ == 0) return;
  err_ << '\r' << std::string(width_, ' ') << '\r' << std::flush;
  width_ = 0;
}

void Progress::draw(const std::string& text) {
  err_ << '\r' << text;
  if (text.size() < width_) err_ << std::string(width_ - text.size(), ' ');
  err_ << std::flush;
  width_ = text.size();
  last_draw_ = std::chrono::steady_clock::now();
}

}  // namespace tools
