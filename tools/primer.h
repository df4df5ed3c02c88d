// The session-start primer (issue 8): what a fresh context window should know about a project,
// packed to a token budget. One implementation, used by the context_primer tool, the MCP primer
// resource and `resume` prompt, `ooc primer` and `ooc hook claude-code SessionStart`.
//
// Sections, in order (a segment appears once: the first section that has it wins):
//   1. Pinned                      pinned segments, working and stashed, newest first
//   2. Last session's unstashed    stashed, tagged `unstashed` + `session:<last session>`, where the
//                                  last session is the session: tag of the most recently touched
//                                  stashed segment tagged `unstashed`
//   3. Current task                the most recent segments of the task of the most recently
//                                  touched working segment, else stashed segment (with a task)
//   4. Decisions and summaries     type decision or summary, newest first
// Superseded segments (superseded_by set) are in no section.
// At most kPrimerCandidatesPerSection candidates per section.
//
// Packing: first a short header per candidate (id, type, task, tokens, title) while the headers
// stay within half the budget (the first may use all of it); then full text (fenced) for entries
// in order, while it fits.
// Stashed segments without full text are listed under "Retrieve with context_retrieve_stashed";
// ids that do not fit even there are counted. storage::estimate_tokens(markdown) never exceeds
// max_tokens: every addition is checked on the rendered markdown and undone when it does not fit.
//
// Read-only: composed from the public Store API (search_stashed, retrieve without restore,
// load_segments); it changes nothing in the store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mcp/json.h"
#include "storage/segment.h"
#include "storage/status.h"
#include "storage/store.h"

namespace tools {

constexpr int64_t kDefaultPrimerTokens = 2000;
constexpr int64_t kMinPrimerTokens = 100;
constexpr int64_t kMaxPrimerTokens = 20000;
constexpr size_t kPrimerCandidatesPerSection = 20;

struct PrimerEntry {
  std::string segment_id;
  storage::SegmentType type = storage::SegmentType::kNote;
  std::optional<std::string> task_id;
  int64_t tokens = 0;
  std::string title;  // first markdown heading, else first non-empty line; <= 100 chars
  bool full_text = false;
  storage::Tier tier = storage::Tier::kStashed;
  std::string text;  // the segment's text when full_text, else empty
};

struct PrimerSection {
  std::string name;
  std::vector<PrimerEntry> entries;
};

struct Primer {
  std::string project_id;
  int64_t max_tokens = kDefaultPrimerTokens;
  int64_t tokens = 0;                     // estimate_tokens(markdown)
  std::vector<PrimerSection> sections;    // the four, in order; empty ones included
  std::vector<std::string> retrieve_ids;  // stashed entries without full text, in order
  size_t unlisted = 0;                    // candidates that did not fit even as an id
  std::string last_session;               // "" when none
  std::string current_task;               // "" when none
  size_t stashed_segments = 0;            // the project's stashed total (for the empty note)
  std::string markdown;                   // render_primer_markdown(*this)
};

// `project`: a project id (not "*"). `max_tokens`: kMinPrimerTokens..kMaxPrimerTokens.
storage::Result<Primer> build_primer(storage::Store& store, const std::string& project, int64_t max_tokens);

// The primer as Markdown (sections with no entries are left out; an empty project gets a short
// note on how to fill it).
std::string render_primer_markdown(const Primer& primer);

// The structured form: the context_primer tool's structuredContent and `ooc primer --json`
// {project_id, tokens, max_tokens, sections:[{name, entries:[{segment_id, type, task_id?, tokens,
// title, full_text, working_set?}]}], retrieve_ids, markdown, summary}. Defined in
// tools/context_primer.cpp.
mcp::Json primer_to_json(const Primer& primer);

// First markdown heading (without #), else first non-empty line, trimmed to <= 100 characters
// (whole UTF-8 sequences).
std::string primer_title(const std::string& text);

}  // namespace tools
