#include "tools/hook_claude_code.h"

#include <unistd.h>

#include <climits>
#include <filesystem>
#include <optional>
#include <sstream>
#include <system_error>

#include "mcp/json.h"
#include "storage/token_estimate.h"
#include "tools/cli_capture.h"
#include "tools/primer.h"
#include "tools/project_id.h"

namespace tools {
namespace {

using mcp::Json;
using storage::Result;
using storage::Status;

constexpr size_t kMaxTagChars = 64;
constexpr const char* kCutMarker = "\n[cut]";

std::string string_at(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

bool flag_at(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

// Prompts Claude Code writes as user lines that no one typed.
bool pseudo_user_text(const std::string& text) {
  return text.find("<command-name>") != std::string::npos || text.find("<local-command-stdout>") != std::string::npos ||
         text.find("<system-reminder>") != std::string::npos || text.rfind("[Request interrupted by user", 0) == 0;
}

// Text blocks (and a string content) as they are, a tool call as "[tool_use Name]"; tool results,
// thinking and images left out.
std::string content_text(const Json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (!content.is_array()) return out;
  for (const Json& block : content) {
    const std::string type = string_at(block, "type");
    std::string piece;
    if (type == "text") piece = string_at(block, "text");
    if (type == "tool_use") piece = "[tool_use " + string_at(block, "name") + "]";
    if (piece.empty()) continue;
    out += (out.empty() ? "" : "\n") + piece;
  }
  return out;
}

std::string segment_text(const TranscriptMessage& m) { return m.role + " (" + m.timestamp + "):\n" + m.text; }

// The longest prefix of `text` (whole UTF-8 sequences) that, with the cut marker, fits `budget`.
std::string clip_to_tokens(const std::string& text, int64_t budget) {
  size_t low = 0;
  size_t high = text.size();
  while (low < high) {
    size_t mid = (low + high + 1) / 2;
    while (mid > 0 && mid < text.size() && (static_cast<unsigned char>(text[mid]) & 0xC0) == 0x80) --mid;
    if (mid > low && storage::estimate_tokens(text.substr(0, mid) + kCutMarker) <= budget) {
      low = mid;
    } else {
      high = mid > low ? mid - 1 : low;
    }
  }
  return text.substr(0, low) + kCutMarker;
}

// --- the events ---

int fail(std::ostream& err, const std::string& event, const std::string& message) {
  err << "ooc hook claude-code " << event << ": " << message << "\n";
  return 1;
}

std::string project_for(const std::string& project, const Json& payload) {
  if (!project.empty()) return default_project_id(project, "", [](const std::string&) { return false; });
  std::string cwd = string_at(payload, "cwd");
  if (cwd.empty() || cwd[0] != '/') {
    char buffer[PATH_MAX];
    cwd = ::getcwd(buffer, sizeof buffer) != nullptr ? buffer : "";
  }
  return default_project_id(std::nullopt, cwd, [](const std::string& dir) {
    std::error_code error;
    return std::filesystem::exists(dir + (dir == "/" ? ".git" : "/.git"), error);
  });
}

int session_start(storage::Store& store, const std::string& project, std::ostream& out, std::ostream& err) {
  Result<Primer> primer = build_primer(store, project, kDefaultPrimerTokens);
  if (!primer.ok()) return fail(err, "SessionStart", primer.status().to_string());
  const Json reply = {{"hookSpecificOutput", {{"hookEventName", "SessionStart"}, {"additionalContext", primer->markdown}}}};
  out << mcp::dump_compact(reply) << "\n" << std::flush;
  return 0;
}

int pre_compact(storage::Store& store, const std::string& project, const Json& payload, std::ostream& err) {
  const std::string path = string_at(payload, "transcript_path");
  if (path.empty()) return fail(err, "PreCompact", "the payload has no transcript_path");
  std::istringstream no_stdin;
  Result<std::string> jsonl = read_all_input(path, no_stdin);
  if (!jsonl.ok()) return fail(err, "PreCompact", "cannot read the transcript: " + jsonl.status().message());
  std::vector<std::string> tags = {"claude-code"};
  if (const std::string session = string_at(payload, "session_id"); !session.empty()) {
    tags.push_back(("session:" + session).substr(0, kMaxTagChars));
  }
  tags.push_back("precompact");
  std::vector<storage::SegmentDraft> drafts;
  for (const TranscriptMessage& m : transcript_tail(*jsonl, kHookTailMessages, kHookTailTokens)) {
    storage::SegmentDraft d;
    d.segment_id = "cc-" + m.uuid;
    d.text = segment_text(m);
    d.type = storage::SegmentType::kMessage;
    d.tags = tags;
    drafts.push_back(std::move(d));
  }
  if (drafts.empty()) return 0;
  Result<storage::StashOutcome> stashed = store.stash(project, {}, std::move(drafts));
  if (!stashed.ok()) return fail(err, "PreCompact", stashed.status().to_string());
  return 0;
}

// Every live session's working set of the project, copied into the stash (dead ones recovered).
Result<size_t> checkpoint_working_set(storage::Store& store, const std::string& project) {
  return store.checkpoint_working(project);
}

int checkpoint(storage::Store& store, const std::string& event, const std::string& project, std::ostream& err) {
  Result<size_t> copied = checkpoint_working_set(store, project);
  if (!copied.ok()) return fail(err, event, copied.status().to_string());
  return 0;
}

}  // namespace

bool is_claude_code_event(const std::string& event) {
  return event == "SessionStart" || event == "PreCompact" || event == "SessionEnd" || event == "Stop";
}

std::vector<TranscriptMessage> transcript_tail(const std::string& jsonl, size_t max_messages, int64_t max_tokens) {
  std::vector<TranscriptMessage> all;
  std::string last_message_id;
  std::istringstream lines(jsonl);
  std::string line;
  while (std::getline(lines, line)) {
    const Json o = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (o.is_discarded() || !o.is_object()) continue;
    const std::string type = string_at(o, "type");
    if (type != "user" && type != "assistant") continue;
    if (flag_at(o, "isMeta") || flag_at(o, "isSidechain") || flag_at(o, "isCompactSummary")) continue;
    const std::string uuid = string_at(o, "uuid");
    if (uuid.empty() || !storage::validate_segment_id("cc-" + uuid).ok()) continue;
    const Json message = o.value("message", Json::object());
    const std::string text = content_text(message.value("content", Json()));
    if (text.empty() || (type == "user" && pseudo_user_text(text))) {
      last_message_id.clear();
      continue;
    }
    const std::string message_id = type == "assistant" ? string_at(message, "id") : "";
    if (!message_id.empty() && message_id == last_message_id && !all.empty()) {
      all.back().text += "\n" + text;  // one API response written as several lines
      continue;
    }
    last_message_id = message_id;
    all.push_back({uuid, type, string_at(o, "timestamp"), text});
  }
  std::vector<TranscriptMessage> tail;
  int64_t tokens = 0;
  for (auto it = all.rbegin(); it != all.rend() && tail.size() < max_messages; ++it) {
    const int64_t cost = storage::estimate_tokens(segment_text(*it));
    if (tokens + cost <= max_tokens) {
      tokens += cost;
      tail.push_back(*it);
      continue;
    }
    if (tail.empty()) {  // the newest message alone is too long: keep its beginning
      TranscriptMessage clipped = *it;
      const int64_t header = storage::estimate_tokens(segment_text({it->uuid, it->role, it->timestamp, ""}));
      clipped.text = clip_to_tokens(it->text, max_tokens - header - 1);
      tail.push_back(std::move(clipped));
    }
    break;
  }
  return {tail.rbegin(), tail.rend()};
}

int run_claude_code_hook(storage::Store& store, const std::string& event, const std::string& project,
                         std::istream& in, std::ostream& out, std::ostream& err) {
  Result<std::string> bytes = read_all_input("-", in);
  if (!bytes.ok()) return fail(err, event, bytes.status().message());
  const Json payload = Json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return fail(err, event, "expected the hook's JSON payload on standard input (" +
                                std::to_string(bytes->size()) + " bytes read, not a JSON object)");
  }
  if (const std::string named = string_at(payload, "hook_event_name"); !named.empty() && named != event) {
    return fail(err, event, "the payload is for " + named + "; the command names " + event);
  }
  const std::string id = project_for(project, payload);
  if (event == "SessionStart") return session_start(store, id, out, err);
  if (event == "PreCompact") return pre_compact(store, id, payload, err);
  return checkpoint(store, event, id, err);
}

}  // namespace tools
