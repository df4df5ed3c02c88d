// Sessions (FORMAT.md "Sessions"): a session's working set is durable, ends up in the stash when
// the session ends or its owner is gone, and stays its own while the owner lives. Two Stores in one
// process stand for two processes: flock(2) locks conflict between open file descriptions.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/storage/store_test_support.h"

using namespace storage;
using testing::draft;
using testing::read_text;
using testing::TempDir;

namespace {

const char* const kA = "s-20260101T000000-aaaaaa";
const char* const kB = "s-20260101T000000-bbbbbb";
const char* const kC = "s-20260101T000000-cccccc";

std::unique_ptr<Store> open_session(const std::string& path, const Clock* clock, const std::string& session) {
  StoreOptions options;
  options.path = path;
  options.clock = clock;
  options.session_id = session;
  options.sync = SyncMode::kNever;
  auto store = testing::open_store(options);
  REQUIRE(store->wait_until_loaded().ok());
  return store;
}

bool has_tag(const Segment& s, const std::string& tag) {
  return std::find(s.tags.begin(), s.tags.end(), tag) != s.tags.end();
}

std::vector<std::string> working_ids(Store& store, const std::string& project) {
  auto all = store.load_segments(project);
  REQUIRE(all.ok());
  std::vector<std::string> ids;
  for (const auto& s : *all) ids.push_back(s.segment_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

Segment stashed(Store& store, const std::string& project, const std::string& id) {
  auto got = store.get(project, id, Tier::kStashed);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  return **got;
}

}  // namespace

TEST_CASE("sessions: the working set of a session whose owner is gone is in the stash of the next store, tagged") {
  TempDir dir;
  const std::string path = dir.file("storage.json");
  ManualClock clock;
  std::string created;
  {
    auto a = open_session(path, &clock, kA);
    SegmentDraft d = draft("w1", "kept across the crash");
    d.tags = {"mine"};
    REQUIRE(a->store_segments("p", {d, draft("w2", "second one")}).ok());
    created = a->get("p", "w1", Tier::kWorking)->value().created_at;
    if (!testing::on_team_store()) CHECK(exists(path + ".sessions/" + std::string(kA) + ".lock"));
    clock.advance_ms(60000);
  }  // destroyed without end_session: its lock is released as by a crash
  auto b = open_session(path, &clock, kB);
  CHECK(testing::stashed_ids(*b, "p") == std::vector<std::string>{"w1", "w2"});
  const Segment w1 = stashed(*b, "p", "w1");
  CHECK(w1.text == "kept across the crash");
  CHECK(w1.created_at == created);
  CHECK(w1.tags == std::vector<std::string>{"mine", "unstashed", std::string("session:") + kA});
  CHECK(working_ids(*b, "p").empty());
  if (!testing::on_team_store()) CHECK_FALSE(exists(path + ".sessions/" + std::string(kA) + ".lock"));
  // Recovered once: a third store finds nothing more to do and the same stash.
  auto c = open_session(path, &clock, kC);
  CHECK(testing::stashed_ids(*c, "p") == std::vector<std::string>{"w1", "w2"});
}

TEST_CASE("sessions: a live session is not recovered and each session keeps its own working set") {
  TempDir dir;
  const std::string path = dir.file("storage.json");
  ManualClock clock;
  auto a = open_session(path, &clock, kA);
  REQUIRE(a->store_segments("p", {draft("a1", "of a")}).ok());
  auto b = open_session(path, &clock, kB);
  REQUIRE(b->store_segments("p", {draft("b1", "of b")}).ok());
  CHECK(testing::stashed_ids(*b, "p").empty());
  CHECK(working_ids(*a, "p") == std::vector<std::string>{"a1"});
  CHECK(working_ids(*b, "p") == std::vector<std::string>{"b1"});
  CHECK(*a->active_tokens("p") > 0);
  CHECK_FALSE(a->get("p", "b1", Tier::kWorking)->has_value());
  // A write of b's catches up with a's batches and still leaves a's working set alone.
  REQUIRE(b->stash("p", {"b1"}, {}).ok());
  CHECK(testing::stashed_ids(*a, "p") == std::vector<std::string>{"b1"});
  CHECK(working_ids(*a, "p") == std::vector<std::string>{"a1"});
}

TEST_CASE("sessions: end_session moves the whole working set to the stash and releases the session") {
  TempDir dir;
  const std::string path = dir.file("storage.json");
  ManualClock clock;
  auto a = open_session(path, &clock, kA);
  REQUIRE(a->stash("p", {}, {draft("x", "older stashed copy")}).ok());
  const std::string older = stashed(*a, "p", "x").created_at;
  clock.advance_ms(1000);
  REQUIRE(a->store_segments("p", {draft("x", "newer working copy"), draft("y", "why")}).ok());
  REQUIRE(a->store_segments("q", {draft("z", "other project")}).ok());
  auto ended = a->end_session();
  REQUIRE(ended.ok());
  CHECK(*ended == 3);
  CHECK(working_ids(*a, "p").empty());
  if (!testing::on_team_store()) CHECK_FALSE(exists(path + ".sessions/" + std::string(kA) + ".lock"));
  const Segment x = stashed(*a, "p", "x");
  CHECK(x.text == "newer working copy");
  CHECK(x.created_at == older);
  CHECK(has_tag(x, "unstashed"));
  CHECK(has_tag(stashed(*a, "q", "z"), std::string("session:") + kA));
  CHECK(*a->end_session() == 0);  // idempotent
  auto b = open_session(path, &clock, kB);
  CHECK(testing::stashed_ids(*b, "p") == std::vector<std::string>{"x", "y"});
}

TEST_CASE("sessions: stash by id, restore and delete from the working set are durable") {
  TempDir dir;
  const std::string path = dir.file("storage.json");
  ManualClock clock;
  {
    auto a = open_session(path, &clock, kA);
    REQUIRE(a->store_segments("p", {draft("s1", "stashed by id"), draft("d1", "deleted"), draft("k1", "kept")}).ok());
    REQUIRE(a->stash("p", {"s1"}, {}).ok());
    REQUIRE(a->delete_segments("p", {"d1"}, Tier::kWorking).ok());
    REQUIRE(a->stash("p", {}, {draft("r1", "restored")}).ok());
    REQUIRE(a->retrieve("p", {"r1"}, /*restore=*/true, 0).ok());
    CHECK(working_ids(*a, "p") == std::vector<std::string>{"k1", "r1"});
  }
  auto b = open_session(path, &clock, kB);
  const Segment s1 = stashed(*b, "p", "s1");
  CHECK_FALSE(has_tag(s1, "unstashed"));  // stashed by the agent, not recovered
  CHECK(has_tag(stashed(*b, "p", "k1"), "unstashed"));
  CHECK(has_tag(stashed(*b, "p", "r1"), "unstashed"));
  CHECK_FALSE(b->get("p", "d1", Tier::kStashed)->has_value());
}

TEST_CASE("sessions: checkpoint_working copies every session's working set and skips identical copies") {
  TempDir dir;
  const std::string path = dir.file("storage.json");
  ManualClock clock;
  auto a = open_session(path, &clock, kA);
  REQUIRE(a->store_segments("p", {draft("c1", "one"), draft("c2", "two")}).ok());
  REQUIRE(a->store_segments("other", {draft("o1", "not this project")}).ok());
  auto hook = testing::open_store(path, &clock);  // the CLI: no session
  auto copied = hook->checkpoint_working("p");
  REQUIRE(copied.ok());
  CHECK(*copied == 2);
  CHECK(testing::stashed_ids(*hook, "p") == std::vector<std::string>{"c1", "c2"});
  CHECK(testing::stashed_ids(*hook, "other").empty());
  CHECK(working_ids(*a, "p") == std::vector<std::string>{"c1", "c2"});  // copied, not moved
  clock.advance_ms(1000);
  CHECK(*hook->checkpoint_working("p") == 0);
  REQUIRE(a->store_segments("p", {draft("c2", "two, changed")}).ok());
  CHECK(*hook->checkpoint_working("p") == 1);
  CHECK(stashed(*hook, "p", "c2").text == "two, changed");
  CHECK(has_tag(stashed(*hook, "p", "c2"), std::string("session:") + kA));
}

TEST_CASE("sessions: checkpoint_working recovers a dead session of the project first") {
  TempDir dir;
  const std::string path = dir.file("storage.json");
  ManualClock clock;
  auto hook = testing::open_store(path, &clock);
  REQUIRE(hook->wait_until_loaded().ok());
  {
    auto a = open_session(path, &clock, kA);
    REQUIRE(a->store_segments("p", {draft("dead1", "of a dead session")}).ok());
  }
  CHECK(*hook->checkpoint_working("p") == 1);
  auto b = open_session(path, &clock, kB);
  CHECK(has_tag(stashed(*b, "p", "dead1"), "unstashed"));
  if (!testing::on_team_store()) CHECK_FALSE(exists(path + ".sessions/" + std::string(kA) + ".lock"));
}

TEST_CASE("sessions: compaction keeps the working segments of live sessions") {
  TempDir dir;
  const std::string path = dir.file("storage.json");
  ManualClock clock;
  {
    auto a = open_session(path, &clock, kA);
    REQUIRE(a->store_segments("p", {draft("live1", "still in a's window")}).ok());
    auto b = open_session(path, &clock, kB);
    REQUIRE(b->compact().ok());
    if (!testing::on_team_store()) {
      const std::string snapshot = read_text(path);
      CHECK(snapshot.find("\"working\":[") != std::string::npos);
      CHECK(read_text(path + ".journal").empty());
    }
    // a catches up with the new snapshot on its next write and keeps its working set.
    REQUIRE(a->store_segments("p", {draft("live2", "after the compaction")}).ok());
    CHECK(working_ids(*a, "p") == std::vector<std::string>{"live1", "live2"});
    auto c = open_session(path, &clock, kC);
    CHECK(testing::stashed_ids(*c, "p").empty());  // a lives
  }
  auto d = open_session(path, &clock, "s-20260101T000000-dddddd");
  CHECK(testing::stashed_ids(*d, "p") == std::vector<std::string>{"live1", "live2"});
}

TEST_CASE("sessions: a store without a session keeps its working set in memory only") {
  TempDir dir;
  const std::string path = dir.file("storage.json");
  ManualClock clock;
  auto cli = testing::open_store(path, &clock);
  REQUIRE(cli->store_segments("p", {draft("m1", "memory only")}).ok());
  if (!testing::on_team_store()) CHECK(read_text(path + ".journal").empty());
  if (!testing::on_team_store()) CHECK_FALSE(exists(path + ".sessions"));
  CHECK(*cli->end_session() == 0);
  CHECK(working_ids(*cli, "p") == std::vector<std::string>{"m1"});
}

TEST_CASE("sessions: claim_project binds a root path once and never shares a name between two paths") {
  TempDir dir;
  const std::string path = dir.file("storage.json");
  ManualClock clock;
  {
    auto store = testing::open_store(path, &clock);
    REQUIRE(store->stash("api", {}, {draft("old", "a project from before root paths")}).ok());
    CHECK(*store->claim_project("api", "/home/u/work/api") == "api");  // pre-existing, bound now
    CHECK(*store->claim_project("api", "/home/u/work/api") == "api");
    CHECK(*store->claim_project("api", "/home/u/play/api") == "api-play");
    CHECK(*store->claim_project("other", "/home/u/play/api") == "api-play");  // the path decides
    CHECK(*store->claim_project("api", "/srv/play/api") == "api-play-2");
    CHECK_FALSE(store->claim_project("bad id", "/x").ok());
    CHECK_FALSE(store->claim_project("api", "").ok());
  }
  auto fresh = testing::open_store(path, &clock);
  CHECK(*fresh->claim_project("api", "/home/u/play/api") == "api-play");  // durable
  REQUIRE(fresh->compact().ok());
  auto after = testing::open_store(path, &clock);
  CHECK(*after->claim_project("x", "/srv/play/api") == "api-play-2");  // and in the snapshot
  auto projects = after->list_projects();
  REQUIRE(projects.ok());
  REQUIRE(projects->size() == 1);
  CHECK((*projects)[0].root_path == "/home/u/work/api");
}
