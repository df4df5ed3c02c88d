#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>

#include "storage/catalog.h"
#include "storage/compaction.h"
#include "storage/journal.h"
#include "storage/journal_codec.h"
#include "storage/recovery.h"
#include "storage/snapshot_file.h"
#include "tests/storage/store_test_support.h"
#include "tests/support/faulty_file_system.h"

using namespace storage;
using testing::draft;
using testing::files_containing;
using testing::FaultyFileSystem;
using testing::open_store;
using testing::read_text;
using testing::TempDir;
using testing::write_text;

namespace {

// A store with a, b in the snapshot and c, d in the journal.
void make_store(const std::string& path, const Clock& clock) {
  auto store = open_store(path, &clock);
  REQUIRE(store->stash("p", {}, {draft("a", "alpha"), draft("b", "beta")}, false).ok());
  REQUIRE(store->compact().ok());
  REQUIRE(store->stash("p", {}, {draft("c", "gamma")}, false).ok());
  REQUIRE(store->stash("p", {}, {draft("d", "delta")}, false).ok());
}

}  // namespace

TEST_CASE("recovery: missing files give an empty store") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  CHECK(store->wait_until_loaded().ok());
  CHECK(store->list_projects()->empty());
}

TEST_CASE("recovery: a torn last journal line is ignored, the earlier batches survive, and the next writer truncates it") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  const std::string journal = read_text(path + ".journal");
  write_text(path + ".journal", journal + "{\"seq\":4,\"ops\":[{\"op\":\"put\",\"seg");
  auto store = open_store(path, &clock);
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "c", "d"});
  REQUIRE(store->stash("p", {}, {draft("e", "epsilon")}, false).ok());
  auto reopened = open_store(path, &clock);
  CHECK(testing::stashed_ids(*reopened, "p") == std::vector<std::string>{"a", "b", "c", "d", "e"});
  CHECK(Store::verify(path, posix_file_system()).ok);
}

TEST_CASE("recovery: a corrupt journal line before the last is moved aside and every verified batch is kept") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  std::string journal = read_text(path + ".journal");
  const size_t first_newline = journal.find('\n');
  REQUIRE(first_newline != std::string::npos);
  journal[first_newline / 2] = journal[first_newline / 2] == 'x' ? 'y' : 'x';  // damage the line for c
  write_text(path + ".journal", journal);
  CHECK_FALSE(Store::verify(path, posix_file_system()).ok);
  auto store = open_store(path, &clock);
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "d"});
  auto stats = store->stats();
  REQUIRE(stats.ok());
  REQUIRE(stats->recovery_notes.size() == 1);
  CHECK(stats->recovery_notes[0].find("byte 0") != std::string::npos);
  const auto aside = files_containing(dir.path(), "journal.corrupt-");
  REQUIRE(aside.size() == 1);
  CHECK(read_text(dir.file(aside[0])) == journal);  // moved aside, never deleted
  auto reopened = open_store(path, &clock);
  CHECK(testing::stashed_ids(*reopened, "p") == std::vector<std::string>{"a", "b", "d"});
  CHECK(Store::verify(path, posix_file_system()).ok);
}

TEST_CASE("recovery: a corrupt snapshot is moved aside and the store starts from the journal") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  const std::string damaged = read_text(path).substr(0, 40);
  write_text(path, damaged);
  auto store = open_store(path, &clock);
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"c", "d"});
  const auto aside = files_containing(dir.path(), "storage.json.corrupt-");
  REQUIRE(aside.size() == 1);
  CHECK(read_text(dir.file(aside[0])) == damaged);
  CHECK(store->stats()->recovery_notes.at(0).find("moved aside") != std::string::npos);
  auto reopened = open_store(path, &clock);
  CHECK(testing::stashed_ids(*reopened, "p") == std::vector<std::string>{"c", "d"});
}

TEST_CASE("recovery: a leftover tmp file is removed and the snapshot stays the last good state") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  write_text(path + ".tmp", "{\"version\":\"1.0\",\"projects\":{\"p\":{\"segm");
  auto store = open_store(path, &clock);
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_CASE("recovery: a complete tmp file is promoted when the snapshot is missing") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  std::filesystem::rename(path, path + ".tmp");
  auto store = open_store(path, &clock);
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_CASE("recovery: a full disk fails the write with the path and reason and changes nothing") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  const std::string journal_before = read_text(path + ".journal");
  FaultyFileSystem faulty(posix_file_system());
  auto store = open_store(path, &clock, &faulty);
  REQUIRE(store->store_segments("p", {draft("w", "working")}).ok());
  REQUIRE(store->wait_until_loaded().ok());
  faulty.fail_at(1, ENOSPC);
  auto out = store->stash("p", {"w"}, {draft("e", "epsilon")}, false);
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().code() == Status::Code::kIoError);
  CHECK(out.status().message().find(path + ".journal") != std::string::npos);
  CHECK(out.status().message().find("No space left on device") != std::string::npos);
  // memory unchanged: w still active, e not stashed; disk unchanged: the torn half was cut off
  CHECK(store->load_segments("p")->size() == 1);
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(read_text(path + ".journal") == journal_before);
  faulty.heal();
  REQUIRE(store->stash("p", {"w"}, {}, false).ok());
  auto reopened = open_store(path, &clock);
  CHECK(testing::stashed_ids(*reopened, "p") == std::vector<std::string>{"a", "b", "c", "d", "w"});
}

TEST_CASE("recovery: a read-only directory reports permission errors with the path and keeps reads working") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  FaultyFileSystem faulty(posix_file_system());
  faulty.fail_all_writes(EACCES);
  auto store = open_store(path, &clock, &faulty);
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "c", "d"});
  auto out = store->stash("p", {}, {draft("e", "epsilon")}, false);
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().to_string().find("storage error: write " + path + ".journal: Permission denied") == 0);
  auto del = store->delete_segments("p", {"a"}, std::nullopt);
  REQUIRE_FALSE(del.ok());
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "c", "d"});
}

TEST_CASE("recovery: a directory that cannot be created makes every call fail with the reason") {
  TempDir dir;
  ManualClock clock;
  const std::string blocker = dir.file("not-a-dir");
  write_text(blocker, "file");
  auto store = open_store(blocker + "/storage.json", &clock);
  const Status st = store->wait_until_loaded();
  REQUIRE_FALSE(st.ok());
  CHECK(st.message().find(blocker) != std::string::npos);
  auto out = store->stash("p", {}, {draft("a", "x")}, false);
  CHECK_FALSE(out.ok());
}

TEST_CASE("verify: a torn tail is a note, not damage, and the files are left unchanged") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  CHECK(Store::verify(path, posix_file_system()).ok);
  const std::string journal = read_text(path + ".journal") + "{\"seq\":9";
  write_text(path + ".journal", journal);
  const VerifyReport report = Store::verify(path, posix_file_system());
  CHECK(report.ok);
  REQUIRE(report.notes.size() == 1);
  CHECK(report.notes[0].find("torn last line") != std::string::npos);
  CHECK(read_text(path + ".journal") == journal);
}

namespace {

// The parts Recovery works on, over the files at `path`, as one process's engine holds them.
struct RecoveryParts {
  RecoveryParts(const std::string& path, const Clock& clock)
      : snapshot(posix_file_system(), path),
        journal(posix_file_system(), path + ".journal", true),
        index(posix_file_system(), path + ".index"),
        compaction(posix_file_system(), catalog, snapshot, journal, index, 4u << 20),
        recovery(posix_file_system(), clock, catalog, snapshot, journal, index, closing) {}

  std::vector<std::string> ids(const std::string& project) {
    std::vector<std::string> out;
    for (const auto& [id, s] : catalog.project(project).stashed) out.push_back(id);
    return out;
  }

  std::atomic<bool> closing{false};
  Catalog catalog;
  SnapshotFile snapshot;
  Journal journal;
  IndexFile index;
  Compaction compaction;
  Recovery recovery;
};

CatchUp catch_up(RecoveryParts& parts, bool exclusive) {
  auto outcome = parts.recovery.catch_up(exclusive);
  REQUIRE(outcome.ok());
  return *outcome;
}

}  // namespace

TEST_CASE("recovery: catch-up says whether it found nothing new, applied batches or reloaded") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  auto writer = open_store(path, &clock);
  REQUIRE(writer->wait_until_loaded().ok());
  RecoveryParts reader(path, clock);
  CHECK(catch_up(reader, false) == CatchUp::kUpToDate);  // no files: an empty catalog is current
  REQUIRE(writer->stash("p", {}, {draft("a", "alpha")}, false).ok());
  CHECK(catch_up(reader, false) == CatchUp::kApplied);
  CHECK(reader.ids("p") == std::vector<std::string>{"a"});
  CHECK(reader.journal.offset() == read_text(path + ".journal").size());
  CHECK(catch_up(reader, false) == CatchUp::kUpToDate);
  REQUIRE(writer->compact().ok());  // another process compacts: a new snapshot, an empty journal
  REQUIRE(writer->stash("p", {}, {draft("b", "beta")}, false).ok());
  CHECK(catch_up(reader, false) == CatchUp::kReloaded);
  CHECK(reader.ids("p") == std::vector<std::string>{"a", "b"});
  CHECK(catch_up(reader, false) == CatchUp::kUpToDate);
  CHECK(reader.recovery.notes().empty());
}

TEST_CASE("recovery: a reader that finds damage asks for the exclusive lock and the repair reloads") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  std::string journal = read_text(path + ".journal");
  const size_t at = journal.find('\n') / 2;
  journal[at] = journal[at] == 'x' ? 'y' : 'x';  // damage the line for c; d follows it
  write_text(path + ".journal", journal);
  RecoveryParts reader(path, clock);
  CHECK(catch_up(reader, false) == CatchUp::kNeedsRepair);
  CHECK(reader.recovery.notes().empty());  // a reader repairs nothing
  CHECK(read_text(path + ".journal") == journal);
  CHECK(catch_up(reader, true) == CatchUp::kReloaded);
  CHECK(reader.ids("p") == std::vector<std::string>{"a", "b", "d"});
  REQUIRE(reader.recovery.notes().size() == 1);
  CHECK(reader.recovery.notes()[0].find("moved aside") != std::string::npos);
  CHECK(files_containing(dir.path(), "journal.corrupt-").size() == 1);
  CHECK(catch_up(reader, false) == CatchUp::kUpToDate);
}

TEST_CASE("recovery: only the first catch-up asks for the exclusive lock over a leftover tmp file") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  write_text(path + ".tmp", "half a snapsh");
  RecoveryParts parts(path, clock);
  CHECK(parts.recovery.needs_exclusive_lock());
  CHECK(catch_up(parts, true) == CatchUp::kReloaded);
  CHECK_FALSE(posix_file_system().stat(path + ".tmp")->exists);
  write_text(path + ".tmp", "half a snapsh");
  CHECK_FALSE(parts.recovery.needs_exclusive_lock());  // writers remove it from now on
}
