// Background compaction (Compaction::start_background, issue 9): a write that finds a compaction
// due forks a child that writes the next snapshot while writes go on; a later write swaps it in.
// Whatever happens meanwhile (more writes, another process compacting, the child killed, a crash
// at any step of the swap), no acknowledged write is lost and the files verify.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/snapshot_codec.h"
#include "tests/storage/store_test_support.h"
#include "tests/support/faulty_file_system.h"

using namespace storage;
using testing::draft;
using testing::FaultyFileSystem;
using testing::TempDir;

namespace {

StoreOptions background_options(const std::string& path, const Clock& clock, FileSystem* fs = nullptr) {
  StoreOptions options;
  options.path = path;
  options.clock = &clock;
  options.fs = fs;
  options.sync = SyncMode::kNever;
  options.compact_min_journal_bytes = 2048;
  options.compact_in_background = true;
  return options;
}

int64_t child_of(Store& store) {
  auto stats = store.stats();
  REQUIRE(stats.ok());
  return stats->background_compaction_pid;
}

uint64_t snapshot_seq(const std::string& path) {
  if (!std::filesystem::exists(path)) return 0;
  auto bytes = posix_file_system().read_file(path);
  REQUIRE(bytes.ok());
  auto data = decode_snapshot(*bytes);
  REQUIRE(data.ok());
  return data->journal_seq;
}

// Stashes "<prefix><i>" for i in [from, to), each acknowledged.
void stash_range(Store& store, const std::string& prefix, int from, int to) {
  for (int i = from; i < to; ++i) {
    const std::string id = prefix + std::to_string(i);
    REQUIRE(store.stash("p", {}, {draft(id, "text of " + id + " with some words to fill the journal")}, false).ok());
  }
}

// Stashes until a write finds a compaction due and forks it; returns the next free number.
int until_child_runs(Store& store, const std::string& prefix, int next) {
  for (; child_of(store) == 0 && next < 500; ++next) stash_range(store, prefix, next, next + 1);
  REQUIRE(child_of(store) != 0);  // the write that found it due did not run it
  return next;
}

// Writes (each write looks at the child) until no background compaction runs any more.
int settle(Store& store, const std::string& prefix, int next) {
  for (int tries = 0; child_of(store) != 0 && tries < 2000; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stash_range(store, prefix, next, next + 1);
    ++next;
  }
  REQUIRE(child_of(store) == 0);
  return next;
}

void check_all_there(const std::string& path, const std::set<std::string>& expected) {
  ManualClock clock;
  auto fresh = testing::open_store(path, &clock);
  const std::vector<std::string> ids = testing::stashed_ids(*fresh, "p");
  CHECK(std::set<std::string>(ids.begin(), ids.end()) == expected);
  const VerifyReport report = Store::verify(path, posix_file_system());
  CAPTURE(report.problems.empty() ? std::string() : report.problems[0]);
  CHECK(report.ok);
}

std::set<std::string> ids_of(const std::string& prefix, int to) {
  std::set<std::string> out;
  for (int i = 0; i < to; ++i) out.insert(prefix + std::to_string(i));
  return out;
}

}  // namespace

TEST_CASE("background compaction: writes go on while a child writes the snapshot, and a later write swaps it in") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  auto store = Store::open(background_options(path, clock));
  int next = until_child_runs(*store, "s", 0);
  next = settle(*store, "s", next);
  // The swap happened: the snapshot holds a prefix of the batches, the journal only the rest.
  const uint64_t seq = snapshot_seq(path);
  CHECK(seq > 0);
  CHECK(testing::files_containing(dir.path(), ".compact-").empty());
  // The journal was cut to what came after the snapshot: its first line is the next batch.
  const std::string journal = testing::read_text(path + ".journal");
  if (!journal.empty()) CHECK(journal.rfind("{\"seq\":" + std::to_string(seq + 1) + ",", 0) == 0);
  check_all_there(path, ids_of("s", next));
  // The index file the child wrote describes the new snapshot.
  ManualClock other;
  auto reopened = testing::open_store(path, &other);
  auto again = reopened->stats();
  REQUIRE(again.ok());
  CHECK(again->ranked_index_source == "index file");
}

TEST_CASE("background compaction: a child that is killed leaves no file behind and a later one succeeds") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  auto store = Store::open(background_options(path, clock));
  int next = until_child_runs(*store, "s", 0);
  const int64_t pid = child_of(*store);
  ::kill(static_cast<pid_t>(pid), SIGKILL);
  next = settle(*store, "s", next);  // the failure is noticed: files removed, retry backs off
  CHECK(testing::files_containing(dir.path(), ".compact-").empty());
  CHECK(snapshot_seq(path) == 0);
  clock.advance_ms(2000);
  for (int tries = 0; snapshot_seq(path) == 0 && tries < 2000; ++tries) {
    stash_range(*store, "s", next, next + 1);
    next = settle(*store, "s", next + 1);
  }
  CHECK(snapshot_seq(path) > 0);
  check_all_there(path, ids_of("s", next));
}

TEST_CASE("background compaction: when another process compacts meanwhile, the child's snapshot is discarded") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  auto store = Store::open(background_options(path, clock));
  int next = until_child_runs(*store, "s", 0);
  {
    StoreOptions options = background_options(path, clock);
    options.compact_in_background = false;
    auto other = Store::open(options);
    stash_range(*other, "o", 0, 5);
    REQUIRE(other->compact().ok());
  }
  const uint64_t theirs = snapshot_seq(path);
  next = settle(*store, "s", next);
  CHECK(testing::files_containing(dir.path(), ".compact-").empty());
  CHECK(snapshot_seq(path) >= theirs);
  std::set<std::string> expected = ids_of("s", next);
  for (const std::string& id : ids_of("o", 5)) expected.insert(id);
  check_all_there(path, expected);
}

TEST_CASE("background compaction: a crash at any step of the swap loses no acknowledged write") {
  ManualClock clock;
  long crash_step = 1;
  for (;; ++crash_step) {
    CAPTURE(crash_step);
    TempDir dir;
    const std::string path = dir.file("storage.json");
    FaultyFileSystem faulty(posix_file_system());
    std::set<std::string> acked;
    {
      auto store = Store::open(background_options(path, clock, &faulty));
      REQUIRE(store->wait_until_loaded().ok());
      faulty.fail_at(crash_step, EIO, /*crash=*/true);
      for (int i = 0; i < 120; ++i) {
        const std::string id = "s" + std::to_string(i);
        if (store->stash("p", {}, {draft(id, "text of " + id + " with some words to fill the journal")}, false).ok()) {
          acked.insert(id);
        }
        if (i % 20 == 19) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // let children finish
      }
    }
    const bool crashed = faulty.triggered();
    ManualClock fresh_clock;
    auto fresh = testing::open_store(path, &fresh_clock);
    const std::vector<std::string> ids = testing::stashed_ids(*fresh, "p");
    const std::set<std::string> found(ids.begin(), ids.end());
    for (const std::string& id : acked) {
      CAPTURE(id);
      CHECK(found.count(id) == 1);
    }
    const VerifyReport report = Store::verify(path, posix_file_system());
    CAPTURE(report.problems.empty() ? std::string() : report.problems[0]);
    CHECK(report.ok);
    if (!crashed) break;
  }
  CHECK(crash_step > 30);
}
