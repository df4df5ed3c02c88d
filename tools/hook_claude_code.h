// `ooc hook claude-code <event>`: Claude Code hooks (issue 8). The hook payload is JSON on `in`
// (only session_id and hook_event_name are relied on; unknown keys are ignored). Events:
//   SessionStart  prints {"hookSpecificOutput":{"hookEventName":"SessionStart",
//                 "additionalContext":"<primer markdown>"}} (Claude Code adds it to the context)
//   PreCompact    stashes the tail of the transcript at transcript_path (at most
//                 kHookTailMessages user/assistant messages and kHookTailTokens tokens; meta,
//                 sidechain and compact-summary lines skipped; text blocks only, a tool call as
//                 one line "[tool_use Name]") as `message` segments with id "cc-<line uuid>"
//                 (re-running replaces, never duplicates), tags claude-code, session:<session_id>,
//                 precompact; prints nothing
//   SessionEnd, Stop  checkpoint the project's working set into the stash; print nothing
// Project: `project` when not empty (--project or OUT_OF_CONTEXT_PROJECT), else derived from the
// payload's cwd as the default project is (tools/project_id.h), else from the process's cwd.
// Exit status: 0 ok; 1 on any failure (message on `err`), never 2, which would block the client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "storage/status.h"
#include "storage/store.h"

namespace tools {

constexpr size_t kHookTailMessages = 20;
constexpr int64_t kHookTailTokens = 8000;

// SessionStart, PreCompact, SessionEnd, Stop.
bool is_claude_code_event(const std::string& event);

int run_claude_code_hook(storage::Store& store, const std::string& event, const std::string& project,
                         std::istream& in, std::ostream& out, std::ostream& err);

// One message of a transcript tail, oldest first.
struct TranscriptMessage {
  std::string uuid;  // of the message's first transcript line
  std::string role;  // "user" or "assistant"
  std::string timestamp;
  std::string text;
};

// The tail of a Claude Code transcript (JSON Lines) within the bounds above. Unparseable lines and
// unknown line types are skipped; consecutive assistant lines of one message.id are one message.
std::vector<TranscriptMessage> transcript_tail(const std::string& jsonl, size_t max_messages, int64_t max_tokens);

}  // namespace tools
