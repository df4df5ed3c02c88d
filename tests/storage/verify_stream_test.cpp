// ooc verify streams both files (issue 9: it held the whole store in memory): a journal larger
// than its 16 MiB read pieces verifies line by line across the piece boundaries, damage on
// either side of one is found, and progress reaches the files' total.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/storage/store_test_support.h"

using namespace storage;
using testing::draft;
using testing::TempDir;

namespace {

// A store whose journal holds `lines` stashes of ~100 KB each (no compaction).
std::string big_journal_store(const TempDir& dir, int lines) {
  const std::string path = dir.file("storage.json");
  ManualClock clock;
  StoreOptions options;
  options.path = path;
  options.clock = &clock;
  options.sync = SyncMode::kNever;
  options.compact_min_journal_bytes = uint64_t{1} << 40;
  auto store = Store::open(options);
  std::string text;
  while (text.size() < 100 * 1024) text += "journal line filler words for the verify stream test ";
  for (int i = 0; i < lines; ++i) {
    REQUIRE(store->stash("p", {}, {draft("s" + std::to_string(i), std::to_string(i) + " " + text)}, false).ok());
  }
  return path;
}

}  // namespace

TEST_CASE("verify stream: a journal over many read pieces verifies with every line counted and progress to the end") {
  TempDir dir;
  const std::string path = big_journal_store(dir, 200);
  const uint64_t journal = std::filesystem::file_size(path + ".journal");
  REQUIRE(journal > (uint64_t{16} << 20));
  uint64_t last_done = 0;
  uint64_t last_total = 0;
  const VerifyReport report = Store::verify(path, posix_file_system(), [&](uint64_t done, uint64_t total) {
    CHECK(done >= last_done);
    last_done = done;
    last_total = total;
  });
  CHECK(report.ok);
  CHECK(report.journal_lines == 200);
  CHECK(last_total == journal);
  CHECK(last_done == journal);
}

TEST_CASE("verify stream: damage just before and just after a piece boundary is found on both sides") {
  TempDir dir;
  const std::string path = big_journal_store(dir, 200);
  const uint64_t boundary = uint64_t{16} << 20;
  for (uint64_t at : {boundary - 50, boundary + 50}) {
    std::fstream f(path + ".journal", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(at));
    f.put('#');
  }
  const VerifyReport report = Store::verify(path, posix_file_system());
  CHECK_FALSE(report.ok);
  CHECK(report.journal_lines == 200);
  CHECK(report.problems.size() >= 2);
}

TEST_CASE("verify stream: a torn last line longer than a read piece is a note, not damage") {
  TempDir dir;
  const std::string path = big_journal_store(dir, 3);
  {
    std::ofstream torn(path + ".journal", std::ios::binary | std::ios::app);
    torn << "{\"seq\":4,\"ops\":[" << std::string((uint64_t{17} << 20), 'x');
  }
  const VerifyReport report = Store::verify(path, posix_file_system());
  CHECK(report.ok);
  CHECK(report.journal_lines == 3);
  REQUIRE(report.notes.size() == 1);
  CHECK(report.notes[0].find("torn last line") != std::string::npos);
}
