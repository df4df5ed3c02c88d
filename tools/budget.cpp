#include "tools/budget.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "storage/time_format.h"
#include "tools/result_json.h"

namespace tools {

using storage::Result;

namespace {

double type_weight(storage::SegmentType type) {
  switch (type) {
    case storage::SegmentType::kLog: return 1.0;
    case storage::SegmentType::kMessage: return 0.8;
    case storage::SegmentType::kCode: return 0.5;
    case storage::SegmentType::kNote: return 0.5;
    case storage::SegmentType::kSummary: return 0.2;
    case storage::SegmentType::kDecision: return 0.1;
  }
  return 0.5;
}

double age_hours(const storage::Segment& segment, int64_t now_ms) {
  const auto touched = storage::parse_rfc3339_ms(segment.last_touched_at);
  if (!touched || *touched >= now_ms) return 0;
  return static_cast<double>(now_ms - *touched) / 3'600'000.0;
}

// How many segments reference each id: `ref:<id>` tags, and a topic_id shared with others.
struct References {
  std::map<std::string, int64_t> by_tag;
  std::map<std::string, int64_t> by_topic;

  explicit References(const std::vector<storage::Segment>& referencing) {
    for (const storage::Segment& s : referencing) {
      for (const std::string& tag : s.tags) {
        if (tag.rfind("ref:", 0) == 0 && tag.size() > 4 && tag.substr(4) != s.segment_id) ++by_tag[tag.substr(4)];
      }
      if (s.topic_id) ++by_topic[*s.topic_id];
    }
  }
  int64_t of(const storage::Segment& s) const {
    int64_t refs = s.refcount;
    if (auto it = by_tag.find(s.segment_id); it != by_tag.end()) refs += it->second;
    if (s.topic_id) {
      if (auto it = by_topic.find(*s.topic_id); it != by_topic.end()) refs += std::max<int64_t>(it->second - 1, 0);
    }
    return refs;
  }
};

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
std::string round2(double v) { return fixed(v, 2); }

std::string reason_of(const storage::Segment& s, int64_t refs, double score, int64_t now_ms) {
  const double hours = age_hours(s, now_ms);
  std::string age = hours < 1 ? std::to_string(static_cast<int64_t>(hours * 60)) + " min old"
                    : hours < 48 ? std::to_string(static_cast<int64_t>(hours)) + " h old"
                                 : std::to_string(static_cast<int64_t>(hours / 24)) + " days old";
  return std::string(storage::to_string(s.type)) + ", " + age + ", " +
         (refs == 0 ? std::string("unreferenced") : "referenced " + std::to_string(refs) + "x") + ", " +
         std::string(storage::to_string(s.generation)) + ": score " + round2(score);
}

}  // namespace

double usage_percent(int64_t active_tokens, int64_t token_limit) {
  if (token_limit <= 0) return 0;
  return std::round(1000.0 * static_cast<double>(active_tokens) / static_cast<double>(token_limit)) / 10.0;
}

double prune_score(const storage::Segment& segment, int64_t refs, int64_t now_ms) {
  const double age = std::min(age_hours(segment, now_ms) / 24.0, 1.0);
  const double gen = segment.generation == storage::Generation::kYoung ? 1.0 : 0.0;
  return 0.4 * age + 0.3 * type_weight(segment.type) + 0.2 / static_cast<double>(refs + 1) + 0.1 * gen;
}

DropPlan plan_drop(const std::vector<storage::Segment>& working, const std::vector<storage::Segment>& stashed,
                   const std::vector<storage::Segment>& referencing, int64_t free_tokens, int64_t now_ms) {
  const References refs(referencing);
  DropPlan plan;
  plan.target = free_tokens;
  std::vector<DropCandidate> ranked;
  for (const storage::Segment& s : working) {
    if (s.pinned) continue;
    const int64_t r = refs.of(s);
    const double score = prune_score(s, r, now_ms);
    ranked.push_back({s.segment_id, storage::Tier::kWorking, "stash", s.tokens, score, reason_of(s, r, score, now_ms)});
  }
  // Highest score first; among equals the larger frees more; then by id for a stable answer.
  std::sort(ranked.begin(), ranked.end(), [](const DropCandidate& a, const DropCandidate& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.tokens != b.tokens) return a.tokens > b.tokens;
    return a.segment_id < b.segment_id;
  });
  for (DropCandidate& c : ranked) {
    if (free_tokens > 0 ? plan.freed >= free_tokens : c.score < kStashScore) break;
    plan.freed += c.tokens;
    plan.candidates.push_back(std::move(c));
  }
  std::vector<DropCandidate> deletions, replaced;
  std::set<std::string> seen;
  for (const storage::Segment& s : stashed) {
    if (s.pinned || !seen.insert(s.segment_id).second) continue;
    const int64_t r = refs.of(s);
    const double score = prune_score(s, r, now_ms);
    if (s.superseded_by) {  // a newer segment replaced it: first to go, whatever its score
      replaced.push_back({s.segment_id, storage::Tier::kStashed, "delete", s.tokens, score,
                          "superseded by '" + *s.superseded_by + "'; " + reason_of(s, r, score, now_ms)});
      continue;
    }
    if (score < kDeleteScore) continue;
    deletions.push_back({s.segment_id, storage::Tier::kStashed, "delete", s.tokens, score, reason_of(s, r, score, now_ms)});
  }
  const auto by_score = [](const DropCandidate& a, const DropCandidate& b) {
    return a.score != b.score ? a.score > b.score : a.segment_id < b.segment_id;
  };
  std::sort(replaced.begin(), replaced.end(), by_score);
  std::sort(deletions.begin(), deletions.end(), by_score);
  for (DropCandidate& c : replaced) plan.candidates.push_back(std::move(c));
  for (DropCandidate& c : deletions) plan.candidates.push_back(std::move(c));
  return plan;
}

mcp::Json drop_plan_to_json(const DropPlan& plan) {
  mcp::Json candidates = mcp::Json::array();
  for (const DropCandidate& c : plan.candidates) {
    candidates.push_back({{"segment_id", c.segment_id},
                          {"tier", std::string(storage::to_string(c.tier))},
                          {"action", c.action},
                          {"tokens", c.tokens},
                          {"score", std::round(c.score * 100.0) / 100.0},
                          {"reason", c.reason}});
  }
  return {{"target_tokens", plan.target}, {"freed_tokens", plan.freed}, {"candidates", std::move(candidates)}};
}

std::string budget_warning(int64_t active_tokens, int64_t token_limit, const std::vector<storage::Segment>& working,
                           int64_t now_ms) {
  const double percent = usage_percent(active_tokens, token_limit);
  if (percent < 60) return "";
  const char* level = percent >= 90 ? "Critical" : percent >= 80 ? "Warning" : "Notice";
  // Enough to come back under 60 % of the window.
  const int64_t to_free = active_tokens - token_limit * 6 / 10;
  const DropPlan plan = plan_drop(working, {}, working, std::max<int64_t>(to_free, 1), now_ms);
  std::string out = std::string(level) + ": the working set holds " + with_commas(active_tokens) + " tokens, " +
                    fixed(percent, 1) + " % of the " + with_commas(token_limit) +
                    "-token window.";
  std::vector<std::string> ids;
  for (const DropCandidate& c : plan.candidates) ids.push_back(c.segment_id);
  if (ids.empty()) return out + " Every active segment is pinned: unpin or delete some.";
  std::string list;
  for (size_t i = 0; i < ids.size() && i < 20; ++i) list += (i == 0 ? "\"" : ", \"") + ids[i] + "\"";
  if (ids.size() > 20) list += ", ...";
  return out + " Next: context_stash(segment_ids: [" + list + "]) frees " + with_commas(plan.freed) +
         " tokens (highest prune scores first; context_get_working_set(free_tokens) explains).";
}

storage::Result<Budget> measure_budget(const ToolContext& ctx) {
  Result<int64_t> window = ctx.store.active_tokens("*");
  if (!window.ok()) return window.status();
  Budget budget;
  budget.window_tokens = *window;
  budget.percent = usage_percent(budget.window_tokens, ctx.token_limit);
  if (budget.percent < 60) return budget;  // no warning: the segments are not needed
  Result<std::vector<storage::Segment>> working = ctx.store.load_segments("*");
  if (!working.ok()) return working.status();
  const int64_t now = ctx.store.clock().now_ms();
  budget.warning = budget_warning(budget.window_tokens, ctx.token_limit, *working, now);
  return budget;
}

void add_budget(const Budget& budget, mcp::Json& reply) {
  reply["usage_percent"] = budget.percent;
  if (!budget.warning.empty()) reply["summary"] = reply.value("summary", std::string()) + " " + budget.warning;
}

}  // namespace tools
