// The snapshot under damage (issue 10 #3, #9, #10): what one bad line, one changed letter or a
// newer format does to a load. Every segment line that verifies is kept, the lost ones are named,
// the damaged original is kept aside, and a newer format is refused without touching anything.
#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "storage/snapshot_reader.h"
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

// A compacted store with segments s0..s9 of project p in the snapshot and an empty journal.
void make_snapshot(const std::string& path, const Clock& clock) {
  auto store = open_store(path, &clock);
  std::vector<SegmentDraft> drafts;
  for (int i = 0; i < 10; ++i) drafts.push_back(draft("s" + std::to_string(i), "text number " + std::to_string(i)));
  REQUIRE(store->stash("p", {}, std::move(drafts), false).ok());
  REQUIRE(store->compact().ok());
}

// Changes one letter inside the text of segment `id` in the snapshot, keeping it valid JSON.
void change_letter_of(const std::string& path, const std::string& id) {
  std::string bytes = read_text(path);
  const size_t line = bytes.find("\"segment_id\":\"" + id + "\"");
  REQUIRE(line != std::string::npos);
  const size_t text = bytes.find("text number", line);
  REQUIRE(text != std::string::npos);
  bytes[text] = 'T';
  write_text(path, bytes);
}

std::string all_notes(Store& store) {
  auto stats = store.stats();
  REQUIRE(stats.ok());
  std::string out;
  for (const auto& n : stats->recovery_notes) out += n + "\n";
  return out;
}

// Sets the reader's limits for one test.
class ReadLimits {
 public:
  ReadLimits(uint64_t parser_max_bytes, uint64_t chunk_bytes) : saved_(snapshot_read_defaults()) {
    snapshot_read_defaults().parser_max_bytes = parser_max_bytes;
    snapshot_read_defaults().chunk_bytes = chunk_bytes;
  }
  ~ReadLimits() { snapshot_read_defaults() = saved_; }
  ReadLimits(const ReadLimits&) = delete;
  ReadLimits& operator=(const ReadLimits&) = delete;

 private:
  SnapshotReadOptions saved_;
};

}  // namespace

TEST_CASE("snapshot load: a read error (EIO, ENOMEM, EMFILE) fails the load with the reason and touches no file") {
  for (int err : {EIO, ENOMEM, EMFILE}) {
    CAPTURE(err);
    TempDir dir;
    ManualClock clock;
    const std::string path = dir.file("storage.json");
    make_snapshot(path, clock);
    const std::string before = read_text(path);
    FaultyFileSystem faulty(posix_file_system());
    faulty.fail_reads(err);
    {
      auto store = open_store(path, &clock, &faulty);
      const Status st = store->wait_until_loaded();
      REQUIRE_FALSE(st.ok());
      CHECK(st.message().find(std::strerror(err)) != std::string::npos);
      CHECK_FALSE(store->list_projects().ok());
    }
    CHECK(read_text(path) == before);
    CHECK(files_containing(dir.path(), "corrupt").empty());
    faulty.heal();
    auto healed = open_store(path, &clock, &faulty);
    CHECK(testing::stashed_ids(*healed, "p").size() == 10);
  }
}

TEST_CASE("snapshot load: a line too large for the parser is a resource failure, not damage") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_snapshot(path, clock);
  const std::string before = read_text(path);
  {
    ReadLimits limits(/*parser_max_bytes=*/64, /*chunk_bytes=*/1 << 20);
    auto store = open_store(path, &clock);
    const Status st = store->wait_until_loaded();
    REQUIRE_FALSE(st.ok());
    CHECK(st.to_string().find("storage error") == 0);
    CHECK(st.message().find("not damage") != std::string::npos);
  }
  CHECK(read_text(path) == before);
  CHECK(files_containing(dir.path(), "corrupt").empty());
}

TEST_CASE("snapshot load: a snapshot many times the parser's capacity loads line by line in small chunks") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  {
    auto store = open_store(path, &clock);
    std::vector<SegmentDraft> drafts;
    for (int i = 0; i < 200; ++i) drafts.push_back(draft("x" + std::to_string(1000 + i), std::string(300, static_cast<char>('a' + i % 26))));
    REQUIRE(store->stash("p", {}, std::move(drafts), false).ok());
    REQUIRE(store->compact().ok());
  }
  REQUIRE(read_text(path).size() > 20 * 4096);
  ReadLimits limits(/*parser_max_bytes=*/4096, /*chunk_bytes=*/7);
  auto store = open_store(path, &clock);
  CHECK(testing::stashed_ids(*store, "p").size() == 200);
  CHECK(files_containing(dir.path(), "corrupt").empty());
  CHECK(Store::verify(path, posix_file_system()).ok);
}

TEST_CASE("snapshot damage: one broken segment line loses only that segment and the note names it") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_snapshot(path, clock);
  std::string bytes = read_text(path);
  const size_t at = bytes.find("text number 4");
  REQUIRE(at != std::string::npos);
  bytes[at - 1] = '\x01';  // the quote that opens the text: not JSON any more
  write_text(path, bytes);
  auto store = open_store(path, &clock);
  const std::vector<std::string> expected{"s0", "s1", "s2", "s3", "s5", "s6", "s7", "s8", "s9"};
  CHECK(testing::stashed_ids(*store, "p") == expected);
  const std::string notes = all_notes(*store);
  CHECK(notes.find("line 7 (byte ") != std::string::npos);  // header, project line, s0 .. s4
  CHECK(notes.find("segment 's4' lost") != std::string::npos);
  CHECK(notes.find("1 segment line(s) lost, 9 kept") != std::string::npos);
  CHECK(notes.find("moved aside to " + path + ".corrupt-") != std::string::npos);
  REQUIRE(files_containing(dir.path(), "storage.json.corrupt-").size() == 1);
  auto reopened = open_store(path, &clock);
  CHECK(testing::stashed_ids(*reopened, "p") == expected);
  CHECK(Store::verify(path, posix_file_system()).ok);
}

TEST_CASE("snapshot damage: one changed letter in a segment's text fails its checksum at load and in verify") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_snapshot(path, clock);
  change_letter_of(path, "s7");
  const VerifyReport report = Store::verify(path, posix_file_system());
  CHECK_FALSE(report.ok);
  auto store = open_store(path, &clock);
  auto s7 = store->get("p", "s7", Tier::kStashed);
  REQUIRE(s7.ok());
  CHECK_FALSE(s7->has_value());  // the changed text is not served as truth
  auto s6 = store->get("p", "s6", Tier::kStashed);
  REQUIRE(s6.ok());
  CHECK(s6->has_value());
  CHECK(all_notes(*store).find("s7") != std::string::npos);
  CHECK(files_containing(dir.path(), "storage.json.corrupt-").size() == 1);
}

TEST_CASE("snapshot damage: a snapshot of a newer major version is refused with a clear error and left alone") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  make_snapshot(path, clock);
  std::string bytes = read_text(path);
  REQUIRE(bytes.rfind("{\"version\":\"1.", 0) == 0);
  bytes.replace(12, 1, "2");
  write_text(path, bytes);
  auto store = open_store(path, &clock);
  const Status st = store->wait_until_loaded();
  REQUIRE_FALSE(st.ok());
  CHECK(st.to_string().find("storage error") != std::string::npos);
  CHECK(st.message().find("newer ooc (format 2.") != std::string::npos);
  CHECK(st.message().find("upgrade ooc") != std::string::npos);
  CHECK_FALSE(store->list_projects().ok());
  CHECK(read_text(path) == bytes);
  CHECK(files_containing(dir.path(), "corrupt").empty());
}

TEST_CASE("snapshot damage: snapshots of format 1.0 without checksums still load") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  write_text(path,
             "{\"version\":\"1.0\",\"journal_seq\":3,\"projects\":{\n\"p\":{\"segments\":[\n"
             "{\"created_at\":\"2026-01-01T00:00:00.000Z\",\"segment_id\":\"a\",\"text\":\"alpha\",\"tier\":\"stashed\"},\n"
             "{\"created_at\":\"2026-01-01T00:00:00.000Z\",\"segment_id\":\"b\",\"text\":\"beta\",\"tier\":\"stashed\"}],\n"
             "\"indexes\":{\"by_task\":{},\"by_file\":{},\"by_tag\":{}}}}}\n");
  CHECK(Store::verify(path, posix_file_system()).ok);
  auto store = open_store(path, &clock);
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b"});
  CHECK(files_containing(dir.path(), "corrupt").empty());
}
