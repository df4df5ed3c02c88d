// Golden JSON-RPC transcripts (tests/golden/*.transcript): they own the server's wire behaviour.
//
// Format. A line's first character says what it is:
//   '>'  a request: the rest of the line (after "> ") goes to Server::handle byte for byte, so
//        a request is always exactly one line.
//   '<'  the expected reply to the '>' before it: JSON starting after "< " and continuing on the
//        following lines, pretty-printed with a 2-space indent. The reply ends before the next
//        line that is blank or starts with '>', '<' or '#', or at the end of the file. (Lines of
//        pretty-printed JSON start with a space, '}' or ']', and a JSON string never spans lines,
//        so the end is unambiguous.) Compared with the actual reply as parsed JSON, exactly.
//   '!'  a message the server sends on its own (Server::take_outgoing, e.g. a roots/list request)
//        after handling the '>' before it (and its '<' reply, if any); pretty-printed like a
//        reply. Every queued message must be written, in order, and nothing else is allowed.
//   '#'  a comment. Blank lines are comments too (outside a reply, where they end it).
// A '>' with no '<' after it asserts that the server sends no reply. Any other line is an error.
// OOC_UPDATE_GOLDEN=1 rewrites the replies that differ in place (then review the diff).
// Every actual reply must also be a single line (stdio framing).
//
// The text mirror. A tools/call success carries its structuredContent twice: as JSON and as
// compact JSON text in content[0].text. A transcript writes that text as the placeholder
//   "content": [{"text": "<mirror of structuredContent>", "type": "text"}]
// and the runner checks that the actual content[0].text is byte for byte the compact dump of the
// actual structuredContent (so it parses back to exactly structuredContent) before comparing the
// whole reply. This works in batch replies too (each element is checked).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/server.h"

namespace testing {

// The placeholder for content[0].text of a result that mirrors its structuredContent.
inline constexpr std::string_view kMirrorPlaceholder = "<mirror of structuredContent>";

// Where `expected` (one reply: a message or a batch array) writes content[0].text as the
// placeholder, checks that `actual` mirrors its structuredContent there and copies the actual
// text into `expected`. Returns what is wrong, or nullopt.
std::optional<std::string> resolve_mirrors(mcp::Json& expected, const mcp::Json& actual);

// tests/golden/<prefix>*.transcript, sorted.
std::vector<std::filesystem::path> golden_transcripts(std::string_view prefix);

// Replays one transcript through `server` (one session), reporting mismatches with file:line.
void replay_transcript(const std::filesystem::path& path, mcp::Server& server);

}  // namespace testing
