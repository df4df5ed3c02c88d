// Text analysis for ranked search: see analyzer.h for the rules.
#include "storage/search/analyzer.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <unordered_set>

namespace storage {
namespace {

enum class Cls : uint8_t { kSeparator, kConnector, kLower, kUpper, kDigit, kOther };
enum class Kind : uint8_t { kPiece, kPart, kWhole, kComponent };

struct CodePoint {
  int32_t cp;
  uint32_t begin;  // byte offsets into the normalised text
  uint32_t end;
  Cls cls;
};

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_connector(int32_t cp) {
  return cp == '-' || cp == '_' || cp == '.' || cp == '/' || cp == ':' || cp == '\\';
}

Cls classify(int32_t cp) {
  if (cp < 0x80) {
    if (cp >= 'a' && cp <= 'z') return Cls::kLower;
    if (cp >= 'A' && cp <= 'Z') return Cls::kUpper;
    if (cp >= '0' && cp <= '9') return Cls::kDigit;
    return is_connector(cp) ? Cls::kConnector : Cls::kSeparator;
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LL: return Cls::kLower;
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT: return Cls::kUpper;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return Cls::kDigit;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return Cls::kOther;
    default: return Cls::kSeparator;
  }
}

bool is_alnum(Cls cls) { return cls != Cls::kSeparator && cls != Cls::kConnector; }

// Runs utf8proc_map; nullopt when it fails (invalid input or out of memory).
bool map_utf8(std::string_view text, int options, std::string& out) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                          static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                                          static_cast<utf8proc_option_t>(options));
  if (n < 0 || mapped == nullptr) {
    std::free(mapped);
    return false;
  }
  out.assign(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
  return true;
}

// Valid UTF-8 with every invalid byte replaced by `replacement`.
std::string sanitize_utf8(std::string_view text, std::string_view replacement) {
  std::string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n <= 0) {
      out.append(replacement);
      ++i;
      continue;
    }
    out.append(text.substr(i, static_cast<size_t>(n)));
    i += static_cast<size_t>(n);
  }
  return out;
}

constexpr int kNfkc = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_IGNORE;

// NFKC of `text` (invalid bytes become spaces). ASCII text is returned unchanged.
std::string normalize(std::string_view text) {
  if (is_ascii(text)) return std::string(text);
  std::string clean = sanitize_utf8(text, " ");
  std::string out;
  return map_utf8(clean, kNfkc, out) ? out : clean;
}

std::string fold(std::string_view text) {
  std::string out;
  if (is_ascii(text)) {
    out.assign(text);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  if (!map_utf8(text, kNfkc | UTF8PROC_CASEFOLD, out)) out.assign(text);
  return out;
}

void cap_term(std::string& term) {
  if (term.size() <= Analyzer::kMaxTermBytes) return;
  size_t cut = Analyzer::kMaxTermBytes;
  while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
  term.resize(cut);
}

void decode(std::string_view text, std::vector<CodePoint>& cps) {
  cps.clear();
  cps.reserve(text.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    int32_t cp = 0;
    utf8proc_ssize_t n = 1;
    if (p[i] < 0x80) {
      cp = p[i];
    } else {
      n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
      if (n <= 0) { n = 1; cp = ' '; }
    }
    const auto begin = static_cast<uint32_t>(i);
    i += static_cast<size_t>(n);
    cps.push_back({cp, begin, static_cast<uint32_t>(i), classify(cp)});
  }
}

// True when a new part starts at cps[i] inside the piece [.., end).
bool part_boundary(const std::vector<CodePoint>& cps, size_t i, size_t end) {
  const Cls prev = cps[i - 1].cls;
  const Cls cur = cps[i].cls;
  if (cur != Cls::kUpper) return false;
  if (prev == Cls::kLower || prev == Cls::kDigit) return true;  // tokenizeUtf8, utf8Proc
  if (prev != Cls::kUpper || i + 1 >= end || cps[i + 1].cls != Cls::kLower) return false;
  // HTTPServer -> HTTP|Server, but a plural acronym (URLs, IDs) stays whole.
  const bool plural = cps[i + 1].cp == 's' && (i + 2 == end || cps[i + 2].cls != Cls::kLower);
  return !plural;
}

bool has_digit(std::string_view folded) {
  return std::any_of(folded.begin(), folded.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

struct Analyzer::Impl {
  mutable std::mutex mutex;  // Snowball stemmers are not thread-safe
  sb_stemmer* stemmer = sb_stemmer_new("english", nullptr);

  ~Impl() { sb_stemmer_delete(stemmer); }

  std::string stem(std::string folded) const {
    if (stemmer == nullptr || folded.size() < 3 || has_digit(folded)) return folded;
    std::lock_guard<std::mutex> lock(mutex);
    const sb_symbol* s = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(folded.data()),
                                         static_cast<int>(folded.size()));
    if (s == nullptr) return folded;
    return std::string(reinterpret_cast<const char*>(s), static_cast<size_t>(sb_stemmer_length(stemmer)));
  }

  // The chunks of `text` (see analyzer.h), as views into `text` when it is ASCII, else into
  // `buffer`, which then holds its NFKC form.
  static void split(std::string_view raw, std::string& buffer, std::vector<std::string_view>& chunks) {
    chunks.clear();
    std::string_view text = raw;
    if (!is_ascii(raw)) {
      buffer = normalize(raw);
      text = buffer;
    }
    size_t i = 0;
    const size_t n = text.size();
    while (i < n) {
      // A run of non-separators; its chunk spans its first to its last alnum code point.
      size_t first = SIZE_MAX;
      size_t last_end = 0;
      while (i < n) {
        size_t next = i + 1;
        Cls cls = Cls::kSeparator;
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
          cls = classify(byte);
        } else {
          int32_t cp = 0;
          const utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()) + i,
                                                        static_cast<utf8proc_ssize_t>(n - i), &cp);
          if (len > 0) {
            next = i + static_cast<size_t>(len);
            cls = classify(cp);
          }
        }
        if (cls == Cls::kSeparator) {
          i = next;
          if (first != SIZE_MAX) break;
          continue;
        }
        if (is_alnum(cls)) {
          if (first == SIZE_MAX) first = i;
          last_end = next;
        }
        i = next;
      }
      if (first != SIZE_MAX) chunks.push_back(text.substr(first, last_end - first));
    }
  }

  // Calls sink(term, kind, folded_unstemmed, chunk_number) for every term of `text`.
  template <typename Sink>
  void analyze(std::string_view raw, Sink&& sink) const {
    std::string buffer;
    std::vector<std::string_view> chunks;
    split(raw, buffer, chunks);
    std::vector<CodePoint> cps;
    for (size_t c = 0; c < chunks.size(); ++c) analyze_chunk(chunks[c], c, cps, sink);
  }

  // The terms of one chunk from split(): its analysis depends on its bytes only.
  template <typename Sink>
  void analyze_chunk(std::string_view text, size_t chunk_number, std::vector<CodePoint>& cps, Sink&& sink) const {
    decode(text, cps);
    auto bytes = [&](size_t from, size_t to) {  // code point range -> text
      return text.substr(cps[from].begin, cps[to - 1].end - cps[from].begin);
    };
    auto emit = [&](std::string folded, Kind kind) {
      cap_term(folded);
      std::string term = (kind == Kind::kPiece || kind == Kind::kPart) ? stem(folded) : folded;
      sink(std::move(term), kind, folded, chunk_number);
    };
    const size_t i = 0;
    const size_t end = cps.size();
    size_t pieces = 0;
    for (size_t p = i; p < end;) {
      size_t q = p;
      while (q < end && is_alnum(cps[q].cls)) ++q;
      emit(fold(bytes(p, q)), Kind::kPiece);
      ++pieces;
      size_t parts = 0;
      size_t part_start = p;
      for (size_t k = p + 1; k < q; ++k) {
        if (!part_boundary(cps, k, q)) continue;
        emit(fold(bytes(part_start, k)), Kind::kPart);
        ++parts;
        part_start = k;
      }
      if (parts > 0) emit(fold(bytes(part_start, q)), Kind::kPart);
      p = q;
      while (p < end && !is_alnum(cps[p].cls)) ++p;
    }
    auto emit_wholes = [&](size_t to) {
      emit(fold(bytes(i, to)), Kind::kWhole);
      emit_components(cps, i, to, [&](size_t from, size_t component_end) {
        emit(fold(bytes(from, component_end)), Kind::kComponent);
      });
    };
    if (pieces > 1) emit_wholes(end);
    // `lex.cpp:42`: a trailing line number; the path must also be found without it.
    if (const size_t colon = line_suffix(cps, i, end); colon != 0) emit_wholes(colon);
  }

  // The position of the ':' of a trailing ":<digits>" after a letter and at least two pieces, else 0.
  static size_t line_suffix(const std::vector<CodePoint>& cps, size_t begin, size_t end) {
    size_t k = end;
    while (k > begin && cps[k - 1].cls == Cls::kDigit && cps[k - 1].cp < 0x80) --k;
    if (k == end || k < begin + 2 || cps[k - 1].cp != ':' || cps[k - 2].cls == Cls::kDigit ||
        !is_alnum(cps[k - 2].cls)) {
      return 0;
    }
    size_t pieces = 1;
    for (size_t j = begin + 1; j < k - 1; ++j) {
      if (is_alnum(cps[j].cls) && !is_alnum(cps[j - 1].cls)) ++pieces;
    }
    return pieces > 1 ? k - 1 : 0;
  }

  // Calls on_component(from, to) for each '/'-separated component of [begin, end) that has
  // several pieces, when the chunk has at least two components.
  template <typename F>
  static void emit_components(const std::vector<CodePoint>& cps, size_t begin, size_t end, F&& on_component) {
    auto is_slash = [](int32_t cp) { return cp == '/' || cp == '\\'; };
    if (std::none_of(cps.begin() + static_cast<std::ptrdiff_t>(begin), cps.begin() + static_cast<std::ptrdiff_t>(end),
                     [&](const CodePoint& c) { return is_slash(c.cp); })) {
      return;
    }
    size_t from = begin;
    while (from < end) {
      while (from < end && !is_alnum(cps[from].cls)) ++from;
      size_t to = from;
      size_t last_alnum = from;
      bool inner_connector = false;
      while (to < end && !is_slash(cps[to].cp)) {
        if (is_alnum(cps[to].cls)) {
          if (to > from && !is_alnum(cps[to - 1].cls)) inner_connector = true;
          last_alnum = to;
        }
        ++to;
      }
      if (from < end && inner_connector) on_component(from, last_alnum + 1);
      from = to;
    }
  }
};

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;

void Analyzer::split_chunks(std::string_view text, std::string& buffer, std::vector<std::string_view>& chunks) const {
  Impl::split(text, buffer, chunks);
}

void Analyzer::chunk_terms(std::string_view chunk, std::vector<std::string>& out) const {
  std::vector<CodePoint> cps;
  impl_->analyze_chunk(chunk, 0, cps, [&](std::string&& term, Kind, const std::string&, size_t) {
    out.push_back(std::move(term));
  });
}

void Analyzer::index_terms(std::string_view text, std::vector<std::string>& out) const {
  impl_->analyze(text, [&](std::string&& term, Kind, const std::string&, size_t) { out.push_back(std::move(term)); });
}

std::vector<std::string> Analyzer::query_terms(std::string_view text) const {
  std::vector<std::string> kept;
  std::vector<std::string> stop;
  impl_->analyze(text, [&](std::string&& term, Kind kind, const std::string& folded, size_t) {
    const bool is_stop = (kind == Kind::kPiece || kind == Kind::kPart) && is_stop_word(folded);
    std::vector<std::string>& into = is_stop ? stop : kept;
    if (std::find(into.begin(), into.end(), term) == into.end()) into.push_back(std::move(term));
  });
  return kept.empty() ? stop : kept;
}

std::vector<std::string> Analyzer::term_set(std::string_view text) const {
  std::vector<std::string> out;
  impl_->analyze(text, [&](std::string&& term, Kind kind, const std::string& folded, size_t) {
    if ((kind == Kind::kPiece || kind == Kind::kPart) && is_stop_word(folded)) return;
    out.push_back(std::move(term));
  });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> Analyzer::primary_terms(std::string_view text) const {
  std::vector<std::string> out;
  size_t current_chunk = SIZE_MAX;
  impl_->analyze(text, [&](std::string&& term, Kind kind, const std::string&, size_t chunk) {
    if (kind == Kind::kPiece && chunk != current_chunk) {
      out.push_back(std::move(term));  // provisional: replaced by the whole chunk if one follows
      current_chunk = chunk;
    } else if (kind == Kind::kWhole) {
      out.back() = std::move(term);
    }
  });
  return out;
}

std::vector<std::string> Analyzer::piece_terms(std::string_view text) const {
  std::vector<std::string> out;
  impl_->analyze(text, [&](std::string&& term, Kind kind, const std::string&, size_t) {
    if (kind == Kind::kPiece && std::find(out.begin(), out.end(), term) == out.end()) out.push_back(std::move(term));
  });
  return out;
}

// NLTK's English stop-word list (nltk_data corpora/stopwords/english, 179 words, contractions
// included even though the analyzer splits them at the apostrophe), plus "could", "would" and "us"
// of the list this replaced. Questions are full of these; they rank nothing.
bool is_stop_word(std::string_view folded_word) {
  static const std::unordered_set<std::string_view> kStopWords = {
      "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "you're", "you've", "you'll",
      "you'd", "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "she's",
      "her", "hers", "herself", "it", "it's", "its", "itself", "they", "them", "their", "theirs",
      "themselves", "what", "which", "who", "whom", "this", "that", "that'll", "these", "those", "am",
      "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does",
      "did", "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while",
      "of", "at", "by", "for", "with", "about", "against", "between", "into", "through", "during",
      "before", "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
      "under", "again", "further", "then", "once", "here", "there", "when", "where", "why", "how", "all",
      "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only",
      "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "don't",
      "should", "should've", "now", "d", "ll", "m", "o", "re", "ve", "y", "ain", "aren", "aren't",
      "couldn", "couldn't", "didn", "didn't", "doesn", "doesn't", "hadn", "hadn't", "hasn", "hasn't",
      "haven", "haven't", "isn", "isn't", "ma", "mightn", "mightn't", "mustn", "mustn't", "needn",
      "needn't", "shan", "shan't", "shouldn", "shouldn't", "wasn", "wasn't", "weren", "weren't", "won",
      "won't", "wouldn", "wouldn't", "could", "would", "us"};
  return kStopWords.count(folded_word) != 0;
}

std::string fold_for_match(std::string_view text) {
  if (is_ascii(text)) {  // one pass: lower case, whitespace runs to one space (same as below)
    std::string out;
    out.reserve(text.size());
    bool in_space = false;
    for (char c : text) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        if (!in_space) out.push_back(' ');
        in_space = true;
      } else {
        out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        in_space = false;
      }
    }
    return out;
  }
  const std::string folded = fold(sanitize_utf8(text, "\xEF\xBF\xBD"));
  std::string out;
  out.reserve(folded.size());
  bool in_space = false;
  for (char c : folded) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (space) {
      if (!in_space) out.push_back(' ');
      in_space = true;
    } else {
      out.push_back(c);
      in_space = false;
    }
  }
  return out;
}

namespace {

// The class of the code point that ends just before byte `pos` / starts at byte `pos`.
Cls class_before(std::string_view s, size_t pos) {
  if (pos == 0) return Cls::kSeparator;
  size_t start = pos - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  std::vector<CodePoint> cps;
  decode(s.substr(start, pos - start), cps);
  return cps.empty() ? Cls::kSeparator : cps.front().cls;
}

Cls class_at(std::string_view s, size_t pos) {
  if (pos >= s.size()) return Cls::kSeparator;
  size_t end = pos + 1;
  while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
  std::vector<CodePoint> cps;
  decode(s.substr(pos, end - pos), cps);
  return cps.empty() ? Cls::kSeparator : cps.front().cls;
}

}  // namespace

bool contains_phrase(std::string_view haystack, std::string_view phrase) {
  if (phrase.empty()) return false;
  const bool starts_alnum = is_alnum(class_at(phrase, 0));
  const bool ends_alnum = is_alnum(class_before(phrase, phrase.size()));
  for (size_t pos = haystack.find(phrase); pos != std::string_view::npos; pos = haystack.find(phrase, pos + 1)) {
    if (starts_alnum && is_alnum(class_before(haystack, pos))) continue;
    if (ends_alnum && is_alnum(class_at(haystack, pos + phrase.size()))) continue;
    return true;
  }
  return false;
}

}  // namespace storage
