// Edits in place (issue 11 #4): the text rules of segment_edit.h and Store::edit's revision check,
// durability and multi-process safety.
#include <doctest/doctest.h>

#include "storage/segment_edit.h"
#include "storage/time_format.h"
#include "storage/token_estimate.h"
#include "tests/storage/store_test_support.h"

using namespace storage;
using testing::draft;
using testing::open_store;
using testing::TempDir;

namespace {

EditChange append(std::string text) { return EditChange{std::move(text), std::nullopt}; }
EditChange replace(int64_t start, int64_t end, std::string text) {
  return EditChange{std::nullopt, LineReplacement{start, end, std::move(text)}};
}

std::string edited(const std::string& text, const EditChange& change) {
  auto out = apply_edit(text, change);
  REQUIRE(out.ok());
  return *out;
}

}  // namespace

TEST_CASE("segment edit: lines are pieces ended by a newline, plus a last piece without one") {
  CHECK(count_lines("") == 0);
  CHECK(count_lines("a") == 1);
  CHECK(count_lines("a\n") == 1);
  CHECK(count_lines("a\nb") == 2);
  CHECK(count_lines("a\n\nb\n") == 3);
}

TEST_CASE("segment edit: append starts a new line when the text does not end with one") {
  CHECK(edited("a", append("b")) == "a\nb");
  CHECK(edited("a\n", append("b")) == "a\nb");
  CHECK(edited("a\n", append("b\n")) == "a\nb\n");
}

TEST_CASE("segment edit: replace_lines keeps the lines around it whole") {
  CHECK(edited("1\n2\n3\n", replace(2, 2, "two")) == "1\ntwo\n3\n");
  CHECK(edited("1\n2\n3", replace(3, 3, "three")) == "1\n2\nthree");   // the last line had no newline
  CHECK(edited("1\n2\n3", replace(2, 3, "x\ny\nz")) == "1\nx\ny\nz");
  CHECK(edited("1\n2\n3\n", replace(1, 2, "")) == "3\n");               // empty text deletes
  CHECK(edited("1\n2\n3\n", replace(1, 1, "a\nb\n")) == "a\nb\n2\n3\n");
}

TEST_CASE("segment edit: a range outside the text names the line count") {
  auto out = apply_edit("1\n2\n", replace(2, 3, "x"));
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().code() == Status::Code::kInvalidArgument);
  CHECK(out.status().message().find("has 2 lines") != std::string::npos);
  CHECK_FALSE(apply_edit("1", EditChange{}).ok());
}

TEST_CASE("store edit: a new revision with new tokens and touch time, durable, created_at kept") {
  TempDir dir;
  ManualClock clock;
  std::string created;
  {
    auto store = open_store(dir.file("storage.json"), &clock);
    REQUIRE(store->stash("p", {}, {draft("n", "first line")}).ok());
    created = format_rfc3339_ms(clock.now_ms());
    clock.advance_ms(60'000);
    auto out = store->edit("p", "n", 1, append("a much longer second line of text"));
    REQUIRE(out.ok());
    CHECK(out->revision == 2);
    CHECK(out->lines == 2);
    CHECK(out->tokens == estimate_tokens("first line\na much longer second line of text"));
  }
  auto store = open_store(dir.file("storage.json"), &clock);
  auto s = store->get("p", "n", Tier::kStashed);
  REQUIRE(s.ok());
  REQUIRE(s->has_value());
  CHECK((*s)->text == "first line\na much longer second line of text");
  CHECK((*s)->revision == 2);
  CHECK((*s)->created_at == created);
  CHECK((*s)->last_touched_at == format_rfc3339_ms(clock.now_ms()));
  CHECK((*s)->tokens == estimate_tokens((*s)->text));
}

TEST_CASE("store edit: a stale revision is a conflict naming the current one, and nothing changes") {
  TempDir dir;
  ManualClock clock;
  auto store = open_store(dir.file("storage.json"), &clock);
  REQUIRE(store->stash("p", {}, {draft("n", "base")}).ok());
  REQUIRE(store->edit("p", "n", 1, append("one")).ok());
  auto stale = store->edit("p", "n", 1, append("two"));
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.status().code() == Status::Code::kConflict);
  CHECK(stale.status().message().find("is at revision 2") != std::string::npos);
  auto missing = store->edit("p", "ghost", 1, append("x"));
  CHECK(missing.status().code() == Status::Code::kNotFound);
  auto s = store->get("p", "n", Tier::kStashed);
  REQUIRE(s.ok());
  CHECK((*s)->text == "base\none");
}

TEST_CASE("store edit: two stores on one file serialize edits by revision") {
  TempDir dir;
  ManualClock clock;
  auto a = open_store(dir.file("storage.json"), &clock);
  auto b = open_store(dir.file("storage.json"), &clock);
  REQUIRE(a->stash("p", {}, {draft("n", "base")}).ok());
  auto by_b = b->edit("p", "n", 1, append("from b"));
  REQUIRE(by_b.ok());
  CHECK(by_b->revision == 2);
  auto by_a = a->edit("p", "n", 1, append("from a"));
  REQUIRE_FALSE(by_a.ok());
  CHECK(by_a.status().code() == Status::Code::kConflict);
  CHECK(by_a.status().message().find("revision 2") != std::string::npos);
  auto s = a->get("p", "n", Tier::kStashed);
  REQUIRE(s.ok());
  CHECK((*s)->text == "base\nfrom b");
}
