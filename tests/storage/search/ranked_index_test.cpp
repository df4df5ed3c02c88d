// Tests of storage/search/ranked_index.h: parse_query, BM25F scores, phrases, exclusions, updates.
#include "storage/search/ranked_index.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace storage {
namespace {

Segment make_segment(std::string id, std::string text, std::vector<std::string> tags = {},
                     std::optional<std::string> file_path = std::nullopt) {
  Segment s;
  s.segment_id = std::move(id);
  s.text = std::move(text);
  s.project_id = "p";
  s.tags = std::move(tags);
  s.file_path = std::move(file_path);
  s.created_at = "2026-01-02T03:04:05.000Z";
  s.last_touched_at = s.created_at;
  s.tier = Tier::kStashed;
  return s;
}

// Segments live in a deque so the pointers handed to the index stay valid.
struct Fixture {
  std::deque<Segment> segments;
  RankedIndex index;

  const Segment* add(Segment s) {
    segments.push_back(std::move(s));
    index.upsert(&segments.back());
    return &segments.back();
  }
  std::map<std::string, double> search(std::string_view query,
                                       const std::function<bool(const Segment&)>& accept = nullptr) const {
    std::map<std::string, double> out;
    auto all = [](const Segment&) { return true; };
    for (const RankedMatch& m : index.search(parse_query(query), accept ? accept : all)) {
      out[m.segment->segment_id] = m.score;
    }
    return out;
  }
};

// The 3-document toy index of the hand-computed BM25 tests. Text lengths 3, 2, 4: avgdl = 3.
Fixture toy_index() {
  Fixture f;
  f.add(make_segment("d1", "apple banana apple"));
  f.add(make_segment("d2", "banana cherry"));
  f.add(make_segment("d3", "cherry cherry cherry date"));
  return f;
}

std::vector<std::string> ids(const std::map<std::string, double>& results) {
  std::vector<std::string> out;
  for (const auto& [id, score] : results) out.push_back(id);
  return out;
}

}  // namespace

TEST_CASE("ranked: parse_query separates words, phrases and exclusions") {
  struct Case {
    const char* query;
    std::vector<std::string> words, phrases, excluded, excluded_phrases;
  };
  const std::vector<Case> cases = {
      {"storage format", {"storage", "format"}, {}, {}, {}},
      {"\"lock timeout\" journal", {"journal"}, {"lock timeout"}, {}, {}},
      {"json -yaml -\"binary format\"", {"json"}, {}, {"yaml"}, {"binary format"}},
      {"- foo-bar", {"-", "foo-bar"}, {}, {}, {}},              // '-' alone and inner hyphens are words
      {"\"unbalanced quote here", {}, {"unbalanced quote here"}, {}, {}},
      {"a\"b c\"d", {"a", "d"}, {"b c"}, {}, {}},
      {"\"\" -\"\"  \"  \"", {}, {}, {}, {}},                  // empty phrases are dropped
      {"--x", {}, {}, {"-x"}, {}},
      {"-32601 -x1", {"-32601"}, {}, {"x1"}, {}},              // '-' before a digit: a number / code
      {"  ADR-016\tTokenizeUtf8\n", {"ADR-016", "TokenizeUtf8"}, {}, {}, {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.query);
    const ParsedQuery q = parse_query(c.query);
    CHECK(q.words == c.words);
    CHECK(q.phrases == c.phrases);
    CHECK(q.excluded == c.excluded);
    CHECK(q.excluded_phrases == c.excluded_phrases);
  }
  CHECK(parse_query("-only -\"exclusions\"").empty());
  // `+"phrase"`: exact mode, the phrase is required; a '+' elsewhere is part of a word.
  const ParsedQuery exact = parse_query("+\"lock timeout\" c++ +x");
  CHECK(exact.required_phrases == std::vector<std::string>{"lock timeout"});
  CHECK(exact.phrases.empty());
  CHECK(exact.words == std::vector<std::string>{"c++", "+x"});
  CHECK_FALSE(exact.empty());
}

// BM25 with k1 1.2 and b = 0.75 * N / (N + 100) (length normalisation grows with the collection).
double bm25(double idf, double tf, double dl, double avgdl, double n) {
  const double b = 0.75 * n / (n + 100.0);
  return idf * tf * 2.2 / (tf + 1.2 * (1.0 - b + b * dl / avgdl));
}

TEST_CASE("ranked: BM25 scores match hand-computed values on a 3-document index") {
  const Fixture f = toy_index();
  // N = 3, avgdl = 3. "apple": df 1, idf = ln(1 + (3 - 1 + 0.5) / 1.5) = ln(8/3); d1: tf 2, dl 3.
  const double apple_idf = std::log(8.0 / 3.0);
  const auto apple = f.search("apple");
  REQUIRE(ids(apple) == std::vector<std::string>{"d1"});
  CHECK(apple.at("d1") == doctest::Approx(bm25(apple_idf, 2, 3, 3, 3)).epsilon(1e-5));

  // "cherry" (stemmed "cherri"): df 2, idf = ln(1 + 1.5 / 2.5) = ln(1.6); d2: tf 1, dl 2; d3: tf 3, dl 4.
  const double idf2 = std::log(1.6);
  const auto cherry = f.search("cherries");
  REQUIRE(ids(cherry) == std::vector<std::string>{"d2", "d3"});
  CHECK(cherry.at("d2") == doctest::Approx(bm25(idf2, 1, 2, 3, 3)).epsilon(1e-5));
  CHECK(cherry.at("d3") == doctest::Approx(bm25(idf2, 3, 4, 3, 3)).epsilon(1e-5));

  // OR semantics: scores add up over the query's terms; "the" is a stop word and ignored.
  // "banana": df 2; d1: tf 1, dl 3; d2: tf 1, dl 2.
  const auto both = f.search("the banana cherry");
  REQUIRE(ids(both) == std::vector<std::string>{"d1", "d2", "d3"});
  CHECK(both.at("d1") == doctest::Approx(bm25(idf2, 1, 3, 3, 3)).epsilon(1e-5));
  CHECK(both.at("d2") == doctest::Approx(2 * bm25(idf2, 1, 2, 3, 3)).epsilon(1e-5));
  CHECK(both.at("d3") == doctest::Approx(bm25(idf2, 3, 4, 3, 3)).epsilon(1e-5));

  CHECK(f.search("durian").empty());
  CHECK(f.search("").empty());
  CHECK(f.search("-apple").empty());  // only exclusions: nothing (the Store lists instead)
  CHECK(f.search("- ,,,").empty());   // words without terms match nothing
}

TEST_CASE("ranked: b adapts to the collection size, so a long answer is not buried in a tiny store") {
  Fixture f;
  f.add(make_segment("long", "deploy pipeline builds the image, runs the tests, pushes it to the registry, "
                             "requests secrets from the vault and adds dashboards for the new service"));
  f.add(make_segment("s1", "pipeline template"));
  f.add(make_segment("s2", "vault secrets"));
  f.add(make_segment("s3", "dashboards moved"));
  const auto r = f.search("pipeline secrets dashboards");
  REQUIRE(ids(r).size() == 4);
  for (const char* id : {"s1", "s2", "s3"}) CHECK(r.at("long") > r.at(id));
}

TEST_CASE("ranked: a match in tags, file_path, segment_id or heading outweighs one in the text") {
  Fixture f;
  f.add(make_segment("a1", "apple pie"));
  f.add(make_segment("b1", "banana split", {"apple"}));
  // N 2, avgdl 2 (equal lengths, so b does not matter), "apple" df 2: idf = ln(1.2) = 0.182322.
  // a1: tf 1 (text), norm 1.2: 0.182322 * 2.2 / 2.2 = 0.182322.
  // b1: weighted tf 3 (tag weight 3), norm 1.2: 0.182322 * 3 * 2.2 / 4.2 = 0.286506.
  const auto r = f.search("apple");
  CHECK(r.at("a1") == doctest::Approx(0.182322).epsilon(1e-5));
  CHECK(r.at("b1") == doctest::Approx(0.286506).epsilon(1e-5));

  // Equal text lengths, so only the weighted term frequencies differ.
  Fixture g;
  g.add(make_segment("note-1", "lexer output goes here"));          // text: 1
  g.add(make_segment("note-2", "# Lexer\nnotes on tokens"));        // heading 2 + text 1
  g.add(make_segment("lexer", "notes on tokens too"));               // segment_id: 4
  g.add(make_segment("note-3", "notes on tokens again", {}, "src/parser/lexer.cpp"));  // path: 3
  const auto lexer = g.search("lexer");
  REQUIRE(lexer.size() == 4);
  CHECK(lexer.at("lexer") > lexer.at("note-3"));
  CHECK(lexer.at("note-3") == doctest::Approx(lexer.at("note-2")));
  CHECK(lexer.at("note-2") > lexer.at("note-1"));
}

TEST_CASE("ranked: identifiers and paths find their segments whole and by their parts") {
  Fixture f;
  f.add(make_segment("adr-016", "Decision: journal as JSON lines", {"decision"}));
  f.add(make_segment("code-1", "TokenizeUtf8 splits on code points", {}, "src/parser/lex.cpp"));
  f.add(make_segment("log-1", "error E_LOCK_TIMEOUT after 5s in storage::Store::compact"));
  CHECK(ids(f.search("ADR-016")) == std::vector<std::string>{"adr-016"});
  CHECK(ids(f.search("tokenizeutf8")) == std::vector<std::string>{"code-1"});
  CHECK(ids(f.search("tokenize")) == std::vector<std::string>{"code-1"});
  CHECK(ids(f.search("lex.cpp")) == std::vector<std::string>{"code-1"});
  CHECK(ids(f.search("src/parser/lex.cpp")) == std::vector<std::string>{"code-1"});
  CHECK(ids(f.search("lock timeout")) == std::vector<std::string>{"log-1"});
  CHECK(ids(f.search("Store::compact")) == std::vector<std::string>{"log-1"});
}

TEST_CASE("ranked: +\"phrase\" (exact mode) must appear verbatim, case-insensitively, at word boundaries") {
  Fixture f;
  f.add(make_segment("s1", "The LOCK\n  timeout fired in the journal"));
  f.add(make_segment("s2", "lock acquired; timeout later"));
  f.add(make_segment("s3", "a deadlock timeout"));
  f.add(make_segment("s4", "unrelated", {"lock timeout"}));
  CHECK(ids(f.search("+\"lock timeout\"")) == std::vector<std::string>{"s1", "s4"});
  CHECK(ids(f.search("+\"Lock Timeout\" journal")) == std::vector<std::string>{"s1", "s4"});
  CHECK(ids(f.search("+\"lock timeout")) == std::vector<std::string>{"s1", "s4"});  // unbalanced
  CHECK(ids(f.search("+\"lock timeout\" +\"journal\"")) == std::vector<std::string>{"s1"});
  CHECK(f.search("+\"lock timeouts\"").empty());
  CHECK(f.search("+\"timeout lock\"").empty());
  const auto r = f.search("+\"lock timeout\" journal");  // phrase words also score
  CHECK(r.at("s1") > r.at("s4"));
}

TEST_CASE("ranked: a quoted phrase boosts the segments that contain it and falls back to its words") {
  Fixture f;
  f.add(make_segment("s1", "The LOCK\n  timeout fired in the journal"));
  f.add(make_segment("s2", "lock acquired; timeout later"));
  f.add(make_segment("s3", "a deadlock timeout"));
  f.add(make_segment("s4", "unrelated", {"lock timeout"}));
  const auto r = f.search("\"lock timeout\"");
  REQUIRE(ids(r).size() == 4);
  CHECK(r.at("s1") > r.at("s2"));
  CHECK(r.at("s4") > r.at("s2"));
  CHECK(r.at("s2") > r.at("s3"));
  // A phrase that appears nowhere (word order, a typo, a title never spelled out) ranks its words.
  CHECK(ids(f.search("\"timeout lock\"")).size() == 4);
  CHECK(ids(f.search("\"lock timeut\"")) == std::vector<std::string>{"s1", "s2", "s4"});
  CHECK(ids(f.search("\"lock timeout\" -\"lock acquired\"")) == std::vector<std::string>{"s1", "s3", "s4"});
}

TEST_CASE("ranked: no query returns nothing while one of its words is indexed") {
  Fixture f;
  f.add(make_segment("s1", "the registry ran out of storage"));
  f.add(make_segment("s2", "vault secrets"));
  CHECK(ids(f.search("\"registry storage alerts handbook\"")) == std::vector<std::string>{"s1"});
  CHECK(ids(f.search("\"secrets vault\" \"quarterly review")) == std::vector<std::string>{"s2"});
  CHECK(ids(f.search("what was it")) == std::vector<std::string>{});  // no word is indexed
  CHECK(ids(f.search("out of")) == std::vector<std::string>{"s1"});  // only stop words: they count
}

TEST_CASE("ranked: a phrase may match the segment_id, file_path or tags") {
  Fixture f;
  f.add(make_segment("adr-016-storage", "We chose JSON lines."));
  f.add(make_segment("other", "nothing here", {}, "src/parser/lex.cpp"));
  CHECK(ids(f.search("\"ADR-016\"")) == std::vector<std::string>{"adr-016-storage"});
  CHECK(ids(f.search("\"parser/lex.cpp\"")) == std::vector<std::string>{"other"});
}

TEST_CASE("ranked: -word and -\"phrase\" exclude the segments that contain them") {
  Fixture f;
  f.add(make_segment("s1", "timeout in the journals"));
  f.add(make_segment("s2", "timeout after lock acquired"));
  f.add(make_segment("s3", "timeout in a deadlock"));
  f.add(make_segment("s4", "timeout", {"flaky"}));
  CHECK(ids(f.search("timeout -deadlock")) == std::vector<std::string>{"s1", "s2", "s4"});
  CHECK(ids(f.search("timeout -journal")) == std::vector<std::string>{"s2", "s3", "s4"});  // stemmed
  CHECK(ids(f.search("timeout -\"lock acquired\"")) == std::vector<std::string>{"s1", "s3", "s4"});
  CHECK(ids(f.search("timeout -FLAKY")) == std::vector<std::string>{"s1", "s2", "s3"});
  CHECK(ids(f.search("timeout -\"lock\"")) == std::vector<std::string>{"s1", "s3", "s4"});  // not "deadlock"
  CHECK(ids(f.search("timeout -nonexistent")).size() == 4);
}

TEST_CASE("ranked: stop words are dropped across the whole query, not word by word") {
  Fixture f;
  f.add(make_segment("s1", "where the stash lives"));
  f.add(make_segment("s2", "logging goes to stderr"));
  CHECK(ids(f.search("where do the logs go")) == std::vector<std::string>{"s2"});
  CHECK(ids(f.search("where")) == std::vector<std::string>{"s1"});  // only stop words: kept
}

TEST_CASE("ranked: accept is applied to every candidate") {
  const Fixture f = toy_index();
  const auto r = f.search("banana cherry", [](const Segment& s) { return s.segment_id != "d2"; });
  CHECK(ids(r) == std::vector<std::string>{"d1", "d3"});
}

TEST_CASE("ranked: upsert of an existing id replaces its terms") {
  Fixture f = toy_index();
  const size_t postings = f.index.posting_count();
  f.add(make_segment("d1", "grape"));
  CHECK(f.index.size() == 3);
  CHECK(f.search("apple").empty());
  CHECK(ids(f.search("grape")) == std::vector<std::string>{"d1"});
  CHECK(ids(f.search("banana")) == std::vector<std::string>{"d2"});
  // d1 had apple, banana, d1 (3 postings); now grape, d1 (2).
  CHECK(f.index.posting_count() == postings - 1);
}

TEST_CASE("ranked: erase removes the segment from results and from document frequencies") {
  Fixture f = toy_index();
  f.index.erase("d3");
  f.index.erase("missing");  // no effect
  CHECK(f.index.size() == 2);
  // N 2, avgdl (3 + 2) / 2 = 2.5, "cherry" df 1: idf = ln(1 + 1.5 / 1.5) = ln 2; d2: tf 1, dl 2.
  const auto r = f.search("cherry");
  REQUIRE(ids(r) == std::vector<std::string>{"d2"});
  CHECK(r.at("d2") == doctest::Approx(bm25(std::log(2.0), 1, 2, 2.5, 2)).epsilon(1e-5));
  f.index.erase("d1");
  f.index.erase("d2");
  CHECK(f.index.size() == 0);
  CHECK(f.index.posting_count() == 0);
  CHECK(f.search("cherry banana").empty());
}

TEST_CASE("ranked: many updates purge dead postings and score like a freshly built index") {
  Fixture churned;
  for (int round = 0; round < 6; ++round) {
    for (int i = 0; i < 200; ++i) {
      std::string text = "common round" + std::to_string(round) + " item" + std::to_string(i);
      for (int w = 0; w < 20; ++w) text += " w" + std::to_string((i * 7 + w * 13 + round) % 97);
      churned.add(make_segment("seg-" + std::to_string(i), text));
    }
    for (int i = 0; i < 200; i += 9) churned.index.erase("seg-" + std::to_string(i));
  }
  Fixture fresh;
  for (size_t k = churned.segments.size() - 200; k < churned.segments.size(); ++k) {
    if (std::stoi(churned.segments[k].segment_id.substr(4)) % 9 != 0) fresh.add(churned.segments[k]);
  }
  CHECK(churned.index.size() == fresh.index.size());
  CHECK(churned.index.posting_count() == fresh.index.posting_count());
  for (const char* q : {"common", "round5 w3", "round2", "item17 w50 w51", "-common w1"}) {
    CAPTURE(q);
    const auto a = churned.search(q);
    const auto b = fresh.search(q);
    REQUIRE(ids(a) == ids(b));
    for (const auto& [id, score] : a) CHECK(score == doctest::Approx(b.at(id)).epsilon(1e-6));
  }
  // The purge bounds memory: within 2x of the fresh index.
  CHECK(churned.index.memory_bytes() < 2 * fresh.index.memory_bytes());
}

TEST_CASE("ranked: memory and posting figures are reported") {
  Fixture f;
  for (int i = 0; i < 500; ++i) {
    std::string text;
    for (int w = 0; w < 60; ++w) text += "word" + std::to_string((i * 31 + w * 17) % 2000) + " ";
    f.add(make_segment("seg-" + std::to_string(i), text));
  }
  const double per_posting = static_cast<double>(f.index.memory_bytes()) / static_cast<double>(f.index.posting_count());
  MESSAGE("postings: " << f.index.posting_count() << ", bytes: " << f.index.memory_bytes()
                       << ", bytes per posting: " << per_posting);
  CHECK(f.index.posting_count() >= 500 * 30);
  CHECK(per_posting < 40);
}

}  // namespace storage
