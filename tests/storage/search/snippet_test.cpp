// Tests of make_snippet (storage/search/snippet.h): windows, ellipses, UTF-8 safety.
#include <doctest/doctest.h>

#include <string>

#include "storage/search/snippet.h"

namespace storage {
namespace {

const std::string kEllipsis = "\xE2\x80\xA6";

// `count` numbered filler words: "w0 w1 w2 ...".
std::string filler(int from, int count) {
  std::string out;
  for (int i = from; i < from + count; ++i) out += "w" + std::to_string(i) + " ";
  return out;
}

size_t word_count(const std::string& s) {
  size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

// Strict UTF-8 check (no overlongs, no surrogates), independent of the code under test.
bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1Fu; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0Fu; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07u; }
    else return false;
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

TEST_CASE("snippet: a short text is returned whole with white space collapsed") {
  CHECK(make_snippet("  the  journal\n\tis JSON lines  ", parse_query("journal")) == "the journal is JSON lines");
  CHECK(make_snippet("", parse_query("journal")).empty());
}

TEST_CASE("snippet: a long text gives a window around the match with ellipses at both cuts") {
  const std::string text = filler(0, 100) + "the journal is replayed " + filler(100, 100);
  const std::string s = make_snippet(text, parse_query("journals"));
  CHECK(s != text);
  CHECK(s.rfind(kEllipsis + " ", 0) == 0);
  CHECK(s.size() > kEllipsis.size());
  CHECK(s.substr(s.size() - kEllipsis.size() - 1) == " " + kEllipsis);
  CHECK(s.find("the journal is replayed") != std::string::npos);
  CHECK(word_count(s) == 30 + 2);  // 30 words plus two ellipses
}

TEST_CASE("snippet: no leading ellipsis at the start, no trailing one at the end") {
  const std::string head = "journal first " + filler(0, 100);
  const std::string a = make_snippet(head, parse_query("journal"));
  CHECK(a.rfind("journal first w0", 0) == 0);
  CHECK(a.substr(a.size() - kEllipsis.size()) == kEllipsis);

  const std::string tail = filler(0, 100) + "last journal";
  const std::string b = make_snippet(tail, parse_query("journal"));
  CHECK(b.rfind(kEllipsis, 0) == 0);
  CHECK(b.substr(b.size() - std::string("last journal").size()) == "last journal");
}

TEST_CASE("snippet: the window goes to the densest cluster of distinct query terms") {
  const std::string text = filler(0, 10) + "journal " + filler(10, 100) + "journal format compaction " +
                           filler(110, 100) + "journal journal journal " + filler(210, 50);
  const std::string s = make_snippet(text, parse_query("journal format compaction"));
  CHECK(s.find("journal format compaction") != std::string::npos);
}

TEST_CASE("snippet: identifiers and phrase words match by their analyzed terms") {
  const std::string text = filler(0, 80) + "calls storage::Store::compact() when full " + filler(80, 80);
  CHECK(make_snippet(text, parse_query("compact")).find("storage::Store::compact()") != std::string::npos);
  const std::string code = filler(0, 80) + "TokenizeUtf8(input) " + filler(80, 80);
  CHECK(make_snippet(code, parse_query("\"tokenizeutf8\"")).find("TokenizeUtf8(input)") != std::string::npos);
}

TEST_CASE("snippet: without a match it falls back to the opening words") {
  const std::string text = filler(0, 100);
  const std::string s = make_snippet(text, parse_query("absent"));
  CHECK(s.rfind("w0 w1 w2", 0) == 0);
  CHECK(word_count(s) == 31);
  CHECK(make_snippet(text, ParsedQuery{}).rfind("w0 w1", 0) == 0);
}

TEST_CASE("snippet: max_words sets the window") {
  const std::string s = make_snippet(filler(0, 100), parse_query("w50"), 5);
  CHECK(s == kEllipsis + " w48 w49 w50 w51 w52 " + kEllipsis);
}

TEST_CASE("snippet: output is valid UTF-8 and a huge word is never returned whole") {
  std::string words;
  for (int i = 0; i < 100; ++i) words += "日本語のテキスト" + std::to_string(i) + " ";
  const std::string a = make_snippet(words, parse_query("x"));
  CHECK(valid_utf8(a));
  CHECK(word_count(a) == 31);

  std::string blob;
  for (int i = 0; i < 5000; ++i) blob += "é";  // one 10 000-byte word without white space
  const std::string b = make_snippet(blob, parse_query("x"));
  CHECK(valid_utf8(b));
  CHECK(b.size() < 100);
  CHECK(b.substr(b.size() - kEllipsis.size()) == kEllipsis);

  const std::string c = make_snippet("bad \xFF\xC3 bytes \xE2\x82", parse_query("bytes"));
  CHECK(valid_utf8(c));
  CHECK(c.find("bytes") != std::string::npos);
}

}  // namespace storage
