// Simulated crash at every step of the write and compaction protocol: each mutating file-system
// step in turn is the last one that happens. Afterwards a fresh engine must load a valid store
// holding every acknowledged write, and each unacknowledged batch either whole or not at all.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

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
