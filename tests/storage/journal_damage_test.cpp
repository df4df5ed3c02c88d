// The journal under damage (issue 10 #5, #15, #19): only an unterminated last line is a torn
// tail; a damaged complete line is damage and is kept aside; a read-only store serves what
// verifies; load and verify apply one set of rules to the order of seq numbers.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/storage/store_test_support.h"
#include "tests/support/faulty_file_system.h"

using namespace storage;
using testing::draft;
using testing::FaultyFileSystem;
using testing::open_store;
using testing::read_text;
using testing::TempDir;
using testing::write_text;

namespace {

std::vector<std::string> files_containing(const std::string& dir, const std::string& part) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find(part) != std::string::npos) out.push_back(dir + "/" + name);
  }
  return out;
}

// a, b in the snapshot (journal_seq 1); c (seq 2) and d (seq 3) in the journal.
void make_store(const std::string& path, const Clock& clock) {
  auto store = open_store(path, &clock);
  REQUIRE(store->stash("p", {}, {draft("a", "alpha"), draft("b", "beta")}, false).ok());
  REQUIRE(store->compact().ok());
  REQUIRE(store->stash("p", {}, {draft("c", "gamma")}, false).ok());
  REQUIRE(store->stash("p", {}, {draft("d", "delta")}, false).ok());
}

std::vector<std::string> journal_lines(const std::string& path) {
  const std::string bytes = read_text(path + ".journal");
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t nl = bytes.find('\n', pos);
    lines.push_back(bytes.substr(pos, nl + 1 - pos));
    pos = nl + 1;
  }
  return lines;
}

}  // namespace

TEST_CASE("journal damage: a damaged last line that ends in a newline is damage, kept aside, not a torn tail") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  auto lines = journal_lines(path);
  REQUIRE(lines.size() == 2);
  const size_t at = lines[1].find("delta");
  REQUIRE(at != std::string::npos);
  lines[1][at] = 'D';
  write_text(path + ".journal", lines[0] + lines[1]);
  CHECK_FALSE(Store::verify(path, posix_file_system()).ok);
  {
    auto store = open_store(path, &clock);
    CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "c"});
    REQUIRE(store->stash("p", {}, {draft("e", "epsilon")}, false).ok());
  }
  const auto aside = files_containing(dir.path(), "journal.corrupt-");
  REQUIRE(aside.size() == 1);
  CHECK(read_text(aside[0]).find("Delta") != std::string::npos);  // the damaged bytes are kept
  auto reopened = open_store(path, &clock);
  CHECK(testing::stashed_ids(*reopened, "p") == std::vector<std::string>{"a", "b", "c", "e"});
  CHECK(Store::verify(path, posix_file_system()).ok);
}

TEST_CASE("journal damage: a read-only store with a damaged journal line serves every batch that verifies") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  auto lines = journal_lines(path);
  lines[0][lines[0].find("gamma")] = 'G';
  write_text(path + ".journal", lines[0] + lines[1]);
  FaultyFileSystem faulty(posix_file_system());
  faulty.fail_all_writes(EACCES);
  {
    auto store = open_store(path, &clock, &faulty);
    CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "d"});
    CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "d"});
    CHECK(files_containing(dir.path(), "corrupt").empty());  // nothing could be moved
  }
  faulty.heal();
  auto writable = open_store(path, &clock, &faulty);
  CHECK(testing::stashed_ids(*writable, "p") == std::vector<std::string>{"a", "b", "d"});
  CHECK(files_containing(dir.path(), "journal.corrupt-").size() == 1);
  CHECK(Store::verify(path, posix_file_system()).ok);
}

TEST_CASE("journal damage: a duplicated older line is damage to verify and is repaired by the next load") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  const auto lines = journal_lines(path);
  write_text(path + ".journal", lines[0] + lines[1] + lines[0]);
  CHECK_FALSE(Store::verify(path, posix_file_system()).ok);
  {
    auto store = open_store(path, &clock);
    CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "c", "d"});
  }
  CHECK(Store::verify(path, posix_file_system()).ok);
  CHECK(files_containing(dir.path(), "journal.corrupt-").size() == 1);
}

TEST_CASE("journal damage: a deleted line (a gap in seq) is damage to verify and to load, and the rest is kept") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_store(path, clock);
  const auto lines = journal_lines(path);
  write_text(path + ".journal", lines[1]);  // batch 2 (c) is gone
  const VerifyReport report = Store::verify(path, posix_file_system());
  CHECK_FALSE(report.ok);
  auto store = open_store(path, &clock);
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "d"});
  auto stats = store->stats();
  REQUIRE(stats.ok());
  REQUIRE_FALSE(stats->recovery_notes.empty());
  CHECK(stats->recovery_notes[0].find("missing") != std::string::npos);
  CHECK(files_containing(dir.path(), "journal.corrupt-").size() == 1);
  CHECK(Store::verify(path, posix_file_system()).ok);
}
