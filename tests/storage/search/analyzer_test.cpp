// Tests of storage/search/analyzer.h: tokenisation, identifiers, stemming, stop words, normalisation.
#include "storage/search/analyzer.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace storage {
namespace {

using Terms = std::vector<std::string>;

Terms index_terms(std::string_view text) {
  static const Analyzer analyzer;
  Terms out;
  analyzer.index_terms(text, out);
  return out;
}

struct Case {
  const char* input;
  Terms expected;
};

void check_table(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CHECK(index_terms(c.input) == c.expected);
  }
}

}  // namespace

TEST_CASE("analyzer: plain words are case-folded, split on punctuation and stemmed") {
  check_table({
      {"Hello, World!", {"hello", "world"}},
      {"Running tests   quickly", {"run", "test", "quick"}},
      {"configured configuration", {"configur", "configur"}},
      {"", {}},
      {"  ... ,,, !!! ", {}},
      {"trailing-dash- _leading", {"trail", "dash", "trailing-dash", "lead"}},
  });
}

TEST_CASE("analyzer: a dashed identifier is kept whole and split into its pieces") {
  check_table({
      {"ADR-016", {"adr", "016", "adr-016"}},
      {"see ADR-016.", {"see", "adr", "016", "adr-016"}},
      {"E_LOCK_TIMEOUT", {"e", "lock", "timeout", "e_lock_timeout"}},
  });
}

TEST_CASE("analyzer: a camelCase identifier is kept whole and split") {
  check_table({
      // Letters followed by digits stay together: utf8, sha256.
      {"TokenizeUtf8", {"tokenizeutf8", "token", "utf8"}},
      {"utf8Proc", {"utf8proc", "utf8", "proc"}},
      // An acronym ends before the capital that starts the next word; a plural acronym stays.
      {"HTTPServer", {"httpserver", "http", "server"}},
      {"URLs", {"url"}},
      {"parseJSONLines", {"parsejsonlin", "pars", "json", "line"}},
  });
}

TEST_CASE("analyzer: a file path is kept whole, with its file name and every component") {
  check_table({
      {"src/parser/lex.cpp", {"src", "parser", "lex", "cpp", "src/parser/lex.cpp", "lex.cpp"}},
      // A trailing line number: the path is also indexed without it.
      {"in src/parser/lex.cpp:42",
       {"in", "src", "parser", "lex", "cpp", "42", "src/parser/lex.cpp:42", "lex.cpp:42", "src/parser/lex.cpp",
        "lex.cpp"}},
      {"12:30:45", {"12", "30", "45", "12:30:45"}},
  });
}

TEST_CASE("analyzer: a C++ qualified name is kept whole and split at ::") {
  check_table({
      {"storage::Store::compact()", {"storag", "store", "compact", "storage::store::compact"}},
      {"storage::Store", {"storag", "store", "storage::store"}},
  });
}

TEST_CASE("analyzer: Unicode text is NFKC-normalised and case-folded") {
  check_table({
      {"ＦＵＬＬ ﬁle", {"full", "file"}},              // full-width letters, the fi ligature
      {"Straße CAFÉ", {"strass", "café"}},              // ß folds to ss; É to é
      {"cafe\xCC\x81", {"café"}},                       // combining accent composed (NFC)
      {"naïve—dash", {"naïv", "dash"}},                 // an em dash separates
      {"bad\xFF" "bytes", {"bad", "byte"}},             // invalid UTF-8 separates
  });
}

TEST_CASE("analyzer: a very long token is capped at a code point boundary") {
  const std::string long_word(300, 'x');
  const Terms terms = index_terms(long_word);
  REQUIRE(terms.size() == 1);
  CHECK(terms[0].size() == Analyzer::kMaxTermBytes);
  std::string accented;
  for (int i = 0; i < 100; ++i) accented += "\xC3\xA9";  // é: two bytes, cap falls mid-character
  accented += "z";
  const Terms capped = index_terms(accented);
  REQUIRE(capped.size() == 1);
  CHECK(capped[0].size() <= Analyzer::kMaxTermBytes);
  CHECK(capped[0].size() % 2 == 0);
}

TEST_CASE("analyzer: query terms drop stop words unless nothing else is left") {
  const Analyzer analyzer;
  CHECK(analyzer.query_terms("How do I configure the storage path?") == Terms{"configur", "storag", "path"});
  CHECK(analyzer.query_terms("what is it") == Terms{"what", "is", "it"});
  CHECK(analyzer.query_terms("the THE the") == Terms{"the"});
  CHECK(analyzer.query_terms("ADR-016 ADR-016") == Terms{"adr", "016", "adr-016"});
  CHECK(is_stop_word("the"));
  CHECK(is_stop_word("not"));  // NLTK's standard list drops negation too
  CHECK_FALSE(is_stop_word("storage"));
}

TEST_CASE("analyzer: primary terms are the most specific term of each chunk") {
  const Analyzer analyzer;
  CHECK(analyzer.primary_terms("ADR-016 TokenizeUtf8 parsers") == Terms{"adr-016", "tokenizeutf8", "parser"});
  CHECK(analyzer.piece_terms("adr-016 tokenizeutf8") == Terms{"adr", "016", "tokenizeutf8"});
}

TEST_CASE("analyzer: fold_for_match folds case and collapses white space") {
  CHECK(fold_for_match("Foo\n\t BAR  baz") == "foo bar baz");
  CHECK(fold_for_match("STRASSE Straße") == "strasse strasse");
  CHECK(fold_for_match("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
}

TEST_CASE("analyzer: contains_phrase matches at word boundaries only") {
  CHECK(contains_phrase("the lock timeout fired", "lock timeout"));
  CHECK_FALSE(contains_phrase("the lock timeouts fired", "lock timeout"));
  CHECK_FALSE(contains_phrase("a deadlock timeout", "lock timeout"));
  CHECK(contains_phrase("see src/parser/lex.cpp:42", "parser/lex.cpp"));
  CHECK(contains_phrase("x lock timeout", "lock timeout"));
  CHECK(contains_phrase("(café)", "café"));
  CHECK_FALSE(contains_phrase("cafés", "café"));
  CHECK_FALSE(contains_phrase("anything", ""));
}

TEST_CASE("analyzer: index terms are the concatenation of the terms of the chunks (what caches rely on)") {
  const Analyzer analyzer;
  const std::vector<std::string> texts = {
      "",
      "   ",
      "The quick brown fox jumps over the lazy dogs.",
      "-a- x--y --z-- ADR-016, src/parser/lex.cpp:42 storage::Store::compact E_LOCK_TIMEOUT",
      "TokenizeUtf8 HTTPServer URLs IDs sha256 utf8Proc a/b\\c.d:7 ::: ./.",
      "\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C \xEF\xAC\x81le Stra\xC3\x9F" "e \xC3\x89" "COLE na\xC3\xAFve \xE2\x91\xB4 caf\xC3\xA9:12",
      "foo\xFF\xFE" "bar \xC0 x\xE2\x80\x8By src/\xC3\x9Cn\xC3\xAF/Lex.cpp:42 e\xCC\x81t\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87-\xE5\xAD\x97",
      std::string(300, 'a') + "-" + std::string(200, 'B') + " end"};
  for (const std::string& text : texts) {
    Terms expected;
    analyzer.index_terms(text, expected);
    std::string buffer;
    std::vector<std::string_view> chunks;
    analyzer.split_chunks(text, buffer, chunks);
    Terms joined;
    for (std::string_view chunk : chunks) {
      Terms once;
      analyzer.chunk_terms(chunk, once);
      Terms again;  // a chunk analysed on its own gives the same terms
      analyzer.chunk_terms(std::string(chunk), again);
      CHECK(once == again);
      joined.insert(joined.end(), once.begin(), once.end());
    }
    CHECK(joined == expected);
  }
  std::string buffer;
  std::vector<std::string_view> chunks;
  analyzer.split_chunks(" -a- x--y, ::: lex.cpp:42 ", buffer, chunks);
  CHECK(chunks == std::vector<std::string_view>{"a", "x--y", "lex.cpp:42"});
}

}  // namespace storage
