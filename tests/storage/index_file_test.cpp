// The index file (storage.json.index, FORMAT.md "Index file"): compaction writes it, a load
// uses it instead of analysing every segment, and whatever state it is in (missing, stale, torn,
// damaged, someone else's file, a crashed writer's staging file) the store answers exactly as
// a store loaded without it, and nothing but the store's own files is ever replaced.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "tests/storage/store_test_support.h"

using namespace storage;
using testing::draft;
using testing::open_store;
using testing::TempDir;

namespace {

const std::vector<std::string> kWords = {"journal", "snapshot", "compaction", "recovery", "checksum", "deploy",
                                         "rollback", "latency",  "timeout",    "retry",    "token",    "cursor"};

std::vector<SegmentDraft> corpus(const std::string& prefix, size_t n) {
  std::vector<SegmentDraft> out;
  for (size_t i = 0; i < n; ++i) {
    std::string text;
    for (size_t w = 0; w < 6 + i % 9; ++w) text += kWords[(i * 7 + w * w) % kWords.size()] + " ";
    SegmentDraft d = draft(prefix + std::to_string(i), text);
    if (i % 3 == 0) d.tags = {"tag" + std::to_string(i % 2)};
    if (i % 4 == 0) d.task_id = "task-" + std::to_string(i % 3);
    if (i % 5 == 0) d.file_path = "src/f" + std::to_string(i % 2) + ".cpp";
    out.push_back(std::move(d));
  }
  return out;
}

// Every query's hits (id and score) in both projects.
std::vector<std::pair<std::string, double>> ranking(Store& store) {
  std::vector<std::pair<std::string, double>> out;
  for (const std::string project : {"alpha", "beta"}) {
    for (const std::string query : {"journal snapshot", "\"rollback latency\"", "tag1 retry", "f0 cursor", "-token deploy"}) {
      SearchRequest request;
      request.project_id = project;
      request.query = query;
      request.limit = 100;
      auto page = store.search_stashed(request);
      REQUIRE(page.ok());
      for (const SearchHit& hit : page->hits) out.emplace_back(project + "/" + hit.segment.segment_id, hit.score);
    }
  }
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string index_source(Store& store) {
  auto stats = store.stats();
  REQUIRE(stats.ok());
  return stats->ranked_index_source;
}

// A compacted store of two projects plus a journal tail (a stash, a replacement, a delete).
struct Fixture {
  TempDir dir;
  ManualClock clock;
  std::string path = dir.file("storage.json");
  std::vector<std::pair<std::string, double>> expected;

  Fixture() {
    auto store = open_store(path, &clock);
    for (const SegmentDraft& d : corpus("a", 60)) REQUIRE(store->stash_segment(d, "alpha").ok());
    for (const SegmentDraft& d : corpus("b", 30)) REQUIRE(store->stash_segment(d, "beta").ok());
    REQUIRE(store->compact().ok());
    REQUIRE(store->stash_segment(draft("tail-1", "journal rollback latency after the snapshot"), "alpha").ok());
    REQUIRE(store->stash_segment(draft("a3", "replaced: cursor retry tag1"), "alpha").ok());
    REQUIRE(store->delete_segment("a7", "alpha").ok());
    expected = ranking(*store);
    REQUIRE(expected.size() > 40);
  }
  std::string index() const { return path + ".index"; }
};

}  // namespace

TEST_CASE("index file: compaction writes it and the next load ranks from it exactly as before") {
  Fixture f;
  REQUIRE(std::filesystem::exists(f.index()));
  auto store = open_store(f.path, &f.clock);
  CHECK(ranking(*store) == f.expected);
  CHECK(index_source(*store) == "index file");
}

TEST_CASE("index file: segments loaded from it are updated and deleted like any other") {
  Fixture f;
  std::vector<std::pair<std::string, double>> from_index;
  std::vector<std::pair<std::string, double>> rebuilt;
  for (bool use_index : {true, false}) {
    if (!use_index) std::filesystem::remove(f.index());
    TempDir copy;
    for (const auto& e : std::filesystem::directory_iterator(f.dir.path())) {
      std::filesystem::copy(e.path(), copy.file(e.path().filename().string()));
    }
    auto store = open_store(copy.file("storage.json"), &f.clock);
    REQUIRE(store->delete_segment("a12", "alpha").ok());
    REQUIRE(store->delete_segment("b4", "beta").ok());
    REQUIRE(store->stash_segment(draft("a20", "now about checksum deploy"), "alpha").ok());
    CHECK(index_source(*store) == (use_index ? "index file" : "rebuilt"));
    (use_index ? from_index : rebuilt) = ranking(*store);
  }
  CHECK(from_index == rebuilt);
}

TEST_CASE("index file: missing, stale, torn or damaged, the load ranks from the segments and rewrites it") {
  Fixture f;
  const std::string good = read_text(f.index());
  std::string broken;
  SUBCASE("missing") { std::filesystem::remove(f.index()); }
  SUBCASE("torn (cut short)") { broken = good.substr(0, good.size() / 2); }
  SUBCASE("one byte damaged") {
    broken = good;
    broken[broken.size() / 2] = static_cast<char>(broken[broken.size() / 2] ^ 0x40);
  }
  SUBCASE("empty, as a power loss can leave it") { write_text(f.index(), ""); }
  SUBCASE("zeros, as a power loss can leave it") { broken = std::string(good.size(), '\0'); }
  SUBCASE("stale (it describes an older snapshot)") {
    TempDir other;
    ManualClock clock;
    auto older = open_store(other.file("storage.json"), &clock);
    for (const SegmentDraft& d : corpus("a", 59)) REQUIRE(older->stash_segment(d, "alpha").ok());
    REQUIRE(older->compact().ok());
    broken = read_text(other.file("storage.json.index"));
  }
  if (!broken.empty()) write_text(f.index(), broken);
  {
    auto store = open_store(f.path, &f.clock);
    CHECK(ranking(*store) == f.expected);
    CHECK(index_source(*store) == "rebuilt");
  }
  auto again = open_store(f.path, &f.clock);  // the rewritten file serves the next load
  CHECK(ranking(*again) == f.expected);
  CHECK(index_source(*again) == "index file");
}

TEST_CASE("index file: a file that is not an ooc index is never overwritten") {
  Fixture f;
  write_text(f.index(), "my own notes, not ooc's\n");
  {
    auto store = open_store(f.path, &f.clock);
    CHECK(ranking(*store) == f.expected);
    CHECK(index_source(*store) == "rebuilt");
    REQUIRE(store->compact().ok());  // compaction leaves it alone too
  }
  CHECK(read_text(f.index()) == "my own notes, not ooc's\n");
}

TEST_CASE("index file: a staging file of a writer that crashed is removed, a running writer's is kept") {
  Fixture f;
  // pid 1 always runs; no process has a pid above the kernel's limit (pid_max <= 4194304).
  const std::string running = f.index() + ".tmp-1";
  const std::string crashed = f.index() + ".tmp-99999999";
  write_text(running, "half");
  write_text(crashed, "half");
  auto store = open_store(f.path, &f.clock);
  REQUIRE(store->stash_segment(draft("more", "compaction writes the index again"), "alpha").ok());
  REQUIRE(store->compact().ok());
  CHECK(std::filesystem::exists(running));
  CHECK_FALSE(std::filesystem::exists(crashed));
  CHECK(testing::files_containing(f.dir.path(), ".index.tmp-" + std::to_string(::getpid())).empty());
}
