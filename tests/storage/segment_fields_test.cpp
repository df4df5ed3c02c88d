// The segment fields of issue 11: free-form metadata (#9), supersede links (#3) and revisions (#4),
// through the engine: journal, snapshot, compaction, reopen.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <variant>

#include "storage/search/search_types.h"
#include "tests/storage/store_test_support.h"

using namespace storage;
using testing::draft;
using testing::open_store;
using testing::TempDir;

namespace {

Segment stashed(Store& store, const std::string& id) {
  auto s = store.get("p", id, Tier::kStashed);
  REQUIRE(s.ok());
  REQUIRE(s->has_value());
  return **s;
}

std::vector<std::string> search_ids(Store& store, SearchFilters filters, bool include_superseded = false,
                                    const std::string& query = "") {
  SearchRequest request;
  request.project_id = "p";
  request.query = query;
  request.filters = std::move(filters);
  request.include_superseded = include_superseded;
  auto page = store.search_stashed(request);
  REQUIRE(page.ok());
  std::vector<std::string> ids;
  for (const SearchHit& hit : page->hits) ids.push_back(hit.segment.segment_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

Metadata sample_metadata() {
  Metadata m;
  m["owner"] = std::string("ana");
  m["count"] = int64_t{5};
  m["big"] = std::numeric_limits<int64_t>::max();
  m["negative"] = int64_t{-3};
  m["ratio"] = 0.1;
  m["whole.double"] = 5.0;
  m["tiny"] = 1e-300;
  m["ok:flag"] = true;
  return m;
}

SegmentDraft superseding(std::string id, std::string text, std::vector<std::string> old) {
  SegmentDraft d = draft(std::move(id), std::move(text));
  d.supersedes = std::move(old);
  return d;
}

}  // namespace

TEST_CASE("segment fields: metadata round-trips exactly through the journal, the snapshot and compaction") {
  TempDir dir;
  ManualClock clock;
  const Metadata metadata = sample_metadata();
  {
    auto store = open_store(dir.file("storage.json"), &clock);
    SegmentDraft d = draft("m", "with metadata");
    d.metadata = metadata;
    REQUIRE(store->stash("p", {}, {d}).ok());
    CHECK(stashed(*store, "m").metadata == metadata);
  }
  {
    auto store = open_store(dir.file("storage.json"), &clock);  // from the journal
    const Segment s = stashed(*store, "m");
    CHECK(s.metadata == metadata);
    CHECK(std::holds_alternative<int64_t>(s.metadata.at("count")));
    CHECK(std::holds_alternative<double>(s.metadata.at("whole.double")));
    CHECK(std::get<int64_t>(s.metadata.at("big")) == std::numeric_limits<int64_t>::max());
    CHECK(std::get<double>(s.metadata.at("ratio")) == 0.1);
    REQUIRE(store->compact().ok());
  }
  auto store = open_store(dir.file("storage.json"), &clock);  // from the snapshot
  CHECK(stashed(*store, "m").metadata == metadata);
}

TEST_CASE("segment fields: metadata filters need every pair equal, strings never equal numbers") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  SegmentDraft a = draft("a", "alpha");
  a.metadata = {{"n", int64_t{5}}, {"owner", std::string("ana")}};
  SegmentDraft b = draft("b", "beta");
  b.metadata = {{"n", std::string("5")}, {"owner", std::string("ana")}};
  SegmentDraft c = draft("c", "gamma");
  REQUIRE(store->stash("p", {}, {a, b, c}).ok());
  SearchFilters f;
  f.metadata = {{"owner", std::string("ana")}};
  CHECK(search_ids(*store, f) == std::vector<std::string>{"a", "b"});
  f.metadata["n"] = int64_t{5};
  CHECK(search_ids(*store, f) == std::vector<std::string>{"a"});
  f.metadata["n"] = 5.0;  // numbers compare by value
  CHECK(search_ids(*store, f) == std::vector<std::string>{"a"});
  f.metadata["n"] = std::string("5");
  CHECK(search_ids(*store, f) == std::vector<std::string>{"b"});
  f.metadata["n"] = true;
  CHECK(search_ids(*store, f).empty());
  f.metadata = {{"missing", true}};
  CHECK(search_ids(*store, f).empty());
  CHECK(search_ids(*store, f, false, "alpha").empty());  // ranked path too
}

TEST_CASE("segment fields: invalid metadata is refused naming the key, and nothing is stored") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  SegmentDraft bad_key = draft("k", "x");
  bad_key.metadata = {{"has space", true}};
  auto r = store->stash("p", {}, {bad_key});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("'has space'") != std::string::npos);
  SegmentDraft long_value = draft("v", "x");
  long_value.metadata = {{"note", std::string(1025, 'x')}};
  r = store->stash("p", {}, {long_value});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("segments[0].metadata.note") != std::string::npos);
  SegmentDraft many = draft("m", "x");
  for (int i = 0; i < 33; ++i) many.metadata["k" + std::to_string(i)] = int64_t{i};
  r = store->stash("p", {}, {many});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kLimitExceeded);
  CHECK(testing::stashed_ids(*store, "p").empty());
}

TEST_CASE("segment fields: supersede marks the old segment in the same batch and survives a reopen") {
  TempDir dir;
  ManualClock clock;
  {
    auto store = open_store(dir.file("storage.json"), &clock);
    REQUIRE(store->stash("p", {}, {draft("old", "the old plan"), draft("other", "unrelated plan")}).ok());
    auto out = store->stash("p", {}, {superseding("new", "the new plan", {"old"})});
    REQUIRE(out.ok());
    CHECK(out->stashed[0].revision == 1);
    const Segment old = stashed(*store, "old");
    CHECK(old.superseded_by == std::optional<std::string>("new"));
    CHECK(old.revision == 2);
    CHECK(stashed(*store, "new").supersedes == std::vector<std::string>{"old"});
    CHECK(search_ids(*store, {}) == std::vector<std::string>{"new", "other"});
    CHECK(search_ids(*store, {}, false, "plan") == std::vector<std::string>{"new", "other"});
    CHECK(search_ids(*store, {}, true, "plan") == std::vector<std::string>{"new", "old", "other"});
  }
  auto store = open_store(dir.file("storage.json"), &clock);
  CHECK(stashed(*store, "old").superseded_by == std::optional<std::string>("new"));
  CHECK(search_ids(*store, {}) == std::vector<std::string>{"new", "other"});
  // Storing a new version of either side keeps the links.
  REQUIRE(store->stash("p", {}, {draft("new", "the new plan, v2"), draft("old", "the old plan, touched")}).ok());
  CHECK(stashed(*store, "new").supersedes == std::vector<std::string>{"old"});
  CHECK(stashed(*store, "old").superseded_by == std::optional<std::string>("new"));
  CHECK(stashed(*store, "old").revision == 3);
}

TEST_CASE("segment fields: superseding an unknown id or itself is refused and changes nothing") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("p", {}, {draft("old", "x")}).ok());
  auto unknown = store->stash("p", {}, {superseding("new", "y", {"old", "ghost"})});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == Status::Code::kNotFound);
  CHECK(unknown.status().message().find("'ghost'") != std::string::npos);
  auto self = store->stash("p", {}, {superseding("new", "y", {"new"})});
  REQUIRE_FALSE(self.ok());
  CHECK(self.status().code() == Status::Code::kInvalidArgument);
  CHECK(self.status().message().find("supersede itself") != std::string::npos);
  CHECK(testing::stashed_ids(*store, "p") == std::vector<std::string>{"old"});
  CHECK_FALSE(stashed(*store, "old").superseded_by.has_value());
  CHECK(stashed(*store, "old").revision == 1);
  // Another project's segment is unknown here.
  REQUIRE(store->stash("q", {}, {draft("elsewhere", "z")}).ok());
  CHECK(store->stash("p", {}, {superseding("new", "y", {"elsewhere"})}).status().code() == Status::Code::kNotFound);
}

TEST_CASE("segment fields: deleting the superseding segment brings the old one back, durably") {
  TempDir dir;
  ManualClock clock;
  {
    auto store = open_store(dir.file("storage.json"), &clock);
    REQUIRE(store->stash("p", {}, {draft("old", "x")}).ok());
    REQUIRE(store->stash("p", {}, {superseding("new", "y", {"old"})}).ok());
    REQUIRE(store->delete_segments("p", {"new"}, std::nullopt).ok());
    CHECK_FALSE(stashed(*store, "old").superseded_by.has_value());
    CHECK(stashed(*store, "old").revision == 3);
  }
  auto store = open_store(dir.file("storage.json"), &clock);
  CHECK_FALSE(stashed(*store, "old").superseded_by.has_value());
  CHECK(search_ids(*store, {}) == std::vector<std::string>{"old"});
}

TEST_CASE("segment fields: a segment superseded again stays marked when the first successor goes") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("p", {}, {draft("old", "x")}).ok());
  REQUIRE(store->stash("p", {}, {superseding("v2", "y", {"old"})}).ok());
  REQUIRE(store->stash("p", {}, {superseding("v3", "z", {"old"})}).ok());
  REQUIRE(store->delete_segments("p", {"v2"}, std::nullopt).ok());
  CHECK(stashed(*store, "old").superseded_by == std::optional<std::string>("v3"));
}

TEST_CASE("segment fields: store marks working-set and stashed copies, and stash by query skips them") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("p", {}, {draft("old", "x")}).ok());
  REQUIRE(store->retrieve("p", {"old"}, /*restore=*/true, 0).ok());
  auto out = store->store_segments("p", {superseding("new", "y", {"old"})});
  REQUIRE(out.ok());
  auto working = store->get("p", "old", Tier::kWorking);
  REQUIRE(working.ok());
  REQUIRE(working->has_value());
  CHECK((*working)->superseded_by == std::optional<std::string>("new"));
  CHECK((*working)->revision == 2);
  CHECK(stashed(*store, "old").superseded_by == std::optional<std::string>("new"));
  // The stashed mark is durable even though this store has no session.
  store.reset();
  store = open_store(dir.file("storage.json"), &clock);
  CHECK(stashed(*store, "old").superseded_by == std::optional<std::string>("new"));
}

TEST_CASE("segment fields: every change adds one revision, in the tier it happens in") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  auto first = store->stash("p", {}, {draft("a", "one")});
  REQUIRE(first.ok());
  CHECK(first->stashed[0].revision == 1);
  auto second = store->stash("p", {}, {draft("a", "two")});
  REQUIRE(second.ok());
  CHECK(second->stashed[0].revision == 2);
  auto working = store->store_segments("p", {draft("a", "three")});
  REQUIRE(working.ok());
  CHECK(working->stored[0].revision == 1);  // the working tier had no "a"
  auto again = store->store_segments("p", {draft("a", "four")});
  REQUIRE(again.ok());
  CHECK(again->stored[0].revision == 2);
  auto moved = store->stash("p", {"a"}, {});  // over stashed revision 2
  REQUIRE(moved.ok());
  CHECK(moved->stashed[0].revision == 3);
  CHECK(stashed(*store, "a").revision == 3);
  CHECK(stashed(*store, "a").text == "four");
}

TEST_CASE("segment fields: a snapshot written before revisions loads with revision 1 and no links") {
  TempDir dir;
  ManualClock clock;
  testing::write_text(dir.file("storage.json"),
                      testing::read_text(std::string(OOC_TESTS_DIR) + "/fuzz/corpus/snapshot/hand_edited_one_line.json"));
  auto store = open_store(dir.file("storage.json"), &clock);
  auto all = store->export_stashed("ooc");
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  for (const Segment& s : *all) {
    CHECK(s.revision == 1);
    CHECK(s.metadata.empty());
    CHECK(s.supersedes.empty());
    CHECK_FALSE(s.superseded_by.has_value());
  }
  // The first change makes it revision 2.
  auto out = store->edit("ooc", "a-note", 1, EditChange{std::string("more"), std::nullopt});
  REQUIRE(out.ok());
  CHECK(out->revision == 2);
}

TEST_CASE("segment fields: under a session the marks of working segments are journaled and reach the stash") {
  TempDir dir;
  ManualClock clock;
  StoreOptions options;
  options.path = dir.file("storage.json");
  options.clock = &clock;
  options.session_id = "s-20260101T000000-abcdef";
  {
    auto store = testing::open_store(options);
    REQUIRE(store->store_segments("p", {draft("old", "x")}).ok());
    REQUIRE(store->store_segments("p", {superseding("new", "y", {"old"})}).ok());
    auto ended = store->end_session();
    REQUIRE(ended.ok());
    CHECK(*ended == 2);
  }
  auto store = open_store(dir.file("storage.json"), &clock);
  const Segment old = stashed(*store, "old");
  CHECK(old.superseded_by == std::optional<std::string>("new"));
  CHECK(old.revision == 2);
  CHECK(stashed(*store, "new").supersedes == std::vector<std::string>{"old"});
  CHECK(search_ids(*store, {}) == std::vector<std::string>{"new"});
}
