// Ranking parity (issue 14 #5): identical segments in the file engine and the PostgreSQL engine
// give the same hits, in the same order, with the same scores and totals, on many queries (ranked
// and substring modes, filters, phrases, exclusions, prefixes, dates, paging, every project).
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/time_format.h"
#include "tests/pg/pg_engine_support.h"

namespace {

// A deterministic corpus: words drawn by a fixed LCG, tasks, files, tags, types, creation times.
class Corpus {
 public:
  std::vector<storage::Segment> make(size_t count) {
    std::vector<storage::Segment> out;
    for (size_t k = 0; k < count; ++k) {
      storage::Segment s;
      s.segment_id = "c-" + std::to_string(1000 + k);
      s.project_id = k % 7 == 0 ? "Other" : "Main";
      s.type = static_cast<storage::SegmentType>(next() % 6);
      const size_t words = 5 + next() % 40;
      for (size_t w = 0; w < words; ++w) s.text += (w == 0 ? "" : " ") + word();
      if (k % 5 == 0) s.text += "\nThe error was `ECONNRESET` in src/net/socket.cc:" + std::to_string(k);
      if (k % 3 == 0) s.task_id = "T-" + std::to_string(k % 4);
      if (k % 4 == 0) s.file_path = "src/" + word() + "/" + word() + ".cc";
      if (k % 2 == 0) s.tags = {word(), "tag" + std::to_string(k % 3)};
      s.created_at = storage::format_rfc3339_ms(1767225600000 + static_cast<int64_t>(k % 40) * 86400000 +
                                                static_cast<int64_t>(k) * 1000);
      s.last_touched_at = s.created_at;
      s.tokens = static_cast<int64_t>(words);
      s.pinned = k % 11 == 0;
      s.tier = storage::Tier::kStashed;
      out.push_back(std::move(s));
    }
    return out;
  }

 private:
  uint64_t next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 33;
  }
  std::string word() {
    static const char* const kWords[] = {
        "cache",    "invalidation", "retry",   "backoff",  "jitter",   "database", "pool",     "connection",
        "timeout",  "login",        "session", "token",    "refresh",  "rotate",   "handler",  "request",
        "response", "latency",      "index",   "migration", "schema",  "column",   "query",    "planner",
        "vacuum",   "replica",      "failover", "deploy",  "rollback", "feature",  "flag",     "metrics",
        "alert",    "pager",        "incident", "postmortem", "decision", "summary", "parser", "tokenizer",
        "stemmer",  "ranking",      "bm25",    "snippet",  "phrase",   "socket",   "reset",    "kernel"};
    const size_t n = sizeof(kWords) / sizeof(kWords[0]);
    // Skewed: low indexes are common, so document frequencies spread out.
    const uint64_t a = next() % n;
    const uint64_t b = next() % n;
    return kWords[a < b ? a : b];
  }
  uint64_t state_ = 42;
};

std::vector<std::string> hits_of(const storage::SearchPage& page) {
  std::vector<std::string> out{"total " + std::to_string(page.total_matches)};
  for (const auto& h : page.hits) {
    out.push_back(h.segment.project_id + "/" + h.segment.segment_id + " " + std::to_string(h.score) + " " + h.snippet);
  }
  for (const auto& p : page.other_projects_with_matches) out.push_back("other " + p);
  return out;
}

std::vector<storage::SearchRequest> requests() {
  std::vector<storage::SearchRequest> out;
  const char* const queries[] = {
      "cache",           "cache invalidation", "retry backoff jitter", "\"connection pool\"",  "pool -database",
      "token*",          "migr*",              "ECONNRESET",           "src/net/socket.cc",    "socket.cc",
      "T-2",             "decision",           "summary ranking",      "\"reset kernel\"",     "+\"cache\" retry",
      "kernel -\"socket reset\"", "January",   "2026-01-15",           "last week",            "vacuum replica failover",
      "bm25 snippet phrase", "planner",        "handler request response latency", "nothingmatchesthis", "tag1",
      "c-1010",          "pager alert incident", "stemmer tokenizer parser", "rotating tokens", "deploys",
      "",                "the",                "a b c",                "flag feature",          "schema column"};
  for (const char* q : queries) {
    for (const char* project : {"Main", "main", "*"}) {
      storage::SearchRequest r;
      r.project_id = project;
      r.query = q;
      out.push_back(r);
    }
  }
  storage::SearchRequest r;
  r.project_id = "Main";
  r.query = "cache";
  r.offset = 10;
  out.push_back(r);
  r.filters.tags = {"tag0"};
  r.offset = 0;
  out.push_back(r);
  r.filters = {};
  r.filters.types = {storage::SegmentType::kDecision, storage::SegmentType::kNote};
  out.push_back(r);
  r.filters = {};
  r.filters.task_id = "T-1";
  r.query = "retry";
  out.push_back(r);
  r.filters = {};
  r.filters.file_path = "src/";
  out.push_back(r);
  r.filters = {};
  r.filters.pinned = true;
  r.query = "";
  out.push_back(r);
  r.filters = {};
  r.filters.created_after = "2026-01-20T00:00:00.000Z";
  r.query = "session";
  out.push_back(r);
  r.filters = {};
  r.mode = storage::SearchMode::kSubstring;
  r.query = "pool conn";
  out.push_back(r);
  r.query = "ECONNRESET";
  r.project_id = "*";
  out.push_back(r);
  return out;
}

}  // namespace

TEST_CASE("pg engine ranking: 600 segments give the same hits, order, scores and totals as the file engine on 115 searches") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  testing::TempDir dir;
  storage::ManualClock clock(1767225600000 + 45LL * 86400000);  // "last week" and dates resolve alike
  auto file = pgtest::open_file(dir, &clock);
  auto team = pgtest::open_pg(pgtest::engine_options(db, &clock));
  const std::vector<storage::Segment> corpus = Corpus().make(600);
  REQUIRE(file->import_stashed(corpus).ok());
  auto imported = team->import_stashed(corpus);
  REQUIRE_MESSAGE(imported.ok(), imported.status().to_string());
  size_t compared = 0;
  size_t with_hits = 0;
  for (const storage::SearchRequest& request : requests()) {
    auto expected = file->search_stashed(request);
    auto got = team->search_stashed(request);
    REQUIRE(expected.ok() == got.ok());
    if (!got.ok()) continue;
    const std::string asked = request.project_id + ": " + request.query;
    CHECK_MESSAGE(hits_of(*got) == hits_of(*expected), asked);
    ++compared;
    if (!got->hits.empty()) ++with_hits;
  }
  CHECK(compared == requests().size());
  CHECK(with_hits >= 90);
}

TEST_CASE("pg engine ranking: after deletes, edits and replacements the cached index ranks as the file engine") {
  pgtest::TestDatabase db;
  pgtest::migrate(db);
  testing::TempDir dir;
  storage::ManualClock clock(1767225600000 + 45LL * 86400000);
  auto file = pgtest::open_file(dir, &clock);
  auto team = pgtest::open_pg(pgtest::engine_options(db, &clock));
  const std::vector<storage::Segment> corpus = Corpus().make(120);
  REQUIRE(file->import_stashed(corpus).ok());
  REQUIRE(team->import_stashed(corpus).ok());
  REQUIRE(team->search_stashed(requests().front()).ok());  // the team engine's catalog is cached now
  for (storage::Store* store : {file.get(), team.get()}) {
    REQUIRE(store->delete_segments("Main", {"c-1001", "c-1002"}, storage::Tier::kStashed, true).ok());
    REQUIRE(store->edit("Main", "c-1003", 1, storage::EditChange{std::string("# Heading words\nmore text"), std::nullopt})
                .ok());
    REQUIRE(store->stash("Main", {}, {pgtest::draft("c-1004", "replaced entirely, retry session pool")}, false).ok());
  }
  for (const storage::SearchRequest& request : requests()) {
    auto expected = file->search_stashed(request);
    auto got = team->search_stashed(request);
    REQUIRE(expected.ok() == got.ok());
    const std::string asked = request.project_id + ": " + request.query;
    if (got.ok()) CHECK_MESSAGE(hits_of(*got) == hits_of(*expected), asked);
  }
}

namespace {

// A labelled corpus of the retrieval-quality tests (tests/storage/search/corpus), as segments of
// one project per collection, and its queries.
struct LabelledCorpus {
  int64_t now_ms = 1767225600000;  // the clock relative dates resolve against ("now")
  std::vector<storage::Segment> segments;
  std::vector<std::pair<std::string, std::string>> queries;  // project, query
};

LabelledCorpus load_labelled(const std::string& name) {
  std::ifstream in(std::string(OOC_SOURCE_DIR) + "/tests/storage/search/corpus/" + name);
  REQUIRE(in.good());
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  LabelledCorpus out;
  if (doc.contains("now")) out.now_ms = storage::parse_rfc3339_ms(doc.at("now").get<std::string>()).value();
  for (const nlohmann::json& j : doc.at("segments")) {
    storage::Segment s;
    s.segment_id = j.at("segment_id").get<std::string>();
    s.text = j.at("text").get<std::string>();
    s.project_id = j.value("collection", std::string("main"));
    if (j.contains("type")) s.type = storage::parse_segment_type(j.at("type").get<std::string>()).value();
    for (const nlohmann::json& tag : j.value("tags", nlohmann::json::array())) s.tags.push_back(tag.get<std::string>());
    if (j.contains("file_path")) s.file_path = j.at("file_path").get<std::string>();
    if (j.contains("task_id")) s.task_id = j.at("task_id").get<std::string>();
    const std::string created = j.at("created_at").get<std::string>();
    s.created_at = storage::canonical_rfc3339(created).value_or(created);
    s.last_touched_at = s.created_at;
    out.segments.push_back(std::move(s));
  }
  for (const nlohmann::json& q : doc.at("queries")) {
    out.queries.emplace_back(q.value("collection", std::string("main")), q.at("query").get<std::string>());
  }
  return out;
}

}  // namespace

TEST_CASE("pg engine ranking: the retrieval-quality corpora rank identically on both engines, every query") {
  for (const char* name : {"quality_corpus.json", "class_corpus.json"}) {
    INFO(std::string(name));
    const LabelledCorpus corpus = load_labelled(name);
    REQUIRE(corpus.queries.size() >= 10);
    pgtest::TestDatabase db;
    pgtest::migrate(db);
    testing::TempDir dir;
    storage::ManualClock clock(corpus.now_ms);
    auto file = pgtest::open_file(dir, &clock);
    auto team = pgtest::open_pg(pgtest::engine_options(db, &clock));
    auto into_file = file->import_stashed(corpus.segments);
    REQUIRE_MESSAGE(into_file.ok(), into_file.status().to_string());
    auto imported = team->import_stashed(corpus.segments);
    REQUIRE_MESSAGE(imported.ok(), imported.status().to_string());
    size_t with_hits = 0;
    for (const auto& [project, text] : corpus.queries) {
      storage::SearchRequest request;
      request.project_id = project;
      request.query = text;
      auto expected = file->search_stashed(request);
      auto got = team->search_stashed(request);
      REQUIRE(expected.ok() == got.ok());
      if (!got.ok()) continue;
      const std::string asked = project + ": " + text;
      CHECK_MESSAGE(hits_of(*got) == hits_of(*expected), asked);
      if (!got->hits.empty()) ++with_hits;
    }
    CHECK(with_hits * 10 >= corpus.queries.size() * 9);
  }
}
