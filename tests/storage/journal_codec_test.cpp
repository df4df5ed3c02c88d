// Tests of storage/journal_codec.h: one line per batch, its checksum, and what a scan makes of
// damage (a torn tail is ignored; damage followed by good lines is reported).
#include "storage/journal_codec.h"

#include <doctest/doctest.h>
#include <xxhash.h>

#include <cstdio>
#include <string>
#include <vector>

using namespace storage;

namespace {

Segment stashed(const std::string& id, const std::string& text) {
  Segment s;
  s.segment_id = id;
  s.text = text;
  s.project_id = "ooc";
  s.tags = {"journal"};
  s.created_at = "2026-01-02T03:04:05.000Z";
  s.last_touched_at = "2026-01-02T03:04:05.000Z";
  s.tokens = 3;
  s.tier = Tier::kStashed;
  return s;
}

JournalOp put(const std::string& id, const std::string& text) {
  JournalOp op;
  op.segment = stashed(id, text);
  return op;
}

JournalOp del(const std::string& id) {
  JournalOp op;
  op.kind = JournalOp::Kind::kDelete;
  op.project_id = "ooc";
  op.segment_id = id;
  return op;
}

// A line whose body is `body` (without the checksum suffix), with a correct checksum.
std::string line_with_checksum(const std::string& body) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH64(body.data(), body.size(), 0)));
  return body + ",\"xxh64\":\"" + hex + "\"}\n";
}

}  // namespace

TEST_CASE("journal codec: a line decodes back to the same batch") {
  const std::string line = encode_journal_line(7, {put("a", "alpha"), del("b")});
  CHECK(line.rfind("{\"seq\":7,\"ops\":[{\"op\":\"put\",\"segment\":{", 0) == 0);
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);  // one line, whatever the text holds
  const JournalScan scan = scan_journal(line, 0);
  REQUIRE(scan.batches.size() == 1);
  CHECK(scan.batches[0].seq == 7);
  REQUIRE(scan.batches[0].ops.size() == 2);
  CHECK(scan.batches[0].ops[0].kind == JournalOp::Kind::kPut);
  CHECK(scan.batches[0].ops[0].segment == stashed("a", "alpha"));
  CHECK(scan.batches[0].ops[1].kind == JournalOp::Kind::kDelete);
  CHECK(scan.batches[0].ops[1].project_id == "ooc");
  CHECK(scan.batches[0].ops[1].segment_id == "b");
  CHECK(scan.valid_end == line.size());
  CHECK(scan.lines == 1);
  CHECK_FALSE(scan.torn_tail);
  CHECK(scan.corrupt.empty());
}

TEST_CASE("journal codec: the checksum suffix is XXH64 of the bytes before it, in 16 hex digits") {
  const std::string line = encode_journal_line(1, {del("x")});
  const size_t at = line.find(",\"xxh64\":\"");
  REQUIRE(at != std::string::npos);
  CHECK(line == line_with_checksum(line.substr(0, at)));
}

TEST_CASE("journal codec: text with newlines and quotes stays on one line") {
  const std::string line = encode_journal_line(2, {put("q", "line one\nline \"two\"\r\n\ttab")});
  CHECK(line.find('\n') == line.size() - 1);
  const JournalScan scan = scan_journal(line, 0);
  REQUIRE(scan.batches.size() == 1);
  CHECK(scan.batches[0].ops[0].segment.text == "line one\nline \"two\"\r\n\ttab");
}

TEST_CASE("journal codec: a checksum mismatch before a good line is reported as damage at its byte") {
  std::string first = encode_journal_line(1, {put("a", "alpha")});
  const std::string second = encode_journal_line(2, {put("b", "beta")});
  first[first.find("alpha")] = 'A';  // the checksum no longer matches
  const JournalScan scan = scan_journal(first + second, 100);
  REQUIRE(scan.corrupt.size() == 1);
  CHECK(scan.corrupt[0] == "byte 100: checksum mismatch or truncated line");
  REQUIRE(scan.batches.size() == 1);
  CHECK(scan.batches[0].seq == 2);
  CHECK(scan.valid_end == 100 + first.size() + second.size());
  CHECK_FALSE(scan.torn_tail);
  CHECK(scan.lines == 2);
}

TEST_CASE("journal codec: a damaged last line that ends in a newline is damage, not a torn tail") {
  const std::string first = encode_journal_line(1, {put("a", "alpha")});
  std::string second = encode_journal_line(2, {put("b", "beta")});
  second[second.find("beta")] = 'B';
  const JournalScan scan = scan_journal(first + second, 0);
  REQUIRE(scan.corrupt.size() == 1);
  CHECK(scan.corrupt[0].find("byte " + std::to_string(first.size()) + ":") == 0);
  CHECK_FALSE(scan.torn_tail);
  REQUIRE(scan.batches.size() == 1);
  CHECK(scan.valid_end == first.size());
  CHECK(scan.complete_end == first.size() + second.size());
}

TEST_CASE("journal codec: seq rules skip what the snapshot holds and name copies out of order and gaps") {
  const std::string l1 = encode_journal_line(1, {put("a", "alpha")});
  const std::string l2 = encode_journal_line(2, {put("b", "beta")});
  const std::string l3 = encode_journal_line(3, {put("c", "gamma")});
  const std::string l5 = encode_journal_line(5, {put("e", "epsilon")});
  std::vector<const JournalBatch*> apply;
  const JournalScan clean = scan_journal(l1 + l2 + l3, 0);
  CHECK(check_journal_sequence(clean, 1, true, &apply).empty());  // line 1 is in the snapshot
  REQUIRE(apply.size() == 2);
  CHECK(apply[0]->seq == 2);
  apply.clear();
  const JournalScan copied = scan_journal(l1 + l2 + l3 + l2, 0);
  auto problems = check_journal_sequence(copied, 0, true, &apply);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("seq 2 out of order (after 3)") != std::string::npos);
  CHECK(apply.size() == 3);
  const JournalScan gap = scan_journal(l1 + l2 + l5, 0);
  problems = check_journal_sequence(gap, 0, true, nullptr);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("seq 5 follows 2: batches 3 to 4 are missing") != std::string::npos);
  const JournalScan late_start = scan_journal(l3, 0);
  CHECK(check_journal_sequence(late_start, 1, true, nullptr).size() == 1);  // batch 2 is missing
  CHECK(check_journal_sequence(late_start, 0, false, nullptr).empty());     // unknown snapshot seq
}

TEST_CASE("journal codec: a last line without its newline is a torn tail and ends the valid prefix") {
  const std::string first = encode_journal_line(1, {put("a", "alpha")});
  const std::string second = encode_journal_line(2, {put("b", "beta")});
  for (size_t cut = 1; cut < second.size(); cut += 7) {
    CAPTURE(cut);
    const JournalScan scan = scan_journal(first + second.substr(0, cut), 0);
    CHECK(scan.torn_tail);
    CHECK(scan.corrupt.empty());
    CHECK(scan.batches.size() == 1);
    CHECK(scan.valid_end == first.size());
  }
}

TEST_CASE("journal codec: a line whose checksum verifies but whose content is wrong names the fault") {
  const std::string good = encode_journal_line(3, {del("c")});
  const std::string unknown_op = line_with_checksum("{\"seq\":1,\"ops\":[{\"op\":\"move\"}]");
  const std::string no_seq = line_with_checksum("{\"ops\":[]");
  const JournalScan scan = scan_journal(unknown_op + no_seq + good, 0);
  REQUIRE(scan.corrupt.size() == 2);
  CHECK(scan.corrupt[0] == "byte 0: unknown op 'move'");
  CHECK(scan.corrupt[1] == "byte " + std::to_string(unknown_op.size()) + ": no seq");
  REQUIRE(scan.batches.size() == 1);
  CHECK(scan.batches[0].seq == 3);
}

TEST_CASE("journal codec: an empty journal has no batches and ends where it starts") {
  const JournalScan scan = scan_journal("", 42);
  CHECK(scan.batches.empty());
  CHECK(scan.valid_end == 42);
  CHECK(scan.lines == 0);
  CHECK_FALSE(scan.torn_tail);
}
