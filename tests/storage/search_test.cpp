#include <doctest/doctest.h>

#include <algorithm>

#include "storage/metadata_index.h"
#include "tests/storage/store_test_support.h"

using namespace storage;
using testing::draft;
using testing::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  ManualClock clock;
  std::unique_ptr<Store> store = testing::open_store(dir.file("storage.json"), &clock);

  void add(const std::string& id, const std::string& text, const std::string& task, const std::string& file,
           std::vector<std::string> tags, SegmentType type = SegmentType::kNote, bool pinned = false) {
    SegmentDraft d = draft(id, text);
    d.task_id = task;
    d.file_path = file;
    d.tags = std::move(tags);
    d.type = type;
    d.pinned = pinned;
    REQUIRE(store->stash("p", {}, {d}, false).ok());
    clock.advance_ms(1000);
  }

  std::vector<std::string> ids(SearchRequest req) {
    req.project_id = req.project_id.empty() ? "p" : req.project_id;
    auto page = store->search_stashed(req);
    REQUIRE(page.ok());
    std::vector<std::string> out;
    for (const auto& hit : page->hits) out.push_back(hit.segment.segment_id);
    return out;
  }
};

void seed(Fixture& f) {
  f.add("s1", "Parser handles UTF-8 input", "t1", "src/parser/lex.cpp", {"parser", "utf8"}, SegmentType::kCode);
  f.add("s2", "Storage writes a journal line", "t2", "src/storage/journal.cpp", {"storage"}, SegmentType::kDecision,
        true);
  f.add("s3", "Parser error on line 3", "t1", "src/parser/parse.cpp", {"parser", "bug"}, SegmentType::kLog);
  f.add("s4", "Notes about the journal format", "t2", "docs/FORMAT.md", {"storage", "docs"});
}

}  // namespace

TEST_CASE("search: no query lists filtered segments newest first") {
  Fixture f;
  seed(f);
  CHECK(f.ids({}) == std::vector<std::string>{"s4", "s3", "s2", "s1"});
  SearchRequest req;
  req.filters.task_id = "t1";
  CHECK(f.ids(req) == std::vector<std::string>{"s3", "s1"});
}

TEST_CASE("search: every filter narrows the results and they combine with AND") {
  Fixture f;
  seed(f);
  SearchRequest req;
  req.filters.file_path = "src/parser/";
  CHECK(f.ids(req) == std::vector<std::string>{"s3", "s1"});
  req = {};
  req.filters.file_path = "src/parser/lex.cpp";
  CHECK(f.ids(req) == std::vector<std::string>{"s1"});
  req = {};
  req.filters.tags = {"parser", "bug"};
  CHECK(f.ids(req) == std::vector<std::string>{"s3"});
  req = {};
  req.filters.tags_any = {"bug", "docs"};
  CHECK(f.ids(req) == std::vector<std::string>{"s4", "s3"});
  req = {};
  req.filters.types = {SegmentType::kDecision, SegmentType::kCode};
  CHECK(f.ids(req) == std::vector<std::string>{"s2", "s1"});
  req = {};
  req.filters.pinned = true;
  CHECK(f.ids(req) == std::vector<std::string>{"s2"});
  req = {};
  req.filters.created_after = "2026-01-01T00:00:01.000Z";   // s2 was created at +1 s: exclusive
  req.filters.created_before = "2026-01-01T00:00:03.000Z";
  CHECK(f.ids(req) == std::vector<std::string>{"s3"});
  req = {};
  req.filters.task_id = "t2";
  req.filters.tags = {"docs"};
  CHECK(f.ids(req) == std::vector<std::string>{"s4"});
}

TEST_CASE("search: substring mode matches text and ids case-insensitively, newest first") {
  Fixture f;
  seed(f);
  SearchRequest req;
  req.mode = SearchMode::kSubstring;
  req.query = "JOURNAL";
  CHECK(f.ids(req) == std::vector<std::string>{"s4", "s2"});
  req.query = "S1";
  CHECK(f.ids(req) == std::vector<std::string>{"s1"});
}

TEST_CASE("search: ranked results carry a score and a snippet but never the text") {
  Fixture f;
  seed(f);
  SearchRequest req;
  req.query = "journal format";
  auto page = f.store->search_stashed([&] { req.project_id = "p"; return req; }());
  REQUIRE(page.ok());
  REQUIRE_FALSE(page->hits.empty());
  CHECK(page->hits[0].segment.segment_id == "s4");
  CHECK(page->hits[0].score > 0);
  CHECK(page->hits[0].segment.text.empty());
  CHECK_FALSE(page->hits[0].snippet.empty());
}

TEST_CASE("search: pagination walks every match once in a stable order") {
  Fixture f;
  for (int i = 0; i < 25; ++i) f.add("n" + std::to_string(100 + i), "same words here", "t", "f", {});
  std::vector<std::string> seen;
  SearchRequest req;
  req.query = "same words";
  req.limit = 10;
  for (req.offset = 0; req.offset < 30; req.offset += 10) {
    auto page_ids = f.ids(req);
    seen.insert(seen.end(), page_ids.begin(), page_ids.end());
  }
  CHECK(seen.size() == 25);
  CHECK(seen.front() == "n124");  // equal scores: newest first
  std::sort(seen.begin(), seen.end());
  CHECK(std::unique(seen.begin(), seen.end()) == seen.end());
}

TEST_CASE("search: deleted and replaced segments leave the index and filters") {
  Fixture f;
  seed(f);
  REQUIRE(f.store->delete_segments("p", {"s2"}, std::nullopt, /*force=*/true).ok());
  SearchRequest req;
  req.query = "journal";
  CHECK(f.ids(req) == std::vector<std::string>{"s4"});
  req = {};
  req.filters.pinned = true;
  CHECK(f.ids(req).empty());
  f.add("s4", "Rewritten without that word", "t9", "x", {"new"});
  req = {};
  req.query = "journal";
  CHECK(f.ids(req).empty());
  req = {};
  req.filters.task_id = "t2";
  CHECK(f.ids(req).empty());
  req.filters.task_id = "t9";
  CHECK(f.ids(req) == std::vector<std::string>{"s4"});
}

TEST_CASE("search: project '*' searches every project") {
  Fixture f;
  seed(f);
  REQUIRE(f.store->stash("other", {}, {draft("o1", "journal in another project")}, false).ok());
  SearchRequest req;
  req.project_id = "*";
  req.query = "journal";
  auto page = f.store->search_stashed(req);
  REQUIRE(page.ok());
  CHECK(page->total_matches == 3);
}

TEST_CASE("metadata index: candidates come from the most selective indexed filter") {
  Segment a, b, c;
  a.segment_id = "a";
  a.task_id = "t1";
  a.tags = {"x", "y"};
  b.segment_id = "b";
  b.task_id = "t1";
  b.tags = {"y"};
  c.segment_id = "c";
  c.file_path = "src/a.cpp";
  c.type = SegmentType::kCode;
  MetadataIndex index;
  for (const Segment* s : {&a, &b, &c}) index.add(s);
  CHECK(index.ids_for_task("t1") == std::vector<std::string>{"a", "b"});
  CHECK(index.ids_for_tag("y") == std::vector<std::string>{"a", "b"});
  CHECK(index.ids_for_file("src/a.cpp") == std::vector<std::string>{"c"});
  CHECK(index.ids_for_type(SegmentType::kCode) == std::vector<std::string>{"c"});
  SearchFilters f;
  f.task_id = "t1";
  f.tags = {"x"};
  REQUIRE(index.candidates(f) != nullptr);
  CHECK(index.candidates(f)->size() == 1);
  f = {};
  f.file_path = "src/";
  CHECK(index.candidates(f) == nullptr);  // a prefix is not indexable: scan
  index.erase(&a);
  CHECK(index.ids_for_task("t1") == std::vector<std::string>{"b"});
  CHECK(index.ids_for_tag("x").empty());
}
