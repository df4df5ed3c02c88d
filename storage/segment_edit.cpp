#include "storage/segment_edit.h"

namespace storage {

int64_t count_lines(const std::string& text) {
  int64_t lines = 0;
  for (const char c : text) lines += c == '\n' ? 1 : 0;
  if (!text.empty() && text.back() != '\n') ++lines;
  return lines;
}

namespace {

// Byte offset where 1-based line `line` starts (text.size() past the last line).
size_t line_start(const std::string& text, int64_t line) {
  size_t at = 0;
  for (int64_t k = 1; k < line && at < text.size(); ++k) {
    const size_t newline = text.find('\n', at);
    at = newline == std::string::npos ? text.size() : newline + 1;
  }
  return at;
}

}  // namespace

Result<std::string> apply_edit(const std::string& text, const EditChange& change) {
  if (change.append.has_value() == change.replace_lines.has_value()) {
    return Status::invalid_argument("pass exactly one of append or replace_lines");
  }
  if (change.append) {
    std::string out = text;
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += *change.append;
    return out;
  }
  const LineReplacement& r = *change.replace_lines;
  const int64_t lines = count_lines(text);
  if (r.start < 1 || r.end < r.start || r.end > lines) {
    return Status::invalid_argument("replace_lines: lines " + std::to_string(r.start) + "-" + std::to_string(r.end) +
                                    " are outside the text, which has " + std::to_string(lines) +
                                    (lines == 1 ? " line" : " lines") + " (1-" + std::to_string(lines) + ")");
  }
  const size_t from = line_start(text, r.start);
  const size_t to = line_start(text, r.end + 1);
  std::string replacement = r.text;
  const bool ended_with_newline = to > from && text[to - 1] == '\n';
  if (ended_with_newline && !replacement.empty() && replacement.back() != '\n') replacement += '\n';
  return text.substr(0, from) + replacement + text.substr(to);
}

}  // namespace storage
