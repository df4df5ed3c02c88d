// Budgets and what to drop (issue 11 #6, #7): how full the agent's window is, the warnings at
// 60 / 80 / 90 % of OUT_OF_CONTEXT_TOKEN_LIMIT naming the next call, and the dry-run ranking of
// segments to stash or delete.
//
// The window is this process's working set: every active segment of every project (what the
// agent stored or restored and has not stashed). Pure functions over segments; the tools fetch
// them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mcp/json.h"
#include "storage/segment.h"
#include "storage/status.h"
#include "tools/tool.h"

namespace tools {

// 100 · active / limit, rounded to one decimal.
double usage_percent(int64_t active_tokens, int64_t token_limit);

// The origin's prune score of one segment, in [0, 1.3]:
//   0.4 · min(age_h / 24, 1) + 0.3 · type + 0.2 / (refs + 1) + 0.1 · gen
// age from last_touched_at; type weight log 1, message 0.8, code 0.5, note 0.5, summary 0.2,
// decision 0.1; gen 1 for young, 0 for old; refs = refcount + the segments tagged
// `ref:<segment_id>` + those sharing its topic_id. At or above 0.4 a segment is worth stashing,
// at or above 0.7 worth deleting (when a copy is stashed or it is a stashed one).
double prune_score(const storage::Segment& segment, int64_t refs, int64_t now_ms);
inline constexpr double kStashScore = 0.4;
inline constexpr double kDeleteScore = 0.7;

struct DropCandidate {
  std::string segment_id;
  storage::Tier tier = storage::Tier::kWorking;
  std::string action;  // "stash" (working set -> stash) or "delete"
  int64_t tokens = 0;
  double score = 0;
  std::string reason;  // "log, 30 h old, unreferenced, young: score 0.92"
};

struct DropPlan {
  int64_t target = 0;  // tokens asked to free
  int64_t freed = 0;   // window tokens the working-set candidates free
  std::vector<DropCandidate> candidates;  // working set first, highest score first; then the stash
};

// Ranks `working` (this session's active segments) as stash candidates, highest score first,
// until `free_tokens` are freed (every one scoring at least kStashScore when free_tokens is 0),
// and `stashed` (segments the caller picked from the stash) as delete candidates when they score
// at least kDeleteScore or are superseded (those first, whatever their score). Pinned segments are never candidates. `referencing`: the segments that
// may reference others (tags `ref:<id>`, a shared topic_id), both tiers.
DropPlan plan_drop(const std::vector<storage::Segment>& working, const std::vector<storage::Segment>& stashed,
                   const std::vector<storage::Segment>& referencing, int64_t free_tokens, int64_t now_ms);

mcp::Json drop_plan_to_json(const DropPlan& plan);

// The budget sentence of a working-set reply, empty below 60 %: the level, and the next call
// (context_stash of the top stash candidates that bring usage under 60 %).
std::string budget_warning(int64_t active_tokens, int64_t token_limit, const std::vector<storage::Segment>& working,
                           int64_t now_ms);

// What a working-set reply says about the window: the whole working set of this process.
struct Budget {
  int64_t window_tokens = 0;
  double percent = 0;
  std::string warning;  // budget_warning(); empty below 60 %
};
storage::Result<Budget> measure_budget(const ToolContext& ctx);
// Adds "usage_percent" to `reply` and the warning, if any, to its "summary".
void add_budget(const Budget& budget, mcp::Json& reply);

}  // namespace tools
