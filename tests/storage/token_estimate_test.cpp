// Tests of storage/token_estimate.h: the documented rules, one at a time, then realistic text.
#include "storage/token_estimate.h"

#include <doctest/doctest.h>

#include <string>

using namespace storage;

TEST_CASE("tokens: a word of up to 7 letters is one token and a longer one one per 6 letters") {
  CHECK(estimate_tokens("journal") == 1);         // 7 letters
  CHECK(estimate_tokens("snapshot") == 2);        // 8 letters: ceil(8 / 6)
  CHECK(estimate_tokens("compactionxx") == 2);    // 12 letters
  CHECK(estimate_tokens("compactionxxx") == 3);   // 13 letters
  CHECK(estimate_tokens("snake_case") == 2);      // '_' counts as a letter: 10
}

TEST_CASE("tokens: digit runs take one token per 3 digits") {
  CHECK(estimate_tokens("7") == 1);
  CHECK(estimate_tokens("123") == 1);
  CHECK(estimate_tokens("1234") == 2);
  CHECK(estimate_tokens("1234567") == 3);
  CHECK(estimate_tokens("utf8") == 2);  // a letter run, then a digit run
}

TEST_CASE("tokens: each punctuation or symbol character is one token") {
  CHECK(estimate_tokens("()") == 2);
  CHECK(estimate_tokens("a.b") == 3);
  CHECK(estimate_tokens("{};") == 3);
}

TEST_CASE("tokens: white space is free unless its run holds a newline") {
  CHECK(estimate_tokens("a b") == 2);
  CHECK(estimate_tokens("a \t b") == 2);
  CHECK(estimate_tokens("a\nb") == 3);
  CHECK(estimate_tokens("a \n\n\n b") == 3);  // one run, one token
}

TEST_CASE("tokens: non-ASCII code points count one token per two") {
  CHECK(estimate_tokens("\xC3\xA9") == 1);                          // é
  CHECK(estimate_tokens("\xC3\xA9\xC3\xA9") == 1);                  // éé
  CHECK(estimate_tokens("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E") == 2);  // 日本語: 3 code points
}

TEST_CASE("tokens: non-empty text is at least one token and empty text none") {
  CHECK(estimate_tokens("") == 0);
  CHECK(estimate_tokens(" ") == 1);
  CHECK(estimate_tokens("   \t ") == 1);
}

TEST_CASE("tokens: estimates are close to BPE counts for prose and code") {
  CHECK(estimate_tokens("") == 0);
  CHECK(estimate_tokens("a") == 1);
  // "The quick brown fox jumps over the lazy dog." is 10 tokens in cl100k.
  CHECK(estimate_tokens("The quick brown fox jumps over the lazy dog.") == 10);
  // Code: punctuation counts; `int main() { return 0; }` is 9 tokens in cl100k.
  const int64_t code = estimate_tokens("int main() { return 0; }");
  CHECK(code >= 8);
  CHECK(code <= 11);
  // Long text scales roughly linearly.
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "The storage engine appends one journal line per batch. ";
  const int64_t n = estimate_tokens(long_text);
  CHECK(n >= 900);
  CHECK(n <= 1200);
}
