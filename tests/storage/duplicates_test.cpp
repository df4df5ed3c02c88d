// Duplicates named on write (issue 11 #5): store_segments() and stash() name the other segments of
// the project whose text equals the written one's (exact) or nearly (near), in either tier.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "storage/duplicates.h"
#include "storage/search/analyzer.h"
#include "tests/storage/store_test_support.h"

using namespace storage;
using testing::draft;
using testing::open_store;
using testing::TempDir;

namespace {

// Ten sentences on one topic (a paragraph an agent might keep about a design decision).
std::vector<std::string> paragraph_sentences() {
  return {"The journal is appended with one line per batch and every line ends with a checksum.",
          "Compaction rewrites the snapshot once the journal grows past half of its size.",
          "Readers take a shared lock on the lock file and catch up from the last applied offset.",
          "Writers hold the exclusive lock while they append, fsync and apply the batch in memory.",
          "A torn tail left by a crash is cut off before the next batch is appended.",
          "The ranked index is saved beside the snapshot so that a restart skips the analysis.",
          "Sessions keep their working segments durable under a lock named after the process id.",
          "When a session dies its segments are moved to the stash with an unstashed tag.",
          "Search results carry snippets around the matched words instead of the full text.",
          "Every failure is returned as a status value and nothing in the engine throws."};
}

std::string join(const std::vector<std::string>& sentences) {
  std::string out;
  for (const std::string& s : sentences) out += (out.empty() ? "" : " ") + s;
  return out;
}

const std::string kParagraph = join(paragraph_sentences());

// Another topic, about as long.
const std::string kOtherParagraph =
    "Quarterly revenue in the northern region rose by eleven percent after the spring campaign. "
    "The marketing team attributes most of the growth to the loyalty programme launched in March. "
    "Churn among small business customers fell for the third quarter in a row. Pricing for the "
    "premium plan stays unchanged until the autumn review. Support tickets about invoices doubled "
    "after the billing migration and are now back to normal. Hiring for two account managers is "
    "approved. The board asked for a forecast that separates new customers from renewals. Travel "
    "budgets are frozen until the audit closes. A partner in Lisbon will resell the product from "
    "July. The next planning offsite is in the first week of September.";

// A deterministic pseudo-random text of `words` words over a vocabulary of made-up words.
std::string random_text(uint64_t seed, size_t words) {
  static const char* const kSyllables[] = {"ka", "lo", "mi", "ner", "tu", "vax", "zo", "rin", "pel", "dus",
                                           "gra", "hom", "qui", "sta", "bel", "fen", "jor", "wex", "yul", "cor"};
  uint64_t x = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  std::string out;
  for (size_t w = 0; w < words; ++w) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t word = (x >> 33) % 6000;  // 6000 distinct words
    if (!out.empty()) out += ' ';
    for (int k = 0; k < 3; ++k) {
      out += kSyllables[word % 20];
      word /= 20;
    }
  }
  return out;
}

std::vector<Duplicate> stored_duplicates(Store& store, SegmentDraft d) {
  auto out = store.store_segments("p", {std::move(d)});
  REQUIRE(out.ok());
  REQUIRE(out->stored.size() == 1);
  return out->stored[0].duplicates;
}

std::vector<Duplicate> stashed_duplicates(Store& store, SegmentDraft d) {
  auto out = store.stash("p", {}, {std::move(d)});
  REQUIRE(out.ok());
  REQUIRE(out->stashed.size() == 1);
  return out->stashed[0].duplicates;
}

std::vector<std::string> ids_of(const std::vector<Duplicate>& duplicates) {
  std::vector<std::string> ids;
  for (const Duplicate& d : duplicates) ids.push_back(d.segment_id);
  return ids;
}

}  // namespace

TEST_CASE("duplicates: the same text in other case and white space is an exact duplicate of a stashed one") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("p", {}, {draft("a", "Use the JOURNAL for every write.\nNever  rewrite it.")}).ok());
  const std::vector<Duplicate> found =
      stored_duplicates(*store, draft("b", "  use the journal for EVERY write. never\trewrite\n\n it.  "));
  REQUIRE(found.size() == 1);
  CHECK(found[0] == Duplicate{"a", Tier::kStashed, Duplicate::Kind::kExact, 1.0});
  CHECK(normalize_for_duplicates(" A\n\tB  c ") == "a b c");
}

TEST_CASE("duplicates: a paragraph with one sentence rewritten is a near duplicate") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("p", {}, {draft("a", kParagraph)}).ok());
  std::vector<std::string> changed = paragraph_sentences();
  changed[4] = "After a crash the recovery code truncates a partial line at the end of the file.";
  const std::vector<Duplicate> found = stashed_duplicates(*store, draft("b", join(changed)));
  REQUIRE(found.size() == 1);
  CHECK(found[0].segment_id == "a");
  CHECK(found[0].kind == Duplicate::Kind::kNear);
  CHECK(found[0].similarity >= kNearDuplicateJaccard);
  CHECK(found[0].similarity < 1.0);
  MESSAGE("one sentence of ten rewritten: Jaccard " << found[0].similarity);

  // Two sentences rewritten are no longer near (the threshold's other side).
  changed[7] = "Abandoned sessions are recovered by the next process that opens the same store file.";
  const Analyzer analyzer;
  const double two = jaccard(hash_terms(analyzer.term_set(kParagraph)), hash_terms(analyzer.term_set(join(changed))));
  MESSAGE("two sentences of ten rewritten: Jaccard " << two);
  CHECK(two < kNearDuplicateJaccard);
}

TEST_CASE("duplicates: a different text of about the same length is not a duplicate") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("p", {}, {draft("a", kParagraph)}).ok());
  REQUIRE(store->store_segments("p", {draft("w", kParagraph)}).ok());
  // The control: the same paragraph is named from both tiers.
  CHECK(ids_of(stored_duplicates(*store, draft("same", kParagraph))) == std::vector<std::string>{"w", "a"});
  CHECK(stored_duplicates(*store, draft("b", kOtherParagraph)).empty());
  CHECK(stashed_duplicates(*store, draft("c", kOtherParagraph + " And one more line.")).size() == 1);  // b only
  const Analyzer analyzer;
  CHECK(jaccard(hash_terms(analyzer.term_set(kParagraph)), hash_terms(analyzer.term_set(kOtherParagraph))) < 0.1);
}

TEST_CASE("duplicates: in a stash of a few thousand segments the ranked index finds exact and near ones") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock, nullptr, SyncMode::kNever);
  constexpr size_t kSegments = 3000;
  for (size_t batch = 0; batch < kSegments / 500; ++batch) {
    std::vector<SegmentDraft> drafts;
    for (size_t k = batch * 500; k < (batch + 1) * 500; ++k) {
      drafts.push_back(draft("s" + std::to_string(k), random_text(k, 300)));
    }
    REQUIRE(store->stash("p", {}, std::move(drafts)).ok());
  }
  const std::string target = random_text(1234, 300);  // the text of s1234
  std::string upper = target;
  for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  const std::vector<Duplicate> exact = stored_duplicates(*store, draft("x", upper + "\n"));
  REQUIRE(exact.size() == 1);
  CHECK(exact[0] == Duplicate{"s1234", Tier::kStashed, Duplicate::Kind::kExact, 1.0});

  // About the last 20 of 300 words replaced: near both s1234 and its exact copy in the working set
  // (the same term set, so the same similarity: the working one first).
  const std::string edited = target.substr(0, target.size() * 14 / 15) + " " + random_text(99999, 20);
  const std::vector<Duplicate> near = stashed_duplicates(*store, draft("y", edited));
  CHECK(ids_of(near) == std::vector<std::string>{"x", "s1234"});
  REQUIRE(near.size() == 2);
  CHECK(near[1].tier == Tier::kStashed);
  CHECK(near[1].kind == Duplicate::Kind::kNear);
  CHECK(near[1].similarity == near[0].similarity);
  CHECK(stored_duplicates(*store, draft("z", random_text(777777, 300))).empty());
}

TEST_CASE("duplicates: the working set is searched too, and a segment in both tiers is named once") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->store_segments("p", {draft("a", kParagraph)}).ok());
  const std::vector<Duplicate> found = stored_duplicates(*store, draft("b", kParagraph + "\n"));
  REQUIRE(found.size() == 1);
  CHECK(found[0] == Duplicate{"a", Tier::kWorking, Duplicate::Kind::kExact, 1.0});

  // 'a' rewritten under its id: its cached signature goes with the old text.
  REQUIRE(store->store_segments("p", {draft("a", kOtherParagraph)}).ok());
  CHECK(ids_of(stored_duplicates(*store, draft("c", kParagraph))) == std::vector<std::string>{"b"});

  // 'r' stashed, then restored: the same id in both tiers is one duplicate, and not of itself.
  REQUIRE(store->delete_segments("p", {"a", "b", "c"}, std::nullopt).ok());
  REQUIRE(store->stash("p", {}, {draft("r", kOtherParagraph)}).ok());
  REQUIRE(store->retrieve("p", {"r"}, /*restore=*/true, 0).ok());
  CHECK(ids_of(stored_duplicates(*store, draft("c", kOtherParagraph))) == std::vector<std::string>{"r"});
  CHECK(ids_of(stored_duplicates(*store, draft("r", kOtherParagraph))) == std::vector<std::string>{"c"});
}

TEST_CASE("duplicates: superseded segments are not named, nor those this call supersedes") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("p", {}, {draft("a", kParagraph), draft("c", kParagraph)}).ok());
  SegmentDraft b = draft("b", kParagraph);
  b.supersedes = {"a"};
  CHECK(ids_of(stashed_duplicates(*store, b)) == std::vector<std::string>{"c"});
  // 'a' stays superseded by 'b': a later copy names 'b' and 'c' only.
  SegmentDraft d = draft("d", kParagraph);
  d.supersedes = {"c"};
  CHECK(ids_of(stored_duplicates(*store, d)) == std::vector<std::string>{"b"});
}

TEST_CASE("duplicates: a segment stored or stashed again under its id is not its own duplicate") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->store_segments("p", {draft("a", kParagraph), draft("x", kParagraph)}).ok());
  CHECK(ids_of(stored_duplicates(*store, draft("a", kParagraph))) == std::vector<std::string>{"x"});
  auto moved = store->stash("p", {"a"}, {});
  REQUIRE(moved.ok());
  REQUIRE(moved->stashed.size() == 1);
  CHECK(ids_of(moved->stashed[0].duplicates) == std::vector<std::string>{"x"});
  CHECK(ids_of(stashed_duplicates(*store, draft("a", kParagraph))) == std::vector<std::string>{"x"});
}
