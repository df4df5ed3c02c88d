// Bounds on what one call may cost or claim (issue 10): lock waits end (#7), a write whose undo
// failed is never "nothing changed" (#12), a failed compaction backs off (#17), costly queries are
// refused (#20) and the working set has a cap (#14).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "storage/clock.h"
#include "storage/store.h"
#include "tests/storage/store_test_support.h"
#include "tests/support/faulty_file_system.h"
#include "tests/support/temp_dir.h"
#include "tools/tool.h"

using namespace storage;
using testing::draft;
using testing::FaultyFileSystem;
using testing::open_store;
using testing::TempDir;

namespace {

// Holds an exclusive flock on `path` from its own open file description until destroyed.
class HeldLock {
 public:
  explicit HeldLock(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    REQUIRE(fd_ >= 0);
    REQUIRE(::flock(fd_, LOCK_EX) == 0);
  }
  ~HeldLock() { ::close(fd_); }
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;

 private:
  int fd_;
};

StoreOptions options_for(const std::string& path, const Clock& clock, FileSystem* fs = nullptr) {
  StoreOptions options;
  options.path = path;
  options.clock = &clock;
  options.fs = fs;
  options.sync = SyncMode::kNever;
  options.compact_in_background = false;  // the fake file system must see every compaction
  return options;
}

SearchRequest query(std::string text) {
  SearchRequest request;
  request.project_id = "p";
  request.query = std::move(text);
  return request;
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("bounds: a lock wait gives up after its timeout and names the holder's pid") {
  TempDir dir;
  const std::string path = dir.file("x.lock");
  HeldLock held(path);
  auto lock = posix_file_system().lock_for(path, LockMode::kShared, std::chrono::milliseconds(50));
  REQUIRE(lock.ok());
  CHECK(*lock == nullptr);
  CHECK(lock_holders(path) == "pid " + std::to_string(::getpid()));
}

TEST_CASE("bounds: calls fail with a storage error naming the holder while another process holds the lock") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  StoreOptions options = options_for(path, clock);
  options.lock_timeout = std::chrono::milliseconds(100);
  {
    // Held before the load: the load reports itself blocked and calls fail instead of waiting.
    HeldLock held(path + ".lock");
    auto store = Store::open(options);
    auto found = store->search_stashed(query("x"));
    REQUIRE_FALSE(found.ok());
    INFO("message: " << found.status().message());
    CHECK(found.status().code() == Status::Code::kIoError);
    CHECK(contains(found.status().message(), "held by pid " + std::to_string(::getpid())));
    CHECK(contains(found.status().message(), "OUT_OF_CONTEXT_LOCK_TIMEOUT_MS"));
  }
  auto store = Store::open(options);
  REQUIRE(store->stash("p", {}, {draft("a", "alpha")}, false).ok());
  HeldLock held(path + ".lock");
  auto stashed = store->stash("p", {}, {draft("b", "beta")}, false);
  REQUIRE_FALSE(stashed.ok());
  INFO("message: " << stashed.status().message());  // it failed once under load: keep the evidence
  CHECK(contains(stashed.status().message(), "held by pid " + std::to_string(::getpid())));
}

TEST_CASE("bounds: a write whose fdatasync and undo both fail is never reported as nothing changed") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  FaultyFileSystem faulty(posix_file_system());
  auto store = open_store(path, &clock, &faulty);
  REQUIRE(store->stash("p", {}, {draft("a", "alpha")}, false).ok());
  faulty.write_whole_on_failure(true);
  faulty.fail_at(1, EIO, true);  // the append (its line whole on disk) and then the undo fail
  auto out = store->stash("p", {}, {draft("b", "beta")}, false);
  REQUIRE_FALSE(out.ok());
  CHECK(contains(out.status().message(), kOutcomeUnknown));
  const mcp::ToolResult reply = tools::error_result(out.status());
  CHECK(reply.error_code == "STORAGE_ERROR");
  CHECK_FALSE(contains(reply.message, "nothing was changed"));
  faulty.heal();
  // The next call reads the journal again and applies the whole line: an outcome the error allowed.
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a", "b"});
  auto reopened = open_store(path, &clock);
  CHECK(testing::stashed_ids(*reopened, "p") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("bounds: after a failed compaction the write path backs off instead of retrying on every write") {
  TempDir dir;
  ManualClock clock;
  FaultyFileSystem faulty(posix_file_system());
  StoreOptions options = options_for(dir.file("storage.json"), clock, &faulty);
  options.compact_min_journal_bytes = 1;  // due after every write
  auto store = Store::open(options);
  REQUIRE(store->wait_until_loaded().ok());
  faulty.fail_atomic_writes(ENOSPC);
  const long before = faulty.atomic_writes();
  int n = 0;
  auto stash_one = [&] { REQUIRE(store->stash("p", {}, {draft("s" + std::to_string(n++), "text")}, false).ok()); };
  for (int i = 0; i < 10; ++i) stash_one();
  CHECK(faulty.atomic_writes() - before == 1);
  clock.advance_ms(1000);  // the first backoff (1 s) is over
  stash_one();
  stash_one();
  CHECK(faulty.atomic_writes() - before == 2);
  clock.advance_ms(1000);  // the second backoff is 2 s
  stash_one();
  CHECK(faulty.atomic_writes() - before == 2);
  clock.advance_ms(1000);
  stash_one();
  CHECK(faulty.atomic_writes() - before == 3);
  faulty.fail_atomic_writes(0);
  clock.advance_ms(4000);
  stash_one();
  CHECK(faulty.atomic_writes() - before == 4);
  CHECK(testing::read_text(options.path + ".journal").empty());  // compacted
}

TEST_CASE("bounds: a query with too many exclusions or words is refused naming the cap") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("p", {}, {draft("a", "alpha")}, false).ok());
  std::string exclusions;
  for (int i = 0; i < 16; ++i) exclusions += " -w" + std::to_string(i);
  CHECK(store->search_stashed(query("alpha" + exclusions)).ok());
  auto refused = store->search_stashed(query("alpha" + exclusions + " -\"one more\""));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kInvalidArgument);
  CHECK(refused.status().message() == "query has 17 -exclusions; at most 16 are allowed");
  std::string words;
  for (int i = 0; i < 65; ++i) words += " w" + std::to_string(i);
  auto too_many = store->search_stashed(query(words));
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.status().message() == "query has 65 words and phrases; at most 64 are searched at once");
  // +"required" phrases are searched too (each one verified in the texts of its candidates).
  std::string required;
  for (int i = 0; i < 65; ++i) required += " +\"r" + std::to_string(i) + " alpha\"";
  auto too_many_required = store->search_stashed(query(required));
  REQUIRE_FALSE(too_many_required.ok());
  CHECK(too_many_required.status().message() == "query has 65 words and phrases; at most 64 are searched at once");
}

TEST_CASE("bounds: the working set of one session holds at most max_working_segments") {
  TempDir dir;
  ManualClock clock;
  StoreOptions options = options_for(dir.file("storage.json"), clock);
  options.max_working_segments = 3;
  auto store = Store::open(options);
  REQUIRE(store->store_segments("p", {draft("a", "1"), draft("b", "2")}).ok());
  REQUIRE(store->store_segments("q", {draft("c", "3")}).ok());
  auto over = store->store_segments("p", {draft("d", "4")});
  REQUIRE_FALSE(over.ok());
  CHECK(over.status().code() == Status::Code::kLimitExceeded);
  CHECK(contains(over.status().message(), "at most 3 (OUT_OF_CONTEXT_MAX_WORKING_SEGMENTS)"));
  CHECK(store->store_segments("p", {draft("a", "replaced")}).ok());  // replacing adds nothing
  REQUIRE(store->stash("p", {"b"}, {}, false).ok());
  CHECK(store->store_segments("p", {draft("d", "4")}).ok());
  REQUIRE(store->stash("p", {}, {draft("e", "5")}, false).ok());
  auto restore = store->retrieve("p", {"e"}, true, 0);
  REQUIRE_FALSE(restore.ok());
  CHECK(restore.status().code() == Status::Code::kLimitExceeded);
}
