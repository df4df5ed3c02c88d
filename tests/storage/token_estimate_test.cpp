// Tests of storage/token_estimate.h: the documented rules, one at a time, then realistic text.
// Costs are fractions summed over the text and rounded once, so a rule's fraction shows on ten
// repetitions. tests/storage/token_accuracy_test.cpp measures the rules against real cl100k counts.
#include "storage/token_estimate.h"

#include <doctest/doctest.h>

#include <string>

using namespace storage;

namespace {

std::string times(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("tokens: text is split like cl100k's pre-tokenizer, a word taking the space before it") {
  CHECK(estimate_tokens("The quick brown fox jumps over the lazy dog.") == 10);  // 10 in cl100k
  CHECK(estimate_tokens("x = 1") == 4);   // x, " =", " ", 1: a digit takes no space
  CHECK(estimate_tokens("don't") == 2);   // don, 't
  CHECK(estimate_tokens("'said") == 2);   // 's comes first, then aid
  CHECK(estimate_tokens("utf8") == 2);    // a letter run, then a digit run
}

TEST_CASE("tokens: a lowercase word of up to 5 letters is one token and each further letter a tenth more") {
  CHECK(estimate_tokens(times(" a", 10)) == 10);
  CHECK(estimate_tokens(times(" storage", 10)) == 12);                // 7 letters: 1.2
  CHECK(estimate_tokens(times(" compaction", 10)) == 15);             // 10 letters: 1.5
  CHECK(estimate_tokens(times(" internationalization", 10)) == 25);   // 20 letters: 2.5
}

TEST_CASE("tokens: identifiers split into humps and an all-caps hump costs a fifth per letter past 2") {
  CHECK(estimate_tokens(times(" getValue", 10)) == 20);    // get|Value
  CHECK(estimate_tokens(times(" HTTP", 10)) == 14);        // 1 + 2 / 5
  CHECK(estimate_tokens(times(" HTTPServer", 10)) == 25);  // HTTP|Server: 1.4 + 1.1
  CHECK(estimate_tokens("getHTTPServer") == 4);            // 1 + 1.4 + 1.1
}

TEST_CASE("tokens: a word glued to a symbol or capitalized with no space before it costs 0.3 more") {
  CHECK(estimate_tokens(times(".get", 10)) == 13);        // the dot leads the word: 1.3
  CHECK(estimate_tokens(times(" Journal", 10)) == 12);    // after a space: 1.2, like " journal"
  CHECK(estimate_tokens(times("\njournal", 10)) == 22);   // a line break, then 1.2
  CHECK(estimate_tokens(times("\nJournal", 10)) == 25);   // a line break, then 1.2 + 0.3
}

TEST_CASE("tokens: digit runs take one token per 3 digits") {
  CHECK(estimate_tokens("7") == 1);
  CHECK(estimate_tokens("123") == 1);
  CHECK(estimate_tokens("1234") == 2);
  CHECK(estimate_tokens("1234567") == 3);
}

TEST_CASE("tokens: symbol runs merge, one token up to 2 then half a token per symbol") {
  CHECK(estimate_tokens("();") == 1);
  CHECK(estimate_tokens(times(" ==", 10)) == 10);     // a symbol run takes the space before it
  CHECK(estimate_tokens("a->b") == 3);
  CHECK(estimate_tokens("!@#$%^&*") == 4);            // 8 * 0.5 - 0.5 = 3.5
  CHECK(estimate_tokens(times("-", 10)) == 2);        // one symbol repeated: 1 + 8 / 8
  CHECK(estimate_tokens("\xE2\x86\x92") == 1);        // →: non-ASCII symbols one each
}

TEST_CASE("tokens: a run of line breaks is one token and other white space one per 64") {
  CHECK(estimate_tokens("a\n\n\nb") == 3);
  CHECK(estimate_tokens("a\n        b") == 4);                    // a, \n, 7 spaces, " b"
  CHECK(estimate_tokens("a    b") == 3);                         // a, 3 spaces, " b"
  CHECK(estimate_tokens("a" + std::string(65, ' ') + "b") == 3);  // a, 64 spaces, " b"
}

TEST_CASE("tokens: accented letters cost one more, other alphabets half a token, CJK one each") {
  CHECK(estimate_tokens("caf\xC3\xA9") == 2);                                       // café
  CHECK(estimate_tokens(times(" caf\xC3\xA9", 10)) == 20);
  CHECK(estimate_tokens("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0") == 3);  // Москва
  CHECK(estimate_tokens("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E") == 3);              // 日本語
}

TEST_CASE("tokens: bytes that are not UTF-8 count as symbols and a cut sequence is not read past the end") {
  CHECK(estimate_tokens("\xFF\xFE") == 2);
  CHECK(estimate_tokens("\xE6\x97") == 2);  // 日 cut after 2 of its 3 bytes
  CHECK(estimate_tokens("a\xC3") == 2);
}

TEST_CASE("tokens: non-empty text is at least one token and empty text none") {
  CHECK(estimate_tokens("") == 0);
  CHECK(estimate_tokens(" ") == 1);
  CHECK(estimate_tokens("\n") == 1);
  CHECK(estimate_tokens(" \t ") == 1);
}

TEST_CASE("tokens: estimates are close to BPE counts for prose and code") {
  // `int main() { return 0; }` is 9 tokens in cl100k.
  CHECK(estimate_tokens("int main() { return 0; }") == 9);
  // Long text scales linearly: 100 of these sentences are 1101 tokens in cl100k; within 5 %.
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "The storage engine appends one journal line per batch. ";
  const int64_t n = estimate_tokens(long_text);
  CHECK(n >= 1046);
  CHECK(n <= 1156);
}
