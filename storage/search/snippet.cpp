// Search-result snippets: see snippet.h.
#include "storage/search/snippet.h"

#include <utf8proc.h>

#include <algorithm>
#include <utility>

#include "storage/search/analyzer.h"

namespace storage {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026
constexpr size_t kMaxWordBytes = 64;  // one huge "word" (a base64 blob) must not fill a result

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    const size_t begin = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > begin) words.push_back(text.substr(begin, i - begin));
  }
  return words;
}

// Appends `word` as valid UTF-8 (invalid bytes become U+FFFD), cut after kMaxWordBytes with "…".
void append_word(std::string& out, std::string_view word) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(word.data());
  size_t i = 0;
  while (i < word.size()) {
    int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(word.size() - i), &cp);
    const size_t length = n > 0 ? static_cast<size_t>(n) : 1;
    if (i + length > kMaxWordBytes) {
      out.append(kEllipsis);
      return;
    }
    if (n > 0) {
      out.append(word.substr(i, length));
    } else {
      out.append("\xEF\xBF\xBD");
    }
    i += length;
  }
}

bool is_ascii_text(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

struct Hit {
  size_t word;
  size_t term;
};

// The first word of the window of `width` words holding the most distinct query terms (then the
// most matches, then the earliest), centred on the matches it holds.
size_t best_window(const std::vector<Hit>& hits, size_t term_count, size_t word_count, size_t width) {
  std::vector<size_t> counts(term_count, 0);
  size_t distinct = 0;
  size_t best_distinct = 0;
  size_t best_total = 0;
  size_t best_first = 0;
  size_t best_last = 0;
  size_t right = 0;
  for (size_t left = 0; left < hits.size(); ++left) {
    while (right < hits.size() && hits[right].word < hits[left].word + width) {
      if (counts[hits[right].term]++ == 0) ++distinct;
      ++right;
    }
    const size_t total = right - left;
    if (distinct > best_distinct || (distinct == best_distinct && total > best_total)) {
      best_distinct = distinct;
      best_total = total;
      best_first = hits[left].word;
      best_last = hits[right - 1].word;
    }
    if (--counts[hits[left].term] == 0) --distinct;
  }
  const size_t middle = (best_first + best_last) / 2;
  const size_t start = middle > width / 2 ? middle - width / 2 : 0;
  return std::min(start, word_count > width ? word_count - width : 0);
}

}  // namespace

std::string make_snippet(std::string_view text, const ParsedQuery& query, size_t max_words) {
  static const Analyzer analyzer;
  const size_t width = std::max<size_t>(max_words, 1);
  const std::vector<std::string_view> words = split_words(text);

  std::string all_words;  // analyzed together, so stop words go as they do in search
  for (const std::string& word : query.words) all_words.append(word).push_back(' ');
  for (const std::string& phrase : query.phrases) all_words.append(phrase).push_back(' ');
  for (const std::string& phrase : query.required_phrases) all_words.append(phrase).push_back(' ');
  const std::vector<std::string> terms = analyzer.query_terms(all_words);

  std::vector<Hit> hits;
  if (!terms.empty() && words.size() > width) {
    // An ASCII word can yield a term only if it contains the term's first two letters: terms are
    // (stemmed) pieces of the folded word, and stemming keeps the first two. Analysing only
    // those words makes a page of 100 snippets several times cheaper (issue 9).
    std::vector<std::string> heads;
    bool all_ascii_heads = true;
    for (const std::string& term : terms) {
      heads.push_back(term.substr(0, 2));
      if (!is_ascii_text(heads.back())) all_ascii_heads = false;
    }
    std::string lowered;
    std::vector<std::string> word_terms;
    for (size_t w = 0; w < words.size(); ++w) {
      if (all_ascii_heads && is_ascii_text(words[w])) {
        lowered.assign(words[w]);
        for (char& c : lowered) {
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        if (std::none_of(heads.begin(), heads.end(),
                         [&](const std::string& head) { return lowered.find(head) != std::string::npos; })) {
          continue;
        }
      }
      word_terms.clear();
      analyzer.index_terms(words[w], word_terms);
      for (size_t t = 0; t < terms.size(); ++t) {
        if (std::find(word_terms.begin(), word_terms.end(), terms[t]) != word_terms.end()) hits.push_back({w, t});
      }
    }
  }
  const size_t start = hits.empty() ? 0 : best_window(hits, terms.size(), words.size(), width);
  const size_t end = std::min(words.size(), start + width);

  std::string out;
  if (start > 0) out.append(kEllipsis).push_back(' ');
  for (size_t w = start; w < end; ++w) {
    if (w > start) out.push_back(' ');
    append_word(out, words[w]);
  }
  if (end < words.size()) out.append(" ").append(kEllipsis);
  return out;
}

}  // namespace storage
