// Tests of RankedIndex::encode(), decode() and bind(): an index read back from its bytes ranks
// exactly like the one that wrote them, before and after further updates, and bytes that are cut
// short, written by another analysis or bound to other segments are refused, leaving it empty.
#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "storage/search/ranked_index.h"

namespace storage {
namespace {

const std::vector<std::string> kWords = {
    "journal",  "snapshot", "compaction", "recovery",  "checksum", "parser",  "deploy",   "rollback",
    "latency",  "timeout",  "retry",      "backoff",   "token",    "session", "primer",   "cursor",
    "tokenizer", "ratelimit", "rate",     "limit",     "auth",     "authentication", "the", "and"};

// Segment `i` of a deterministic corpus: words, tags, paths, tasks and dates all vary with i.
Segment corpus_segment(size_t i) {
  Segment s;
  s.segment_id = "seg-" + std::to_string(i) + (i % 7 == 0 ? "/Deploy_Notes" : "");
  for (size_t w = 0; w < 8 + i % 23; ++w) s.text += kWords[(i * 31 + w * w * 7 + w) % kWords.size()] + " ";
  if (i % 5 == 0) s.text = "# Heading about " + kWords[i % kWords.size()] + "\n" + s.text;
  s.project_id = "p";
  if (i % 3 == 0) s.tags = {"tag-" + std::to_string(i % 4)};
  if (i % 4 == 0) s.file_path = "src/module_" + std::to_string(i % 6) + ".cpp";
  if (i % 2 == 0) s.task_id = "task-" + std::to_string(i % 5);
  s.type = static_cast<SegmentType>(i % 6);
  s.created_at = "2026-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10) + "T10:00:0" +
                 std::to_string(i % 10) + ".000Z";
  s.last_touched_at = s.created_at;
  s.tier = Tier::kStashed;
  return s;
}

const std::vector<std::string> kQueries = {
    "journal snapshot", "\"rate limit\"", "+\"deploy rollback\" latency", "auth", "tokenizer -retry",
    "deploy notes", "module_3", "tag-2 cursor", "summary", "decision about timeout", "2026-03-13",
    "in May", "seg-14", "ratelimit", "the and", "compaction -\"checksum parser\""};

// Segments in a deque keyed by id, so the pointers handed to an index stay valid.
struct Segments {
  std::deque<Segment> store;
  std::map<std::string, const Segment*> by_id;
  const Segment* put(Segment s) {
    store.push_back(std::move(s));
    by_id[store.back().segment_id] = &store.back();
    return &store.back();
  }
  const Segment* find(std::string_view id) const {
    auto it = by_id.find(std::string(id));
    return it == by_id.end() ? nullptr : it->second;
  }
};

std::map<std::string, double> results(const RankedIndex& index, const std::string& query) {
  std::map<std::string, double> out;
  for (const RankedMatch& m : index.search(parse_query(query), [](const Segment&) { return true; })) {
    out[m.segment->segment_id] = m.score;
  }
  return out;
}

void check_same_ranking(const RankedIndex& a, const RankedIndex& b) {
  for (const std::string& query : kQueries) {
    CAPTURE(query);
    CHECK(results(a, query) == results(b, query));
  }
}

// An index over segments 0..n-1 with some replaced and erased, as a long-lived store has.
RankedIndex churned_index(Segments& segments, size_t n) {
  RankedIndex index;
  for (size_t i = 0; i < n; ++i) index.upsert(segments.put(corpus_segment(i)));
  for (size_t i = 0; i < n; i += 9) {
    Segment replaced = corpus_segment(i + 1000);
    replaced.segment_id = corpus_segment(i).segment_id;
    index.upsert(segments.put(std::move(replaced)));
  }
  for (size_t i = 4; i < n; i += 11) {
    index.erase(corpus_segment(i).segment_id);
    segments.by_id.erase(corpus_segment(i).segment_id);
  }
  return index;
}

RankedIndex read_back(const std::string& bytes, const Segments& segments) {
  RankedIndex index;
  REQUIRE(index.decode(bytes).ok());
  REQUIRE(index.bind(segments.by_id.size(), [&](std::string_view id) { return segments.find(id); }).ok());
  return index;
}

TEST_CASE("ranked index codec: an index read back from its bytes gives every query the same scores") {
  Segments segments;
  const RankedIndex original = churned_index(segments, 400);
  const RankedIndex copy = read_back(original.encode(), segments);
  CHECK(copy.size() == original.size());
  CHECK(copy.posting_count() == original.posting_count());
  check_same_ranking(original, copy);
  CHECK(results(copy, "journal").size() > 10);
}

TEST_CASE("ranked index codec: updates after reading back rank as the same updates on the original") {
  Segments segments;
  RankedIndex original = churned_index(segments, 300);
  RankedIndex copy = read_back(original.encode(), segments);
  // Erasing documents that came from the bytes needs their terms (analysed again): document
  // frequencies must stay exact, or idf and every score would drift.
  for (size_t i = 1; i < 300; i += 6) {
    const std::string id = corpus_segment(i).segment_id;
    if (segments.find(id) == nullptr) continue;
    original.erase(id);
    copy.erase(id);
  }
  for (size_t i = 2000; i < 2040; ++i) {
    const Segment* added = segments.put(corpus_segment(i));
    original.upsert(added);
    copy.upsert(added);
  }
  for (size_t i = 0; i < 300; i += 13) {
    Segment replaced = corpus_segment(i + 5000);
    replaced.segment_id = corpus_segment(i).segment_id;
    const Segment* now = segments.put(std::move(replaced));
    original.upsert(now);
    copy.upsert(now);
  }
  CHECK(copy.size() == original.size());
  check_same_ranking(original, copy);
}

TEST_CASE("ranked index codec: bytes cut short anywhere are refused and leave the index empty") {
  Segments segments;
  const std::string bytes = churned_index(segments, 60).encode();
  const size_t step = std::max<size_t>(1, bytes.size() / 97);
  for (size_t cut = 0; cut < bytes.size(); cut += step) {
    CAPTURE(cut);
    RankedIndex index;
    Status st = index.decode(std::string_view(bytes).substr(0, cut));
    if (st.ok()) st = index.bind(segments.by_id.size(), [&](std::string_view id) { return segments.find(id); });
    CHECK(st.code() == Status::Code::kCorruption);
    CHECK(index.size() == 0);
    CHECK(results(index, "journal").empty());
  }
}

TEST_CASE("ranked index codec: bytes of another analysis are refused") {
  Segments segments;
  std::string bytes = churned_index(segments, 20).encode();
  bytes[6] = static_cast<char>(bytes[6] ^ 0x5A);  // inside the analysis fingerprint (after the u32 version)
  RankedIndex index;
  const Status st = index.decode(bytes);
  CHECK(st.code() == Status::Code::kCorruption);
  CHECK(st.message().find("analyses text differently") != std::string::npos);
}

TEST_CASE("ranked index codec: binding to segments that are not the encoded ones is refused") {
  Segments segments;
  const std::string bytes = churned_index(segments, 50).encode();
  SUBCASE("one segment is missing") {
    const std::string gone = segments.by_id.begin()->first;
    RankedIndex index;
    REQUIRE(index.decode(bytes).ok());
    const Status st = index.bind(segments.by_id.size(), [&](std::string_view id) {
      return id == gone ? nullptr : segments.find(id);
    });
    CHECK(st.code() == Status::Code::kCorruption);
    CHECK(st.message().find(gone) != std::string::npos);
    CHECK(index.size() == 0);
  }
  SUBCASE("the store holds more segments than the bytes") {
    RankedIndex index;
    REQUIRE(index.decode(bytes).ok());
    const Status st = index.bind(segments.by_id.size() + 1, [&](std::string_view id) { return segments.find(id); });
    CHECK(st.code() == Status::Code::kCorruption);
    CHECK(index.size() == 0);
  }
}

}  // namespace
}  // namespace storage
