// Issue 11 through the tools: pins protect (#1), deleting is explicit about durability (#2),
// usage_percent and the 60 / 80 / 90 % warnings (#6), the free_tokens drop analysis (#7).
#include <doctest/doctest.h>

#include "tests/tools/tool_test_support.h"
#include "tools/budget.h"

using tools_test::contains;
using tools_test::HarnessOptions;
using tools_test::Json;
using tools_test::starts_with;
using tools_test::ToolHarness;

namespace {

std::string summary_of(const Json& out) { return out.at("summary").get<std::string>(); }

std::vector<std::string> ids_of(const Json& list) {
  std::vector<std::string> ids;
  for (const Json& item : list) ids.push_back(item.at("segment_id").get<std::string>());
  return ids;
}

}  // namespace

TEST_CASE("pins: a query or filters never stash a pinned segment, its id does") {
  ToolHarness h;
  (void)h.ok("context_store", R"({"segments":[
      {"segment_id":"rule","text":"Always run the journal tests","pinned":true},
      {"segment_id":"log","text":"journal tests passed","type":"log"}]})");
  Json out = h.ok("context_stash", R"({"query":"journal"})");
  CHECK(ids_of(out.at("stashed")) == std::vector<std::string>{"log"});
  CHECK(out.at("pinned_kept") == Json::array({"rule"}));
  CHECK(contains(summary_of(out), "Kept pinned: 'rule'"));
  out = h.ok("context_stash", R"({"filters":{"pinned":true}})");
  CHECK(out.at("stashed").empty());
  CHECK(out.at("pinned_kept") == Json::array({"rule"}));
  CHECK(h.ok("context_get_working_set", R"({})").at("segments").size() == 1);
  out = h.ok("context_stash", R"({"segment_ids":["rule"]})");
  CHECK(ids_of(out.at("stashed")) == std::vector<std::string>{"rule"});
}

TEST_CASE("pins: deleting a pinned segment needs force, in either tier, and the error names the pins") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"p1","text":"pinned one","pinned":true},
                                              {"segment_id":"p2","text":"pinned two","pinned":true},
                                              {"segment_id":"free","text":"not pinned"}]})");
  const std::string error = h.error("context_delete", R"({"segment_ids":["p1","p2","free"],"tier":"all"})");
  CHECK(starts_with(error, "INVALID_ARGUMENT: segments 'p1', 'p2' are pinned: nothing was deleted."));
  CHECK(contains(error, "force: true"));
  CHECK(contains(error, "pinned: false"));
  // Nothing was deleted, not even the unpinned one.
  CHECK(h.ok("context_retrieve_stashed", R"({"segment_ids":["p1","p2","free"]})").at("segments").size() == 3);
  Json out = h.ok("context_delete", R"({"segment_ids":["p1","free"],"tier":"stashed","force":true})");
  CHECK(ids_of(out.at("deleted")) == std::vector<std::string>{"p1", "free"});
  // Unpinned by stashing it again with pinned false: then an ordinary delete works.
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"p2","text":"pinned two","pinned":false}]})");
  CHECK(ids_of(h.ok("context_delete", R"({"segment_ids":["p2"],"tier":"stashed"})").at("deleted")) ==
        std::vector<std::string>{"p2"});
}

TEST_CASE("pins: a working-set pin needs force too, and deleting it from the working set spares the stash") {
  ToolHarness h;
  (void)h.ok("context_store", R"({"segments":[{"segment_id":"w","text":"working pin","pinned":true}]})");
  CHECK(starts_with(h.error("context_delete", R"({"segment_ids":["w"]})"), "INVALID_ARGUMENT: segment 'w' is pinned"));
  CHECK(h.ok("context_delete", R"({"segment_ids":["w"],"force":true})").at("deleted").size() == 1);
}

TEST_CASE("context_delete: without a tier only the working set is touched and the reply names the kept copies") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"both","text":"B"},{"segment_id":"stash-only","text":"S"}]})");
  (void)h.ok("context_retrieve_stashed", R"({"segment_ids":["both"],"restore":true})");
  Json out = h.ok("context_delete", R"({"segment_ids":["both","stash-only"]})");
  CHECK(ids_of(out.at("deleted")) == std::vector<std::string>{"both"});
  CHECK(out.at("deleted")[0].at("tiers") == Json::array({"working"}));
  CHECK(out.at("kept_stashed") == Json::array({"both", "stash-only"}));
  CHECK(contains(summary_of(out), "from the working set of project 'proj'"));
  CHECK(contains(summary_of(out), "Kept the stashed copy of 'both'; to delete it too, call again with tier: 'stashed'."));
  CHECK(contains(summary_of(out), "Only in the stash, kept: 'stash-only'"));
  // Both stashed copies survive.
  CHECK(h.ok("context_retrieve_stashed", R"({"segment_ids":["both","stash-only"]})").at("segments").size() == 2);
  CHECK(h.ok("context_get_working_set", R"({})").at("segments").empty());
}

TEST_CASE("budget: replies carry usage_percent and warn at 60, 80 and 90 % naming what to stash") {
  ToolHarness h(HarnessOptions{.token_limit = 1000});
  Json out = h.ok("context_store", R"({"segments":[{"segment_id":"a","text":"a","tokens":500}]})");
  CHECK(out.at("usage_percent") == 50.0);
  CHECK_FALSE(contains(summary_of(out), "window"));
  out = h.ok("context_store", R"({"segments":[{"segment_id":"b","text":"b","tokens":150,"type":"log"}]})");
  CHECK(out.at("usage_percent") == 65.0);
  CHECK(contains(summary_of(out), "Notice: the working set holds 650 tokens, 65.0 % of the 1,000-token window."));
  // The next call: stash the highest prune score first (the log), enough to come under 60 %.
  CHECK(contains(summary_of(out), R"(Next: context_stash(segment_ids: ["b"]) frees 150 tokens)"));
  out = h.ok("context_store", R"({"segments":[{"segment_id":"c","text":"c","tokens":200,"type":"decision"}]})");
  CHECK(contains(summary_of(out), "Warning: the working set holds 850 tokens, 85.0 %"));
  out = h.ok("context_store", R"({"segments":[{"segment_id":"d","text":"d","tokens":100,"pinned":true}]})");
  CHECK(contains(summary_of(out), "Critical: the working set holds 950 tokens, 95.0 %"));
  CHECK_FALSE(contains(summary_of(out), "\"d\""));  // a pin is never proposed
  out = h.ok("context_get_working_set", R"({})");
  CHECK(out.at("usage_percent") == 95.0);
  CHECK(contains(summary_of(out), "Critical"));
  // Stashing brings it back under the thresholds.
  out = h.ok("context_stash", R"({"segment_ids":["a","b","c"]})");
  CHECK(out.at("usage_percent") == 10.0);
  CHECK_FALSE(contains(summary_of(out), "window"));
  out = h.ok("context_delete", R"({"segment_ids":["d"],"force":true})");
  CHECK(out.at("usage_percent") == 0.0);
}

TEST_CASE("budget: a fully pinned window says so instead of proposing a stash") {
  ToolHarness h(HarnessOptions{.token_limit = 1000});
  Json out = h.ok("context_store", R"({"segments":[{"segment_id":"p","text":"p","tokens":700,"pinned":true}]})");
  CHECK(contains(summary_of(out), "Every active segment is pinned"));
}

TEST_CASE("drop analysis: free_tokens ranks by prune score with reasons, never a pin, and changes nothing") {
  ToolHarness h;
  (void)h.ok("context_store", R"({"segments":[
      {"segment_id":"old-log","text":"build output","type":"log","tokens":300},
      {"segment_id":"decision","text":"we chose BM25","type":"decision","tokens":200},
      {"segment_id":"pin","text":"user rules","type":"log","tokens":900,"pinned":true}]})");
  h.clock().advance_ms(30LL * 3600 * 1000);  // 30 hours later
  (void)h.ok("context_store", R"({"segments":[
      {"segment_id":"fresh-note","text":"a new note","type":"note","tokens":100},
      {"segment_id":"cited","text":"cited note","type":"note","tokens":100},
      {"segment_id":"citing","text":"see cited","type":"note","tokens":10,"tags":["ref:cited"]}]})");
  Json out = h.ok("context_get_working_set", R"({"free_tokens":350})");
  const Json& plan = out.at("drop_plan");
  CHECK(plan.at("target_tokens") == 350);
  const std::vector<std::string> ids = ids_of(plan.at("candidates"));
  REQUIRE(ids.size() >= 2);
  CHECK(ids[0] == "old-log");  // 1.0 age + log: 0.4 + 0.3 + 0.2 + 0.1
  CHECK(plan.at("candidates")[0].at("score").get<double>() == doctest::Approx(1.0));
  CHECK(plan.at("candidates")[0].at("action") == "stash");
  CHECK(plan.at("candidates")[0].at("reason") == "log, 30 h old, unreferenced, young: score 1.00");
  CHECK(ids[1] == "decision");  // old beats fresh
  CHECK(plan.at("freed_tokens") == 500);
  CHECK(std::find(ids.begin(), ids.end(), "pin") == ids.end());
  CHECK(contains(summary_of(out), "Drop analysis (dry run, nothing changed): context_stash(segment_ids) of 'old-log', "
                                  "'decision' frees 500 of the 350 tokens asked."));
  CHECK(h.ok("context_get_working_set", R"({})").at("segments").size() == 6);
  // free_tokens 0: every segment at or above the stash threshold (0.4). "cited" is referenced by
  // a ref:cited tag: 0.2 / 2 instead of 0.2 puts it under the threshold, "fresh-note" stays above.
  out = h.ok("context_get_working_set", R"({"free_tokens":0})");
  const std::vector<std::string> worth = ids_of(out.at("drop_plan").at("candidates"));
  for (const Json& c : out.at("drop_plan").at("candidates")) CHECK(c.at("score").get<double>() >= tools::kStashScore);
  CHECK(std::find(worth.begin(), worth.end(), "fresh-note") != worth.end());
  CHECK(std::find(worth.begin(), worth.end(), "cited") == worth.end());
  // Asked for everything: all but the pin, the referenced note after the unreferenced one.
  out = h.ok("context_get_working_set", R"({"free_tokens":100000})");
  const std::vector<std::string> all = ids_of(out.at("drop_plan").at("candidates"));
  CHECK(all.size() == 5);
  CHECK(std::find(all.begin(), all.end(), "pin") == all.end());
  const auto at = [&](const char* id) { return std::find(all.begin(), all.end(), id) - all.begin(); };
  CHECK(at("fresh-note") < at("cited"));
  for (const Json& c : out.at("drop_plan").at("candidates")) {
    if (c.at("segment_id") == "cited") CHECK(contains(c.at("reason").get<std::string>(), "referenced 1x"));
  }
}

TEST_CASE("drop analysis: old stashed logs are delete candidates, pinned ones never") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[
      {"segment_id":"stale-log","text":"old output","type":"log"},
      {"segment_id":"kept-log","text":"pinned output","type":"log","pinned":true},
      {"segment_id":"adr","text":"a decision","type":"decision"}]})");
  h.clock().advance_ms(3LL * 24 * 3600 * 1000);
  Json out = h.ok("context_get_working_set", R"({"free_tokens":100})");
  const Json& candidates = out.at("drop_plan").at("candidates");
  REQUIRE(candidates.size() == 1);
  CHECK(candidates[0].at("segment_id") == "stale-log");
  CHECK(candidates[0].at("tier") == "stashed");
  CHECK(candidates[0].at("action") == "delete");
  CHECK(contains(candidates[0].at("reason").get<std::string>(), "log, 3 days old"));
  CHECK(contains(summary_of(out), "context_delete(segment_ids, tier: 'stashed') of 'stale-log'"));
  CHECK(h.ok("context_retrieve_stashed", R"({"segment_ids":["stale-log"]})").at("segments").size() == 1);
}

TEST_CASE("prune score: the origin's formula, age capped at a day") {
  storage::Segment s;
  s.type = storage::SegmentType::kDecision;
  s.generation = storage::Generation::kOld;
  s.last_touched_at = "2026-01-01T00:00:00.000Z";
  const int64_t t0 = 1767225600000;
  CHECK(tools::prune_score(s, 0, t0) == doctest::Approx(0.3 * 0.1 + 0.2));
  CHECK(tools::prune_score(s, 1, t0 + 12 * 3600000LL) == doctest::Approx(0.4 * 0.5 + 0.03 + 0.1));
  CHECK(tools::prune_score(s, 0, t0 + 96 * 3600000LL) == doctest::Approx(0.4 + 0.03 + 0.2));
  s.generation = storage::Generation::kYoung;
  s.type = storage::SegmentType::kLog;
  CHECK(tools::prune_score(s, 0, t0 + 48 * 3600000LL) == doctest::Approx(1.0));
  CHECK(tools::usage_percent(1234, 10000) == doctest::Approx(12.3));
}

TEST_CASE("drop analysis: a superseded stashed segment is the first delete candidate and says by what") {
  ToolHarness h;
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"plan-v1","text":"deploy on Fridays","type":"decision"}]})");
  (void)h.ok("context_stash", R"({"segments":[{"segment_id":"plan-v2","text":"never deploy on Fridays","type":"decision",
                                               "supersedes":["plan-v1"]}]})");
  Json out = h.ok("context_get_working_set", R"({"free_tokens":0})");
  const Json& candidates = out.at("drop_plan").at("candidates");
  REQUIRE(candidates.size() == 1);  // a fresh decision is no candidate; its superseded one is
  CHECK(candidates[0].at("segment_id") == "plan-v1");
  CHECK(candidates[0].at("action") == "delete");
  CHECK(starts_with(candidates[0].at("reason").get<std::string>(), "superseded by 'plan-v2'; decision, "));
}
