// Simulated crash at every step of the write and compaction protocol: each mutating file-system
// step in turn is the last one that happens. Afterwards a fresh engine must load a valid store
// holding every acknowledged write, and each unacknowledged batch either whole or not at all.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "tests/storage/store_test_support.h"
#include "tests/support/faulty_file_system.h"

using namespace storage;
using testing::draft;
using testing::FaultyFileSystem;
using testing::TempDir;

namespace {

struct Op {
  enum Kind { kStash, kDelete, kCompact } kind;
  std::vector<std::string> ids;  // stash: new segments "<id>" with text "text of <id>"
};

const std::vector<Op>& script() {
  static const std::vector<Op> ops = {
      {Op::kStash, {"a", "b"}}, {Op::kStash, {"c"}},      {Op::kDelete, {"a"}},   {Op::kCompact, {}},
      {Op::kStash, {"d", "e"}}, {Op::kDelete, {"b", "d"}}, {Op::kStash, {"f"}},   {Op::kStash, {"a"}},
      {Op::kCompact, {}},       {Op::kStash, {"g"}},
  };
  return ops;
}

// Runs the script; returns the state every acknowledged op implies and the ops that failed.
std::map<std::string, std::string> run(Store& store, std::vector<const Op*>& failed) {
  std::map<std::string, std::string> acked;
  for (const Op& op : script()) {
    bool ok = false;
    if (op.kind == Op::kStash) {
      std::vector<SegmentDraft> drafts;
      for (const auto& id : op.ids) drafts.push_back(draft(id, "text of " + id));
      ok = store.stash("p", {}, drafts, false).ok();
      if (ok) {
        for (const auto& id : op.ids) acked[id] = "text of " + id;
      }
    } else if (op.kind == Op::kDelete) {
      ok = store.delete_segments("p", op.ids, std::nullopt).ok();
      if (ok) {
        for (const auto& id : op.ids) acked.erase(id);
      }
    } else {
      ok = store.compact().ok();
    }
    if (!ok) failed.push_back(&op);
  }
  return acked;
}

}  // namespace

TEST_CASE("crash: a crash at any step of writing or compacting loses no acknowledged write") {
  ManualClock clock;
  long crash_step = 1;
  for (;; ++crash_step) {
    CAPTURE(crash_step);
    TempDir dir;
    const std::string path = dir.file("storage.json");
    FaultyFileSystem faulty(posix_file_system());
    std::map<std::string, std::string> acked;
    std::vector<const Op*> failed;
    {
      StoreOptions options;
      options.path = path;
      options.clock = &clock;
      options.fs = &faulty;
      options.compact_min_journal_bytes = 200;  // compact often, inside writes too
      options.compact_in_background = false;     // each step in this process (background: below)
      auto store = Store::open(options);
      REQUIRE(store->wait_until_loaded().ok());
      faulty.fail_at(crash_step, EIO, /*crash=*/true);
      acked = run(*store, failed);
    }
    const bool crashed = faulty.triggered();
    auto fresh = testing::open_store(path, &clock);
    REQUIRE(fresh->wait_until_loaded().ok());
    auto all = fresh->export_stashed("p");
    REQUIRE(all.ok());
    std::map<std::string, std::string> found;
    for (const auto& s : *all) found[s.segment_id] = s.text;
    // Every acknowledged write is there, with its text.
    for (const auto& entry : acked) {
      const std::string& id = entry.first;
      CAPTURE(id);
      REQUIRE(found.count(id) == 1);
      CHECK(found[id] == entry.second);
    }
    // Anything else present comes whole from the one batch that was in flight at the crash.
    std::vector<std::string> extra;
    for (const auto& [id, text] : found) {
      if (acked.count(id) == 0) extra.push_back(id);
    }
    if (!extra.empty()) {
      REQUIRE_FALSE(failed.empty());
      const Op* in_flight = failed.front();
      for (const auto& id : extra) {
        CAPTURE(id);
        const bool from_batch = std::find(in_flight->ids.begin(), in_flight->ids.end(), id) != in_flight->ids.end();
        CHECK(from_batch);
      }
    }
    // Search finds exactly what is there, whether the ranked index came from an index file that
    // the crash may have left half written or stale, or was rebuilt.
    SearchRequest request;
    request.project_id = "p";
    request.query = "text";
    request.limit = 100;
    auto page = fresh->search_stashed(request);
    REQUIRE(page.ok());
    std::set<std::string> searched;
    for (const SearchHit& hit : page->hits) searched.insert(hit.segment.segment_id);
    std::set<std::string> present;
    for (const auto& entry : found) present.insert(entry.first);
    CHECK(searched == present);
    // After the reload's repairs the files verify clean.
    const VerifyReport report = Store::verify(path, posix_file_system());
    const std::string first_problem = report.problems.empty() ? std::string() : report.problems[0];
    CAPTURE(first_problem);
    CHECK(report.ok);
    if (!crashed) break;  // the script completed without reaching the crash step: every step covered
  }
  CHECK(crash_step > 15);  // the script has many steps; make sure the loop really walked them
}

TEST_CASE("crash: a failure that is not a crash leaves the engine usable for the next write") {
  ManualClock clock;
  for (long step = 1; step <= 12; ++step) {
    CAPTURE(step);
    TempDir dir;
    const std::string path = dir.file("storage.json");
    FaultyFileSystem faulty(posix_file_system());
    StoreOptions options;
    options.path = path;
    options.clock = &clock;
    options.fs = &faulty;
    options.compact_min_journal_bytes = 200;
    options.compact_in_background = false;
    auto store = Store::open(options);
    REQUIRE(store->wait_until_loaded().ok());
    faulty.fail_at(step, ENOSPC, /*crash=*/false);
    std::vector<const Op*> failed;
    auto acked = run(*store, failed);
    faulty.heal();
    REQUIRE(store->stash("p", {}, {draft("z", "after")}, false).ok());
    acked["z"] = "after";
    auto fresh = testing::open_store(path, &clock);
    std::map<std::string, std::string> found;
    const auto on_disk = fresh->export_stashed("p");
    REQUIRE(on_disk.ok());
    for (const auto& s : *on_disk) found[s.segment_id] = s.text;
    for (const auto& entry : acked) {
      const std::string& id = entry.first;
      CAPTURE(id);
      CHECK(found.count(id) == 1);
    }
    // The engine's memory matches the files.
    std::map<std::string, std::string> in_memory;
    const auto memory = store->export_stashed("p");
    REQUIRE(memory.ok());
    for (const auto& s : *memory) in_memory[s.segment_id] = s.text;
    CHECK(in_memory == found);
  }
}

namespace {

// A session's life: working-set writes of every kind, a compaction, then its end. Returns the ids
// every acknowledged call implies are kept (with their texts) and those acknowledged as deleted.
struct SessionOutcome {
  std::map<std::string, std::string> kept;
  std::vector<std::string> deleted;
  long failed_calls = 0;
};

SessionOutcome run_session(Store& store) {
  SessionOutcome out;
  const auto stored = [&](std::vector<std::string> ids) {
    std::vector<SegmentDraft> drafts;
    for (const auto& id : ids) drafts.push_back(draft(id, "text of " + id));
    if (!store.store_segments("p", drafts).ok()) {
      ++out.failed_calls;
      return;
    }
    for (const auto& id : ids) out.kept[id] = "text of " + id;
  };
  stored({"w1", "w2"});
  stored({"w3"});
  if (!store.stash("p", {"w1"}, {}).ok()) ++out.failed_calls;
  if (store.delete_segments("p", {"w2"}, Tier::kWorking).ok()) {
    if (out.kept.erase("w2") > 0) out.deleted.push_back("w2");
  } else {
    ++out.failed_calls;
  }
  if (!store.compact().ok()) ++out.failed_calls;
  stored({"w4", "w5"});
  if (!store.retrieve("p", {"w1"}, /*restore=*/true, 0).ok()) ++out.failed_calls;
  if (!store.end_session().ok()) ++out.failed_calls;
  return out;
}

// Every id of `kept` is in the stash of a fresh store on `path` (which recovers dead sessions),
// no id of `deleted` is, and the files verify.
void check_recovered(const std::string& path, const Clock& clock, const std::map<std::string, std::string>& kept,
                     const std::vector<std::string>& deleted) {
  StoreOptions options;
  options.path = path;
  options.clock = &clock;
  options.session_id = "s-20260101T000000-ffffff";
  auto fresh = Store::open(options);
  REQUIRE(fresh->wait_until_loaded().ok());
  auto all = fresh->export_stashed("p");
  REQUIRE(all.ok());
  std::map<std::string, std::string> found;
  for (const auto& s : *all) found[s.segment_id] = s.text;
  for (const auto& entry : kept) {
    const std::string& id = entry.first;
    CAPTURE(id);
    REQUIRE(found.count(id) == 1);
    CHECK(found[id] == entry.second);
  }
  for (const auto& id : deleted) {
    CAPTURE(id);
    CHECK(found.count(id) == 0);
  }
  const VerifyReport report = Store::verify(path, posix_file_system());
  const std::string first_problem = report.problems.empty() ? std::string() : report.problems[0];
  CAPTURE(first_problem);
  CHECK(report.ok);
}

}  // namespace

TEST_CASE("crash: a crash at any step of a session's writes loses no acknowledged context_store") {
  ManualClock clock;
  long crash_step = 1;
  for (;; ++crash_step) {
    CAPTURE(crash_step);
    TempDir dir;
    const std::string path = dir.file("storage.json");
    FaultyFileSystem faulty(posix_file_system());
    SessionOutcome outcome;
    {
      StoreOptions options;
      options.path = path;
      options.clock = &clock;
      options.fs = &faulty;
      options.session_id = "s-20260101T000000-aaaaaa";
      options.compact_min_journal_bytes = 200;
      options.compact_in_background = false;
      auto store = Store::open(options);
      REQUIRE(store->wait_until_loaded().ok());
      faulty.fail_at(crash_step, EIO, /*crash=*/true);
      outcome = run_session(*store);
    }  // the "dead" process's session lock is released here, as by the kernel
    check_recovered(path, clock, outcome.kept, outcome.deleted);
    if (!faulty.triggered()) {
      CHECK(outcome.failed_calls == 0);
      break;
    }
  }
  CHECK(crash_step > 10);
}

TEST_CASE("crash: a crash at any step of recovering a dead session loses none of its segments") {
  ManualClock clock;
  long crash_step = 1;
  for (;; ++crash_step) {
    CAPTURE(crash_step);
    TempDir dir;
    const std::string path = dir.file("storage.json");
    std::map<std::string, std::string> kept;
    {
      StoreOptions options;
      options.path = path;
      options.clock = &clock;
      options.session_id = "s-20260101T000000-aaaaaa";
      auto dead = Store::open(options);
      REQUIRE(dead->stash("p", {}, {draft("s1", "text of s1")}).ok());
      REQUIRE(dead->store_segments("p", {draft("w1", "text of w1"), draft("w2", "text of w2")}).ok());
      REQUIRE(dead->store_segments("q", {draft("w3", "text of w3")}).ok());
      kept = {{"s1", "text of s1"}, {"w1", "text of w1"}, {"w2", "text of w2"}};
    }
    FaultyFileSystem faulty(posix_file_system());
    faulty.fail_at(crash_step, EIO, /*crash=*/true);
    {
      StoreOptions options;
      options.path = path;
      options.clock = &clock;
      options.fs = &faulty;
      options.session_id = "s-20260101T000000-bbbbbb";
      options.compact_min_journal_bytes = 200;  // the recovery batch compacts too
      options.compact_in_background = false;
      auto recovering = Store::open(options);
      (void)recovering->wait_until_loaded();  // a crashed recovery is logged, not fatal
    }
    check_recovered(path, clock, kept, {});
    if (!faulty.triggered()) break;
  }
  CHECK(crash_step > 2);
}

TEST_CASE("crash: a crash at any step of recovering a damaged journal line keeps every verified batch in service") {
  ManualClock clock;
  long crash_step = 1;
  for (;; ++crash_step) {
    CAPTURE(crash_step);
    TempDir dir;
    const std::string path = dir.file("storage.json");
    {
      auto store = testing::open_store(path, &clock);
      REQUIRE(store->stash("p", {}, {draft("a", "text of a"), draft("b", "text of b")}, false).ok());
      REQUIRE(store->compact().ok());
      REQUIRE(store->stash("p", {}, {draft("c", "text of c")}, false).ok());
      REQUIRE(store->stash("p", {}, {draft("d", "text of d")}, false).ok());
    }
    std::string journal = testing::read_text(path + ".journal");
    journal[journal.find("text of c")] = 'T';  // damage the first line; d's line verifies
    testing::write_text(path + ".journal", journal);
    FaultyFileSystem faulty(posix_file_system());
    faulty.fail_at(crash_step, EIO, /*crash=*/true);
    {
      auto recovering = testing::open_store(path, &clock, &faulty);
      (void)recovering->wait_until_loaded();
    }
    auto fresh = testing::open_store(path, &clock);
    CHECK(testing::stashed_ids(*fresh, "p") == std::vector<std::string>{"a", "b", "d"});
    if (!faulty.triggered()) break;
  }
  CHECK(crash_step > 2);
}
