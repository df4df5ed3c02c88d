// Tests of the storage path's rules (FORMAT.md, "File rules"): the path is resolved once, and
// what is not a store (a device, someone's other file) is refused before anything is created or
// moved beside it. The real binary's table is tests/blackbox/storage_path_blackbox_test.cpp.
#include <doctest/doctest.h>

#include <filesystem>

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

TEST_CASE("storage path: a snapshot path that names a character device is refused and nothing is renamed or created") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("null");  // stands for /dev/null: the fake says it is a device
  FaultyFileSystem faulty(posix_file_system());
  faulty.pretend(path, FileKind::kCharDevice);
  auto store = open_store(path, &clock, &faulty);
  const Status st = store->wait_until_loaded();
  REQUIRE_FALSE(st.ok());
  CHECK(st.code() == Status::Code::kIoError);
  CHECK(st.message().find("storage path " + path + " is a character device, not a store") == 0);
  CHECK_FALSE(store->stash("p", {}, {draft("a", "x")}, false).ok());
  CHECK(faulty.steps() == 0);                              // no rename, no write, no directory
  CHECK(std::filesystem::is_empty(dir.path()));            // not even a lock file beside it
}

TEST_CASE("storage path: a regular file that is not a store is refused and left untouched") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("notes.txt");
  write_text(path, "my notes, not a store\n");
  const FileInfo before = *posix_file_system().stat(path);
  auto store = open_store(path, &clock);
  const Status st = store->wait_until_loaded();
  REQUIRE_FALSE(st.ok());
  CHECK(st.message().find("storage path " + path + " is a file that is not an ooc store") == 0);
  CHECK_FALSE(store->list_projects().ok());
  CHECK(read_text(path) == "my notes, not a store\n");
  CHECK(*posix_file_system().stat(path) == before);  // same inode, size and mtime
  CHECK(files_containing(dir.path(), "").size() == 1);  // nothing moved aside, no journal or lock
}

TEST_CASE("storage path: a snapshot that starts like a store but is damaged is still moved aside") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  write_text(path, " {\n  \"version\" : \"1.0\", \"projects\": {\"p\": [ broken");
  auto store = open_store(path, &clock);
  CHECK(store->wait_until_loaded().ok());
  CHECK(files_containing(dir.path(), "storage.json.corrupt-").size() == 1);
}

TEST_CASE("storage path: through a symlinked storage.json the journal and lock live beside the target and compaction keeps the link") {
  TempDir real_dir;
  TempDir link_dir;
  ManualClock clock;
  const std::string target = real_dir.file("storage.json");
  const std::string link = link_dir.file("storage.json");
  make_store(target, clock);  // a, b in the snapshot; c, d in the journal
  REQUIRE(std::filesystem::exists(target + ".journal"));
  std::filesystem::create_symlink(target, link);
  {
    auto store = open_store(link, &clock);
    CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b", "c", "d"});
    REQUIRE(store->stash("p", {}, {draft("e", "epsilon")}, false).ok());
    REQUIRE(store->compact().ok());
    REQUIRE(store->stash("p", {}, {draft("f", "phi")}, false).ok());
    CHECK(store->stats()->path == std::filesystem::canonical(target).string());
  }
  CHECK(std::filesystem::is_symlink(link));
  CHECK(files_containing(link_dir.path(), "").size() == 1);  // only the link
  auto direct = open_store(target, &clock);
  CHECK(testing::stashed_ids(*direct, "p") == std::vector<std::string>{"a", "b", "c", "d", "e", "f"});
  CHECK(Store::verify(link, posix_file_system()).ok);
}
