// render_primer_markdown and primer_title of tools/primer.h.
#include <algorithm>
#include <string>

#include "tools/primer.h"
#include "tools/result_json.h"

namespace tools {
namespace {

constexpr size_t kTitleChars = 100;

std::string trim(const std::string& line) {
  const size_t begin = line.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return line.substr(begin, line.find_last_not_of(" \t\r") - begin + 1);
}

// At most `max_chars` bytes, never cutting a UTF-8 sequence; "..." when cut.
std::string clip(const std::string& text, size_t max_chars) {
  if (text.size() <= max_chars) return text;
  size_t end = max_chars - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

// A fence longer than any run of backticks in `text`.
std::string fence_for(const std::string& text) {
  size_t longest = 0;
  size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<size_t>(3, longest + 1), '`');
}

void render_entry(const PrimerEntry& e, std::string& out) {
  out += "- `" + e.segment_id + "` · " + std::string(storage::to_string(e.type));
  if (e.task_id) out += " · " + *e.task_id;
  out += " · " + with_commas(e.tokens) + " tokens";
  if (e.tier == storage::Tier::kWorking) out += " · working set";
  if (!e.title.empty()) out += " — " + e.title;
  out += "\n";
  if (!e.full_text) return;
  const std::string fence = fence_for(e.text);
  out += "\n" + fence + "\n" + e.text + (e.text.empty() || e.text.back() == '\n' ? "" : "\n") + fence + "\n\n";
}

}  // namespace

std::string primer_title(const std::string& text) {
  std::string first_line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = trim(text.substr(start, end - start));
    if (!line.empty() && line[0] == '#') {
      const size_t words = line.find_first_not_of('#');
      if (words != std::string::npos && (line[words] == ' ' || line[words] == '\t')) {
        return clip(trim(line.substr(words)), kTitleChars);
      }
    }
    if (first_line.empty()) first_line = line;
    start = end + 1;
  }
  for (char& c : first_line) {
    if (c == '\t') c = ' ';
  }
  return clip(first_line, kTitleChars);
}

std::string render_primer_markdown(const Primer& p) {
  std::string out = "# Context primer: project '" + p.project_id + "'\n\n";
  const bool empty = p.retrieve_ids.empty() && p.unlisted == 0 &&
                     std::all_of(p.sections.begin(), p.sections.end(),
                                 [](const PrimerSection& s) { return s.entries.empty(); });
  if (empty) {
    if (p.stashed_segments > 0) {
      out += "No pinned segments, task, decisions or summaries yet. " + count_of(p.stashed_segments, "stashed segment") +
             ": find them with context_search_stashed.\n";
    } else {
      out += "Nothing stored for this project yet. context_store what you may need later (decisions, code read, "
             "notes); what you stash is kept for the next session and listed here.\n";
    }
    return out;
  }
  std::string about;
  if (!p.last_session.empty()) about += "Last session: " + p.last_session + ". ";
  if (!p.current_task.empty()) about += "Current task: " + p.current_task + ". ";
  out += about + "Full text where it fits; retrieve the rest by id.\n";
  for (const PrimerSection& section : p.sections) {
    if (section.entries.empty()) continue;
    out += "\n## " + section.name + "\n\n";
    for (const PrimerEntry& e : section.entries) render_entry(e, out);
  }
  if (!p.retrieve_ids.empty() || p.unlisted > 0) {
    out += "\n## Retrieve with context_retrieve_stashed\n\n";
    std::string ids;
    for (const std::string& id : p.retrieve_ids) ids += (ids.empty() ? "`" : ", `") + id + "`";
    if (!ids.empty()) out += ids + "\n";
    if (p.unlisted > 0) out += count_of(p.unlisted, "more segment") + " not listed: find them with context_search_stashed.\n";
  }
  return out;
}

}  // namespace tools
