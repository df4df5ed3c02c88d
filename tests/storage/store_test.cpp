#include <doctest/doctest.h>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "storage/time_format.h"
#include "tests/storage/store_test_support.h"

using namespace storage;
using testing::draft;
using testing::open_store;
using testing::TempDir;

TEST_CASE("store: segments stored in the working set are returned with defaults and token counts") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  SegmentDraft d = draft("note-1", "Remember the lock order.");
  d.tags = {"locks", "locks", "order"};
  auto out = store->store_segments("p", {d, draft("note-2", "Second")});
  REQUIRE(out.ok());
  CHECK(out->stored.size() == 2);
  CHECK(out->active_tokens == out->stored[0].tokens + out->stored[1].tokens);
  auto working = store->load_segments("p");
  REQUIRE(working.ok());
  REQUIRE(working->size() == 2);
  const Segment& s = working->at(0);
  CHECK(s.segment_id == "note-1");
  CHECK(s.type == SegmentType::kNote);
  CHECK(s.tier == Tier::kWorking);
  CHECK(s.tags == std::vector<std::string>{"locks", "order"});
  CHECK(s.created_at == format_rfc3339_ms(clock.now_ms()));
  CHECK(s.tokens > 0);
}

TEST_CASE("store: updating an id keeps created_at and refreshes last_touched_at") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->store_segments("p", {draft("a", "v1")}).ok());
  const std::string created = format_rfc3339_ms(clock.now_ms());
  clock.advance_ms(5000);
  auto out = store->store_segments("p", {draft("a", "v2")});
  REQUIRE(out.ok());
  CHECK(out->stored[0].replaced);
  auto s = store->get("p", "a", Tier::kWorking);
  REQUIRE(s.ok());
  REQUIRE(s->has_value());
  CHECK((*s)->text == "v2");
  CHECK((*s)->created_at == created);
  CHECK((*s)->last_touched_at == format_rfc3339_ms(clock.now_ms()));
}

TEST_CASE("store: a batch with one invalid segment stores nothing") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  auto out = store->store_segments("p", {draft("ok", "fine"), draft("bad id", "x")});
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().code() == Status::Code::kInvalidArgument);
  CHECK(out.status().message().find("segment_id 'bad id'") != std::string::npos);
  CHECK(store->load_segments("p")->empty());
}

TEST_CASE("store: generated ids have the seg- prefix and 12 hex digits") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  SegmentDraft d;
  d.text = "no id given";
  auto out = store->store_segments("p", {d, d});
  REQUIRE(out.ok());
  const std::string id = out->stored[0].segment_id;
  CHECK(id.size() == 16);
  CHECK(id.rfind("seg-", 0) == 0);
  CHECK(id.find_first_not_of("0123456789abcdef", 4) == std::string::npos);
  CHECK(out->stored[0].segment_id != out->stored[1].segment_id);
}

TEST_CASE("store: stash moves a segment to durable storage and it is in the JSON file") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  auto store = open_store(path, &clock);
  REQUIRE(store->store_segments("p", {draft("a", "alpha text"), draft("b", "beta")}).ok());
  auto out = store->stash("p", {"a", "missing"}, {}, false);
  REQUIRE(out.ok());
  REQUIRE(out->stashed.size() == 1);
  CHECK(out->not_found == std::vector<std::string>{"missing"});
  CHECK(out->tokens_freed == out->stashed[0].tokens);
  CHECK(out->active_tokens == store->active_tokens("p").value());
  CHECK(store->load_segments("p")->size() == 1);
  REQUIRE(store->compact().ok());
  const auto json = nlohmann::json::parse(testing::read_text(path));
  CHECK(json["version"] == "1.1");
  const auto& segments = json["projects"]["p"]["segments"];
  REQUIRE(segments.size() == 1);
  CHECK(segments[0]["segment_id"] == "a");
  CHECK(segments[0]["text"] == "alpha text");
  CHECK(segments[0]["tier"] == "stashed");
}

TEST_CASE("store: a dry-run stash reports what would move and changes nothing") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->store_segments("p", {draft("a", "alpha")}).ok());
  auto out = store->stash("p", {"a"}, {}, true);
  REQUIRE(out.ok());
  CHECK(out->dry_run);
  CHECK(out->stashed.size() == 1);
  CHECK(out->active_tokens == 0);
  CHECK(store->load_segments("p")->size() == 1);
  CHECK(testing::stashed_ids(*store, "p").empty());
}

TEST_CASE("store: a new engine on the same files finds every stashed segment") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.file("storage.json");
  {
    auto store = open_store(path, &clock);
    REQUIRE(store->stash("p", {}, {draft("a", "one"), draft("b", "two")}, false).ok());
    REQUIRE(store->compact().ok());
    REQUIRE(store->stash("p", {}, {draft("c", "three")}, false).ok());  // journal only
    REQUIRE(store->delete_segments("p", {"b"}, std::nullopt).ok());
  }
  auto reopened = open_store(path, &clock);
  CHECK(testing::stashed_ids(*reopened, "p") == std::vector<std::string>{"a", "c"});
  auto got = reopened->retrieve("p", {"c"}, false, 0);
  REQUIRE(got.ok());
  REQUIRE(got->segments.size() == 1);
  CHECK(got->segments[0].text == "three");
}

TEST_CASE("store: projects are isolated from each other") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("alpha", {}, {draft("same-id", "alpha version")}, false).ok());
  REQUIRE(store->stash("beta", {}, {draft("same-id", "beta version")}, false).ok());
  auto a = store->retrieve("alpha", {"same-id"}, false, 0);
  REQUIRE(a.ok());
  CHECK(a->segments.at(0).text == "alpha version");
  REQUIRE(store->delete_segments("alpha", {"same-id"}, std::nullopt).ok());
  auto b = store->retrieve("beta", {"same-id"}, false, 0);
  CHECK(b->segments.at(0).text == "beta version");
  SearchRequest req;
  req.project_id = "alpha";
  req.query = "version";
  req.mode = SearchMode::kSubstring;
  auto page = store->search_stashed(req);
  REQUIRE(page.ok());
  CHECK(page->total_matches == 0);
  CHECK(page->other_projects_with_matches == std::vector<std::string>{"beta"});
}

TEST_CASE("store: retrieve with restore copies back to the working set and keeps the stashed copy") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("p", {}, {draft("a", "alpha"), draft("b", "beta beta beta beta")}, false).ok());
  auto got = store->retrieve("p", {"a", "nope"}, true, 0);
  REQUIRE(got.ok());
  CHECK(got->not_found == std::vector<std::string>{"nope"});
  CHECK(store->load_segments("p")->size() == 1);
  CHECK(testing::stashed_ids(*store, "p").size() == 2);
  // delete tier=all removes both copies
  auto del = store->delete_segments("p", {"a"}, std::nullopt);
  REQUIRE(del.ok());
  REQUIRE(del->deleted.size() == 1);
  CHECK(del->deleted[0].tiers.size() == 2);
  CHECK(store->load_segments("p")->empty());
}

TEST_CASE("store: retrieve stops before exceeding max_tokens") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  SegmentDraft a = draft("a", "alpha");
  a.tokens = 40;
  SegmentDraft b = draft("b", "beta");
  b.tokens = 40;
  SegmentDraft c = draft("c", "gamma");
  c.tokens = 5;
  REQUIRE(store->stash("p", {}, {a, b, c}, false).ok());
  auto got = store->retrieve("p", {"a", "b", "c"}, false, 50);
  REQUIRE(got.ok());
  CHECK(got->segments.size() == 1);
  CHECK(got->tokens == 40);
  CHECK(got->omitted == std::vector<std::string>{"b", "c"});
}

TEST_CASE("store: delete by tier touches only that tier and reports missing ids") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("p", {}, {draft("a", "alpha")}, false).ok());
  REQUIRE(store->retrieve("p", {"a"}, true, 0).ok());
  auto del = store->delete_segments("p", {"a", "ghost"}, Tier::kWorking);
  REQUIRE(del.ok());
  CHECK(del->not_found == std::vector<std::string>{"ghost"});
  CHECK(store->load_segments("p")->empty());
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"a"});
}

TEST_CASE("store: writes to project '*' are refused") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  auto out = store->stash("*", {}, {draft("a", "x")}, false);
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().message().find("only allowed for reads") != std::string::npos);
}

TEST_CASE("store: the specification's single-segment interface works end to end") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->store_segment(draft("w", "working"), "p").ok());
  REQUIRE(store->stash_segment(draft("s", "stashed"), "p").ok());
  CHECK(store->load_segments("p")->size() == 1);
  CHECK(store->delete_segment("s", "p").ok());
  CHECK(store->delete_segment("s", "p").code() == Status::Code::kNotFound);
}

TEST_CASE("store: list_projects and stats count both tiers") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->store_segments("a", {draft("w", "working")}).ok());
  REQUIRE(store->stash("b", {}, {draft("s", "stashed one"), draft("t", "two")}, false).ok());
  auto projects = store->list_projects();
  REQUIRE(projects.ok());
  REQUIRE(projects->size() == 2);
  CHECK(projects->at(0).project_id == "a");
  CHECK(projects->at(0).active_count == 1);
  CHECK(projects->at(1).stashed_count == 2);
  auto stats = store->stats();
  REQUIRE(stats.ok());
  CHECK(stats->stashed_segments == 2);
  if (!testing::on_team_store()) {  // the file engine's journal
    CHECK(stats->journal_bytes > 0);
    CHECK(stats->journal_seq == 1);
  }
}

TEST_CASE("store: the storage path resolves directories and the default location") {
  TempDir dir;
  CHECK(resolve_storage_path("", "/home/u") == "/home/u/.out_of_context/storage.json");
  CHECK(resolve_storage_path("/x/y/", "/h") == "/x/y/storage.json");
  CHECK(resolve_storage_path(dir.path(), "/h") == dir.path() + "/storage.json");
  CHECK(resolve_storage_path(dir.file("custom.json"), "/h") == dir.file("custom.json"));
}

TEST_CASE("store: files are created with owner-only permissions") {
  TempDir dir;
  ManualClock clock;
  const std::string path = dir.path() + "/nested/deeper/storage.json";
  auto store = open_store(path, &clock);
  REQUIRE(store->stash("p", {}, {draft("a", "x")}, false).ok());
  REQUIRE(store->compact().ok());
  REQUIRE(store->stash("p", {}, {draft("b", "y")}, false).ok());
  struct stat st {};
  REQUIRE(::stat((dir.path() + "/nested/deeper").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  for (const std::string& f : {path, path + ".journal", path + ".lock"}) {
    CAPTURE(f);
    REQUIRE(::stat(f.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
  }
}
