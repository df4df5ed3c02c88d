// The PostgreSQL engine under concurrency and server failures (issue 14 "Done when"): eight
// writers at once lose nothing, a reader's cached catalog caught
// up from ooc_changes equals a fresh load, and a server restart in the middle of a run fails the
// calls it cuts with storage errors, loses no acknowledged write, and the calls after it succeed.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/pg/pg_engine_support.h"

namespace pg = storage::pg;
using pgtest::draft;

namespace {

storage::SearchRequest query(const std::string& project, const std::string& text) {
  storage::SearchRequest request;
  request.project_id = project;
  request.query = text;
  request.limit = 50;
  return request;
}

std::vector<std::string> hits_of(const storage::SearchPage& page) {
  std::vector<std::string> out{"total " + std::to_string(page.total_matches)};
  for (const auto& h : page.hits) out.push_back(h.segment.segment_id + " " + std::to_string(h.score));
  return out;
}

std::set<std::string> exported_ids(storage::Store& store, const std::string& project) {
  auto exported = store.export_stashed(project);
  REQUIRE_MESSAGE(exported.ok(), exported.status().to_string());
  std::set<std::string> out;
  for (const storage::Segment& s : *exported) out.insert(s.segment_id);
  return out;
}

// The words of writer w's n-th segment: shared ones, so searches rank across writers.
std::string text_of(int w, int n) {
  static const char* words[] = {"cache", "index", "lock", "commit", "replica", "vacuum", "socket", "parser"};
  return std::string(words[(w + n) % 8]) + " " + words[(w * 3 + n) % 8] + " writer" + std::to_string(w) + " note " +
         std::to_string(n);
}

}  // namespace

TEST_CASE("pg engine concurrency: 8 writers at once lose nothing, and a cached reader equals a fresh load") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  storage::ManualClock clock;
  constexpr int kWriters = 8;
  constexpr int kCalls = 15;
  std::atomic<bool> done{false};
  std::mutex failures_mu;
  std::vector<std::string> failures;
  const auto fail = [&](const std::string& what) {
    std::lock_guard lock(failures_mu);
    failures.push_back(what);
  };

  // A reader searching all along: its catalog is caught up call after call while writers commit.
  auto reader = pgtest::open_pg(pgtest::engine_options(db, &clock));
  std::thread searching([&] {
    while (!done.load()) {
      auto page = reader->search_stashed(query("shared", "cache lock"));
      if (!page.ok()) fail("reader: " + page.status().to_string());
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto store = pgtest::open_pg(pgtest::engine_options(db, &clock));
      for (int n = 0; n < kCalls; ++n) {
        const std::string id = "w" + std::to_string(w) + "-" + std::to_string(n);
        // Half the writers also write a project of their own: the locks of several projects.
        const std::string project = (w % 2 == 1 && n % 3 == 0) ? "own-" + std::to_string(w) : "shared";
        auto stashed = store->stash(project, {}, {draft(id, text_of(w, n))}, false);
        if (!stashed.ok()) fail(id + ": " + stashed.status().to_string());
        if (n % 5 == 4) {  // and deletes one of its earlier shared segments
          const std::string gone = "w" + std::to_string(w) + "-" + std::to_string(n - 3);
          auto deleted = store->delete_segments("shared", {gone}, storage::Tier::kStashed, false);
          if (!deleted.ok()) fail(gone + " delete: " + deleted.status().to_string());
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  done.store(true);
  searching.join();
  for (const std::string& f : failures) FAIL_CHECK(f);

  std::set<std::string> expected_shared;
  std::map<std::string, std::set<std::string>> expected_own;
  for (int w = 0; w < kWriters; ++w) {
    for (int n = 0; n < kCalls; ++n) {
      const std::string id = "w" + std::to_string(w) + "-" + std::to_string(n);
      if (w % 2 == 1 && n % 3 == 0) {
        expected_own["own-" + std::to_string(w)].insert(id);
      } else {
        expected_shared.insert(id);
      }
    }
    for (int n = 4; n < kCalls; n += 5) expected_shared.erase("w" + std::to_string(w) + "-" + std::to_string(n - 3));
  }
  auto fresh = pgtest::open_pg(pgtest::engine_options(db, &clock));
  CHECK(exported_ids(*fresh, "shared") == expected_shared);
  for (const auto& [project, ids] : expected_own) CHECK(exported_ids(*fresh, project) == ids);

  // The reader's catalog, caught up change by change, ranks as a fresh load does.
  for (const char* q : {"cache lock", "writer3", "replica OR parser", "note"}) {
    auto seen = reader->search_stashed(query("shared", q));
    auto expected = fresh->search_stashed(query("shared", q));
    REQUIRE(seen.ok());
    REQUIRE(expected.ok());
    CHECK_MESSAGE(hits_of(*seen) == hits_of(*expected), q);
  }
  CHECK(db.exec("SELECT count(*) FROM ooc_segments WHERE project_key = 'shared'") ==
        std::to_string(expected_shared.size()));
}

namespace {

// A cluster of this test's own (tests/pg/pg_cluster), so that restarting it disturbs no other
// test; stopped and removed when destroyed.
class OwnCluster {
 public:
  OwnCluster() : dir_(std::string(OOC_PG_CLUSTER_DIR) + "-own-" + std::to_string(::getpid())) {
    run("start");
    const pgtest::ProcessResult env = pgtest::run_process("/bin/cat", {dir_ + "/env"}, {});
    std::map<std::string, std::string> vars;
    size_t at = 0;
    while (at < env.out.size()) {
      const size_t end = env.out.find('\n', at);
      const std::string line = env.out.substr(at, end == std::string::npos ? std::string::npos : end - at);
      const size_t eq = line.find('=');
      if (eq != std::string::npos) vars[line.substr(0, eq)] = line.substr(eq + 1);
      at = end == std::string::npos ? env.out.size() : end + 1;
    }
    auto parsed = pg::parse_storage_url("host=" + vars.at("PGHOST") + " port=" + vars.at("PGPORT") +
                                        " user=ooc_admin dbname=postgres");
    if (!parsed.ok()) throw std::runtime_error(parsed.status().to_string());
    url_ = *parsed;
  }
  ~OwnCluster() {
    try {
      run("stop");
    } catch (const std::exception&) {
    }
  }
  OwnCluster(const OwnCluster&) = delete;
  OwnCluster& operator=(const OwnCluster&) = delete;

  void restart() { run("restart"); }
  const pg::StorageUrl& url() const { return url_; }

 private:
  void run(const std::string& command) {
    const pgtest::ProcessResult r =
        pgtest::run_process(OOC_SOURCE_DIR "/tests/pg/pg_cluster", {command, dir_}, {});
    if (r.exit_status != 0) throw std::runtime_error("pg_cluster " + command + " failed: " + r.err + r.out);
  }

  std::string dir_;
  pg::StorageUrl url_;
};

}  // namespace

TEST_CASE("pg engine failover: a server restart mid-run loses no acknowledged write and the calls after it succeed") {
  OwnCluster cluster;
  {
    auto c = pg::Connection::open(cluster.url(), {});
    REQUIRE_MESSAGE(c.ok(), c.status().to_string());
    auto migrated = pg::schema::migrate(**c, "test");
    REQUIRE_MESSAGE(migrated.ok(), migrated.status().to_string());
  }
  storage::ManualClock clock;
  pg::PgEngineOptions options;
  options.url = cluster.url();
  options.team = "core";
  options.store.clock = &clock;
  auto store = pgtest::open_pg(options);

  std::atomic<int> acknowledged_total{0};
  std::atomic<int> acknowledged_after_restart{0};
  std::atomic<bool> restarted{false};
  std::atomic<bool> stop{false};
  std::vector<std::string> acknowledged;
  std::vector<std::string> failed;  // each a storage error
  std::thread writer([&] {
    for (int n = 0; !stop.load() && n < 100000; ++n) {
      const std::string id = "r-" + std::to_string(n);
      auto stashed = store->stash("p", {}, {draft(id, "restart survivor number " + std::to_string(n))}, false);
      if (stashed.ok()) {
        acknowledged.push_back(id);
        acknowledged_total.fetch_add(1);
        if (restarted.load()) acknowledged_after_restart.fetch_add(1);
      } else {
        failed.push_back(id + ": " + stashed.status().to_string());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the server is down: not so often
      }
    }
  });
  // Polling the writer's progress, not timing anything: bounded waits so a hang fails the test.
  const auto wait_for = [](const std::function<bool()>& ready) {
    for (int i = 0; i < 6000 && !ready(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return ready();
  };
  CHECK(wait_for([&] { return acknowledged_total.load() >= 20; }));
  cluster.restart();
  restarted.store(true);
  const bool resumed = wait_for([&] { return acknowledged_after_restart.load() >= 20; });
  stop.store(true);
  writer.join();
  CHECK_MESSAGE(resumed, "no call succeeded after the restart");
  // The calls the restart cut or that ran while the server was down: storage errors that say the
  // call was not applied (a lost COMMIT reply is resolved on the next connection).
  for (const std::string& f : failed) {
    INFO(f);
    CHECK(f.find(": storage error: ") != std::string::npos);
    CHECK((f.find("not applied") != std::string::npos || f.find("nothing was applied") != std::string::npos ||
           f.find("nothing of this call was applied") != std::string::npos));
  }

  auto fresh = pgtest::open_pg(options);
  const std::set<std::string> stored = exported_ids(*fresh, "p");
  for (const std::string& id : acknowledged) CHECK_MESSAGE(stored.count(id) == 1, id << " was acknowledged");
  // A cut call applied all of its write or none: its segment is whole if it is there.
  for (const std::string& f : failed) {
    const std::string id = f.substr(0, f.find(':'));
    auto got = fresh->get("p", id, storage::Tier::kStashed);
    REQUIRE(got.ok());
    if (got->has_value()) CHECK((*got)->text.find("restart survivor") == 0);
  }
}
