// Golden JSON-RPC transcripts (tests/golden/*.transcript): "> line" goes to Server::handle; the
// "< line" right after it is the expected reply, compared as parsed JSON (exact equality); a
// "> line" with no "<" after it asserts no reply; "#" lines and blank lines are comments.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "mcp/server.h"

namespace testing {

// tests/golden/<prefix>*.transcript, sorted.
std::vector<std::filesystem::path> golden_transcripts(std::string_view prefix);

// Replays one transcript through `server` (one session), reporting mismatches with file:line.
void replay_transcript(const std::filesystem::path& path, mcp::Server& server);

}  // namespace testing
