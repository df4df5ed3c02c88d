#include "tools/cli_capture.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iterator>

#include "mcp/json.h"

namespace tools {
namespace {

int fail(const CommandContext& ctx, const std::string& message) {
  ctx.err << "ooc: " << message << "\n";
  return 1;
}

// "A:B" -> {A, B} with 1 <= A <= B.
std::optional<storage::LineRange> parse_lines(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  const std::string a = text.substr(0, colon);
  const std::string b = text.substr(colon + 1);
  const auto digits = [](const std::string& s) { return s.size() <= 12 && s.find_first_not_of("0123456789") == std::string::npos; };
  if (!digits(a) || !digits(b)) return std::nullopt;
  storage::LineRange range{std::stoll(a), std::stoll(b)};
  if (range.start < 1 || range.end < range.start) return std::nullopt;
  return range;
}

// Lines range.start..range.end of `text` (each with its newline), or nullopt past the last line.
std::optional<std::string> select_lines(const std::string& text, const storage::LineRange& range, int64_t& count) {
  std::string out;
  count = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    ++count;
    if (count >= range.start && count <= range.end) out.append(text, start, end - start);
    start = end;
  }
  if (range.end > count) return std::nullopt;
  return out;
}

}  // namespace

storage::Result<std::string> read_all_input(const std::string& path, std::istream& in) {
  if (path == "-") {
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) return storage::Status::io_error("read standard input: failed");
    return bytes;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return storage::Status::not_found(path + ": no such file");
    return storage::Status::io_error("open " + path + ": " + std::strerror(error));
  }
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return storage::Status::io_error("read " + path + ": " + std::strerror(error));
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return bytes;
}

int run_primer(const CommandContext& ctx, const PrimerOptions& options) {
  storage::Result<Primer> primer = build_primer(ctx.store, ctx.project, options.max_tokens);
  if (!primer.ok()) return fail(ctx, primer.status().to_string());
  if (options.json) {
    ctx.out << mcp::dump_compact(primer_to_json(*primer)) << "\n";
  } else {
    ctx.out << primer->markdown;
  }
  return 0;
}

int run_stash(const CommandContext& ctx, const StashOptions& options, std::istream& in) {
  storage::SegmentDraft draft;
  const std::string source = options.file.empty() ? "standard input" : options.file;
  storage::Result<std::string> text = read_all_input(options.file.empty() ? "-" : options.file, in);
  if (!text.ok()) return fail(ctx, text.status().message());
  if (!options.lines.empty()) {
    std::optional<storage::LineRange> range = parse_lines(options.lines);
    if (!range) return fail(ctx, "--lines '" + options.lines + "': expected A:B with 1 <= A <= B");
    int64_t count = 0;
    std::optional<std::string> selected = select_lines(*text, *range, count);
    if (!selected) {
      return fail(ctx, "--lines " + options.lines + ": " + source + " has " + std::to_string(count) + " lines");
    }
    draft.text = std::move(*selected);
    draft.line_range = range;
  } else {
    draft.text = std::move(text).value();
  }
  if (draft.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return fail(ctx, "nothing to stash: " + source + " is empty");
  }
  if (!options.id.empty()) draft.segment_id = options.id;
  if (!options.type.empty()) {
    draft.type = storage::parse_segment_type(options.type);
    if (!draft.type) return fail(ctx, "--type '" + options.type + "': one of " + std::string(storage::segment_type_names()));
  }
  if (!options.task.empty()) draft.task_id = options.task;
  draft.tags = options.tags;
  if (!options.file_path.empty()) {
    draft.file_path = options.file_path;
  } else if (!options.file.empty()) {
    draft.file_path = options.file;
  }
  std::vector<storage::SegmentDraft> drafts;
  drafts.push_back(std::move(draft));
  storage::Result<storage::StashOutcome> outcome = ctx.store.stash(ctx.project, {}, std::move(drafts));
  if (!outcome.ok()) return fail(ctx, outcome.status().to_string());
  if (outcome->stashed.empty()) return fail(ctx, "nothing stashed");
  ctx.out << outcome->stashed.front().segment_id << "\n";
  return 0;
}

}  // namespace tools
