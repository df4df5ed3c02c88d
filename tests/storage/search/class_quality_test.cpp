// Retrieval quality per failure class of issue 12 on tests/storage/search/corpus/class_corpus.json:
// recall@10, MRR@10 and nDCG@10 for each class, each with a floor.
//
// Classes: phrase (loose or missing quoted titles), number (numbers that also occur in segment
// ids), date (the answer's date is only its created_at), neighbour (the answer is the next segment
// of the same task), vocabulary (abbreviations, identifiers, type words), length (tiny
// collections where one long segment answers), stopword (function-word-heavy questions),
// nonempty (queries whose phrases match nothing). Segments of a "collection" other than "main" are
// indexed separately, so class length runs on stores of 6 and 4 segments. Relative dates are read
// against the corpus's "now".
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "storage/search/ranked_index.h"
#include "tests/storage/search/quality_metrics.h"

namespace storage {
namespace {

using Json = nlohmann::json;

struct LabelledQuery {
  std::string text;
  std::string cls;
  std::string collection;
  std::map<std::string, int> relevant;
};

struct ClassCorpus {
  std::string now;
  std::map<std::string, std::deque<Segment>> collections;
  std::vector<LabelledQuery> queries;
};

ClassCorpus load_class_corpus() {
  ClassCorpus corpus;
  std::ifstream in(std::string(OOC_TESTS_DIR) + "/storage/search/corpus/class_corpus.json");
  REQUIRE(in.good());
  const Json doc = Json::parse(in, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  corpus.now = doc.at("now").get<std::string>();
  for (const Json& s : doc.at("segments")) {
    Segment seg;
    seg.segment_id = s.at("segment_id").get<std::string>();
    seg.text = s.at("text").get<std::string>();
    seg.type = parse_segment_type(s.at("type").get<std::string>()).value_or(SegmentType::kNote);
    seg.project_id = "quality";
    if (s.contains("task_id")) seg.task_id = s.at("task_id").get<std::string>();
    for (const Json& tag : s.at("tags")) seg.tags.push_back(tag.get<std::string>());
    if (s.contains("file_path")) seg.file_path = s.at("file_path").get<std::string>();
    seg.created_at = s.at("created_at").get<std::string>();
    seg.last_touched_at = seg.created_at;
    seg.tier = Tier::kStashed;
    corpus.collections[s.value("collection", "main")].push_back(std::move(seg));
  }
  for (const Json& q : doc.at("queries")) {
    LabelledQuery query{q.at("query").get<std::string>(), q.at("class").get<std::string>(),
                        q.value("collection", "main"), {}};
    for (const auto& [id, grade] : q.at("relevant").items()) query.relevant[id] = grade.get<int>();
    corpus.queries.push_back(std::move(query));
  }
  return corpus;
}

std::vector<std::string> ranked_ids(const RankedIndex& index, const std::string& text, const std::string& now) {
  ParsedQuery query = parse_query(text);
  query.now = now;
  std::vector<RankedMatch> matches = index.search(query, [](const Segment&) { return true; });
  std::sort(matches.begin(), matches.end(), [](const RankedMatch& a, const RankedMatch& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.segment->created_at != b.segment->created_at) return a.segment->created_at > b.segment->created_at;
    return a.segment->segment_id < b.segment->segment_id;
  });
  std::vector<std::string> ids;
  for (const RankedMatch& m : matches) ids.push_back(m.segment->segment_id);
  return ids;
}

using quality::ndcg;
using quality::recall;
using quality::reciprocal_rank;

struct ClassScores {
  double recall = 0;
  double mrr = 0;
  double ndcg = 0;
  size_t count = 0;
  size_t empty = 0;  // queries with no result at all
  double mean(double sum) const { return count == 0 ? 0 : sum / static_cast<double>(count); }
};

struct Floor {
  double recall;
  double mrr;
  double ndcg;
};

}  // namespace

TEST_CASE("retrieval: every failure class of issue 12 meets its floor on the class corpus") {
  const ClassCorpus corpus = load_class_corpus();
  std::map<std::string, RankedIndex> indexes;
  for (const auto& [name, segments] : corpus.collections) {
    for (const Segment& s : segments) indexes[name].upsert(&s);
  }
  std::map<std::string, ClassScores> scores;
  for (const LabelledQuery& q : corpus.queries) {
    REQUIRE(indexes.count(q.collection) == 1);
    const std::vector<std::string> r = ranked_ids(indexes.at(q.collection), q.text, corpus.now);
    const double rr = reciprocal_rank(r, q.relevant);
    const double rc = recall(r, q.relevant);
    const double n = ndcg(r, q.relevant);
    for (const std::string& cls : {q.cls, std::string("all")}) {
      ClassScores& s = scores[cls];
      s.recall += rc;
      s.mrr += rr;
      s.ndcg += n;
      ++s.count;
      if (r.empty()) ++s.empty;
    }
    if (rr < 1.0 || rc < 1.0) {
      std::string top;
      for (size_t i = 0; i < std::min<size_t>(3, r.size()); ++i) top += " " + r[i];
      MESSAGE("weak [" << q.cls << "] '" << q.text << "' recall=" << rc << " rr=" << rr << " top:" << top);
    }
  }
  for (const auto& [cls, s] : scores) {
    MESSAGE(cls << " (" << s.count << "): recall@10 " << s.mean(s.recall) << " MRR@10 " << s.mean(s.mrr)
                << " nDCG@10 " << s.mean(s.ndcg) << " empty " << s.empty);
  }
  // Floors sit a little below the measured figures (README, "Search quality").
  // Before issue 12 (recall / MRR / nDCG): phrase 0.25/0.33/0.30, number 0.83/0.90/0.85, date
  // 0.93/0.90/0.76, neighbour 0.92/1/0.64, vocabulary 0.91/0.86/0.88, length 1/0.8/0.77, stopword
  // 1/0.9/0.90, nonempty 0/0/0, all 0.77/0.77/0.69 (9 queries without any result).
  const std::map<std::string, Floor> floors = {
      {"phrase", {0.95, 0.95, 0.88}},    {"number", {0.95, 0.95, 0.95}},     {"date", {0.95, 0.95, 0.82}},
      {"neighbour", {0.95, 0.95, 0.77}}, {"vocabulary", {0.95, 0.95, 0.95}}, {"length", {0.95, 0.95, 0.95}},
      {"stopword", {0.95, 0.95, 0.9}},   {"nonempty", {0.9, 0.95, 0.87}},    {"all", {0.97, 0.97, 0.9}}};
  for (const auto& entry : floors) {
    const std::string& cls = entry.first;  // not a structured binding: clang 14 cannot capture one
    const Floor& floor = entry.second;
    REQUIRE(scores.count(cls) == 1);
    const ClassScores& s = scores.at(cls);
    CHECK_MESSAGE(s.mean(s.recall) >= floor.recall, cls);
    CHECK_MESSAGE(s.mean(s.mrr) >= floor.mrr, cls);
    CHECK_MESSAGE(s.mean(s.ndcg) >= floor.ndcg, cls);
    CHECK_MESSAGE(s.empty == 0, cls);
  }
}

}  // namespace storage
