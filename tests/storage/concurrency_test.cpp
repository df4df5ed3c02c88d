#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "tests/storage/store_test_support.h"

using namespace storage;
using testing::draft;
using testing::TempDir;

TEST_CASE("concurrency: threads calling one engine lose no write") {
  TempDir dir;
  ManualClock clock;
  StoreOptions options;
  options.path = dir.file("storage.json");
  options.clock = &clock;
  options.sync = SyncMode::kNever;
  options.compact_min_journal_bytes = 4096;  // compactions happen while the threads run
  auto store = Store::open(options);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        CHECK(store->store_segments("p", {draft(id, "working " + id)}).ok());
        CHECK(store->stash("p", {id}, {}, false).ok());
        SearchRequest req;
        req.project_id = "p";
        req.query = id;
        req.mode = SearchMode::kSubstring;
        CHECK(store->search_stashed(req).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(testing::stashed_ids(*store, "p").size() == kThreads * kPerThread);
  CHECK(store->load_segments("p")->empty());
  auto reopened = testing::open_store(options.path, &clock);
  CHECK(testing::stashed_ids(*reopened, "p").size() == kThreads * kPerThread);
}

TEST_CASE("concurrency: two OS processes appending to one store lose no write and see each other's") {
  TempDir dir;
  const std::string path = dir.file("storage.json");
  constexpr int kPerProcess = 60;
  // Fork before this process creates any engine thread.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  const std::string me = child == 0 ? "child" : "parent";
  int failures = 0;
  {
    StoreOptions options;
    options.path = path;
    options.compact_min_journal_bytes = 2048;  // both processes compact while the other appends
    auto store = Store::open(options);
    for (int i = 0; i < kPerProcess; ++i) {
      const std::string id = me + "-" + std::to_string(i);
      if (!store->stash("shared", {}, {draft(id, "from " + me)}, false).ok()) ++failures;
      if (i % 10 == 9 && !store->delete_segments("shared", {me + "-" + std::to_string(i - 1)}, std::nullopt).ok()) {
        ++failures;
      }
    }
  }
  if (child == 0) ::_exit(failures == 0 ? 0 : 1);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(failures == 0);
  auto store = testing::open_store(path, nullptr);
  const auto ids = testing::stashed_ids(*store, "shared");
  CHECK(ids.size() == 2 * (kPerProcess - kPerProcess / 10));
  for (const char* who : {"parent", "child"}) {
    for (int i = 0; i < kPerProcess; ++i) {
      const std::string id = std::string(who) + "-" + std::to_string(i);
      const bool deleted = i % 10 == 8;
      CAPTURE(id);
      CHECK((std::find(ids.begin(), ids.end(), id) != ids.end()) == !deleted);
    }
  }
  CHECK(Store::verify(path, posix_file_system()).ok);
}

TEST_CASE("concurrency: a second engine sees the first one's stashes and deletes on its next call") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  auto one = testing::open_store(path, &clock);
  auto two = testing::open_store(path, &clock);
  REQUIRE(one->stash("p", {}, {draft("a", "from one"), draft("b", "also one")}, false).ok());
  CHECK(testing::stashed_ids(*two, "p") == std::vector<std::string>{"a", "b"});
  REQUIRE(two->delete_segments("p", {"a"}, std::nullopt).ok());
  CHECK(testing::stashed_ids(*one, "p") == std::vector<std::string>{"b"});
  REQUIRE(one->compact().ok());  // replaces the snapshot under the other engine
  REQUIRE(two->stash("p", {}, {draft("c", "from two")}, false).ok());
  CHECK(testing::stashed_ids(*one, "p") == std::vector<std::string>{"b", "c"});
  SearchRequest req;
  req.project_id = "p";
  req.query = "from two";
  req.mode = SearchMode::kSubstring;
  auto page = one->search_stashed(req);
  REQUIRE(page.ok());
  CHECK(page->total_matches == 1);
}
