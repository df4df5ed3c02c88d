// Tests of the issue 12 ranking mechanisms: id parts, dates, neighbours, expansions, stop words.
#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "storage/search/analyzer.h"
#include "storage/search/date_terms.h"
#include "storage/search/ranked_index.h"

namespace storage {
namespace {

struct Index {
  std::deque<Segment> segments;
  RankedIndex index;

  void add(std::string id, std::string text, std::string created_at = "2025-01-01T10:00:00.000Z",
           std::optional<std::string> task = std::nullopt, SegmentType type = SegmentType::kNote) {
    Segment s;
    s.segment_id = std::move(id);
    s.text = std::move(text);
    s.project_id = "p";
    s.created_at = std::move(created_at);
    s.task_id = std::move(task);
    s.type = type;
    s.tier = Tier::kStashed;
    segments.push_back(std::move(s));
    index.upsert(&segments.back());
  }
  std::map<std::string, double> scores(std::string_view text) const {
    std::map<std::string, double> out;
    for (const RankedMatch& m : index.search(parse_query(text), [](const Segment&) { return true; })) {
      out[m.segment->segment_id] = m.score;
    }
    return out;
  }
  std::vector<std::string> search(std::string_view text, std::string now = "") const {
    ParsedQuery q = parse_query(text);
    q.now = std::move(now);
    std::vector<RankedMatch> m = index.search(q, [](const Segment&) { return true; });
    std::sort(m.begin(), m.end(), [](const RankedMatch& a, const RankedMatch& b) {
      return a.score != b.score ? a.score > b.score : a.segment->segment_id < b.segment->segment_id;
    });
    std::vector<std::string> ids;
    for (const RankedMatch& r : m) ids.push_back(r.segment->segment_id);
    return ids;
  }
};

}  // namespace

TEST_CASE("classes: bare numbers and short parts of a segment_id get no id boost") {
  Index x;
  x.add("chat-9/S4:16", "we talked about the weekend plans");
  x.add("chat-9/S5:2", "the build took 16 minutes");
  x.add("chat-9/S6:3", "lunch at noon");
  const auto r = x.scores("16");
  REQUIRE(r.size() == 2);  // still found, like a word of the text
  CHECK(r.at("chat-9/S5:2") >= r.at("chat-9/S4:16"));
  CHECK(x.search("S4").size() == 1);
  x.add("plans-2", "nothing else here today");
  CHECK(x.search("plans").front() == "plans-2");  // a word of the id still outweighs one in the text
}

TEST_CASE("classes: date expressions in the query match created_at") {
  std::vector<std::string> terms;
  created_at_terms("2025-06-10T02:00:00.000Z", terms);
  CHECK(terms == std::vector<std::string>{"@d2025-06-10", "@m2025-06", "@md06-10", "@mo06"});
  const std::string now = "2025-06-18T12:00:00.000Z";
  CHECK(query_date_terms({"on", "10", "June", "2025"}, now) == std::vector<std::string>{"@d2025-06-10"});
  CHECK(query_date_terms({"June", "10,", "2025"}, "") == std::vector<std::string>{"@d2025-06-10"});
  CHECK(query_date_terms({"in", "June"}, "") == std::vector<std::string>{"@mo06"});
  CHECK(query_date_terms({"June", "2025"}, "") == std::vector<std::string>{"@m2025-06"});
  CHECK(query_date_terms({"2025-06-10"}, "") == std::vector<std::string>{"@d2025-06-10"});
  CHECK(query_date_terms({"yesterday"}, now) == std::vector<std::string>{"@d2025-06-17"});
  CHECK(query_date_terms({"last", "week"}, now).size() == 7);
  CHECK(query_date_terms({"last", "month"}, now) == std::vector<std::string>{"@m2025-05"});
  CHECK(query_date_terms({"you", "may", "retry", "2025"}, now).empty());  // "may" and a bare year are no dates
  CHECK(query_date_terms({"16"}, now).empty());

  Index x;
  x.add("a", "deploy of the billing worker", "2025-06-10T09:00:00.000Z");
  x.add("b", "deploy of the billing worker again", "2025-05-02T09:00:00.000Z");
  x.add("c", "the deploy took 10 minutes, as in June", "2025-01-05T09:00:00.000Z");
  CHECK(x.search("deploy on 10 June").front() == "a");  // the words of a date count mostly as the date
  CHECK(x.search("deploy in May 2025").front() == "b");
  CHECK(x.search("deploy yesterday", "2025-06-11T08:00:00Z").front() == "a");
}

TEST_CASE("classes: the segment after a hit in the same task shares its score") {
  Index x;
  x.add("t1", "which postgres version do we pin for reporting", "2025-04-01T10:00:00.000Z", "conv");
  x.add("t2", "we stay on 15.6 until the extension supports 16", "2025-04-01T10:01:00.000Z", "conv");
  x.add("t3", "thanks", "2025-04-01T10:02:00.000Z", "conv");
  x.add("o1", "the extension list is in the wiki", "2025-04-01T10:01:00.000Z", "other");
  const auto r = x.search("postgres version reporting");
  REQUIRE(r.size() == 2);
  CHECK(r == std::vector<std::string>{"t1", "t2"});

  Index same;  // a successor that matches as well as the hit gains nothing: ties stay ties
  for (int i = 0; i < 4; ++i) same.add("n" + std::to_string(i), "same words", "2025-01-01T10:0" + std::to_string(i) + ":00.000Z", "t");
  const auto scores = same.scores("same words");
  REQUIRE(scores.size() == 4);
  for (const auto& entry : scores) CHECK(entry.second == doctest::Approx(scores.at("n0")));
}

TEST_CASE("classes: abbreviations, prefixes, split identifiers and type words reach other wordings") {
  Index x;
  x.add("auth", "function authMw(req) checks the api key");
  x.add("kube", "kubernetes deployment for the worker");
  x.add("limit", "the gateway applies a rate limit per key");
  x.add("adr", "sessions live in redis with a sliding expiry", "2025-01-01T10:00:00.000Z", std::nullopt,
        SegmentType::kDecision);
  x.add("other", "sessions carry the tenant id");
  CHECK(x.search("authentication").front() == "auth");
  CHECK(x.search("kube").front() == "kube");
  CHECK(x.search("ratelimit").front() == "limit");
  CHECK(x.search("what did we decide about sessions").front() == "adr");
}

TEST_CASE("classes: the standard stop-word list drops the function words of questions") {
  for (const char* w : {"the", "himself", "before", "after", "doing", "most", "very", "once", "here", "own", "could"}) {
    CHECK_MESSAGE(is_stop_word(w), w);
  }
  for (const char* w : {"deploy", "may", "log", "error"}) CHECK_FALSE(is_stop_word(w));
}

}  // namespace storage
