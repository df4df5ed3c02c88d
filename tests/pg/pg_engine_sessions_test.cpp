// The PostgreSQL engine's sessions (pg_engine.h "Sessions"): durable working sets in ooc_working,
// end_session, recovery of a dead session's working set (once, even when two processes race),
// claim_project.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "tests/pg/pg_engine_support.h"

using pgtest::draft;

namespace {

const std::string kSessionA = "s-20261201T000000-aaaaaa";
const std::string kSessionB = "s-20261201T000000-bbbbbb";
const std::string kSessionC = "s-20261201T000000-cccccc";

std::string tags_of(const storage::Segment& s) {
  std::string out;
  for (const auto& t : s.tags) out += (out.empty() ? "" : ",") + t;
  return out;
}

}  // namespace

TEST_CASE("pg engine sessions: a session's working set is durable and its own, and end_session stashes it") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  storage::ManualClock clock;
  auto a = pgtest::open_pg(pgtest::engine_options(db, &clock, kSessionA));
  auto b = pgtest::open_pg(pgtest::engine_options(db, &clock, kSessionB));
  REQUIRE(a->store_segments("p", {draft("w-1", "one"), draft("w-2", "two")}).ok());
  CHECK(db.exec("SELECT count(*) FROM ooc_working WHERE session_id = '" + kSessionA + "'") == "2");
  auto mine = a->load_segments("p");
  REQUIRE(mine.ok());
  CHECK(mine->size() == 2);
  auto theirs = b->load_segments("*");
  REQUIRE(theirs.ok());
  CHECK(theirs->empty());
  auto tokens = a->active_tokens("P");
  REQUIRE(tokens.ok());
  CHECK(*tokens > 0);

  auto ended = a->end_session();
  REQUIRE_MESSAGE(ended.ok(), ended.status().to_string());
  CHECK(*ended == 2);
  CHECK(db.exec("SELECT count(*) FROM ooc_working") == "0");
  CHECK(db.exec("SELECT ended_at IS NOT NULL FROM ooc_sessions WHERE session_id = '" + kSessionA + "'") == "t");
  auto stashed = b->retrieve("p", {"w-1"}, false, 0);
  REQUIRE(stashed.ok());
  REQUIRE(stashed->segments.size() == 1);
  CHECK(tags_of(stashed->segments[0]) == "unstashed,session:" + kSessionA);
  auto again = a->end_session();
  REQUIRE(again.ok());
  CHECK(*again == 0);
}

TEST_CASE("pg engine sessions: two processes racing to recover a dead session move its working set once") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  storage::ManualClock clock;
  auto live = pgtest::open_pg(pgtest::engine_options(db, &clock, kSessionB));
  REQUIRE(live->store_segments("p", {draft("l-1", "alive")}).ok());
  {
    auto dead = pgtest::open_pg(pgtest::engine_options(db, &clock, kSessionA));
    REQUIRE(dead->store_segments("p", {draft("d-1", "one"), draft("d-2", "two"), draft("d-3", "three")}).ok());
  }  // its connection ends without end_session: the owner is gone, its lock released
  // Two processes start at once (each recovers dead sessions as it opens), then both checkpoint.
  for (int round = 0; round < 2; ++round) {
    std::unique_ptr<storage::Store> b;
    std::unique_ptr<storage::Store> c;
    storage::Result<size_t> by_b = size_t{0};
    storage::Result<size_t> by_c = size_t{0};
    std::thread tb([&] {
      b = pgtest::open_pg(pgtest::engine_options(db, &clock, kSessionC));
      by_b = b->checkpoint_working("p");
    });
    std::thread tc([&] {
      c = pgtest::open_pg(pgtest::engine_options(db, &clock, "s-20261201T000000-dddddd"));
      by_c = c->checkpoint_working("p");
    });
    tb.join();
    tc.join();
    REQUIRE_MESSAGE(by_b.ok(), by_b.status().to_string());
    REQUIRE_MESSAGE(by_c.ok(), by_c.status().to_string());
    // The live session's copy once in round 0 (the dead one was moved as they opened); then nothing.
    CHECK(*by_b + *by_c == (round == 0 ? 1u : 0u));
  }
  CHECK(db.exec("SELECT count(*) FROM ooc_working WHERE session_id = '" + kSessionA + "'") == "0");
  CHECK(db.exec("SELECT ended_at IS NOT NULL FROM ooc_sessions WHERE session_id = '" + kSessionA + "'") == "t");
  CHECK(db.exec("SELECT count(*) FROM ooc_working WHERE session_id = '" + kSessionB + "'") == "1");
  CHECK(db.exec("SELECT string_agg(segment_id, ',' ORDER BY segment_id) FROM ooc_segments") == "d-1,d-2,d-3,l-1");
  CHECK(db.exec("SELECT count(*) FROM ooc_changes WHERE op = 'put'") == "4");  // each moved or copied once
}

TEST_CASE("pg engine sessions: claim_project binds a root path, and another root with the same name gets its own id") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  storage::ManualClock clock;
  auto store = pgtest::open_pg(pgtest::engine_options(db, &clock));
  auto first = store->claim_project("app", "/home/ana/work/app");
  REQUIRE(first.ok());
  CHECK(*first == "app");
  auto other = store->claim_project("app", "/srv/ci/app");
  REQUIRE(other.ok());
  CHECK(*other == "app-ci");
  auto again = store->claim_project("APP", "/home/ana/work/app");
  REQUIRE(again.ok());
  CHECK(*again == "app");
  auto listed = store->list_projects();
  REQUIRE(listed.ok());
}
