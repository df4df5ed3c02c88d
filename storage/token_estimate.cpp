#include "storage/token_estimate.h"

#include <algorithm>
#include <cstddef>

// The rules and their figures are documented in token_estimate.h and storage/FORMAT.md. They
// were measured with the real cl100k_base tokenizer on ~2 MB of text unrelated to the test corpus
// (Debian documentation and man pages, C/C++ headers, the Python standard library, npm packages,
// system logs); tests/storage/token_accuracy_test.cpp checks them against tests/tokens/.

namespace storage {
namespace {

// Costs are counted in 1/40 token so that every rule below is an exact integer.
constexpr int64_t kUnit = 40;
constexpr int64_t kLowerHumpFree = 5;   // letters of a lowercase/Capitalized hump within 1 token
constexpr int64_t kLowerHumpStep = 4;   // +1/10 token per letter past that
constexpr int64_t kUpperHumpStep = 8;   // ALL-CAPS hump: +1/5 token per letter past 2
constexpr int64_t kGlued = 12;          // +0.3: a word glued to a symbol (`.get`, `_id`, `(self`)
constexpr int64_t kCapNoSpace = 12;     // +0.3: a capitalized word with no space before it
constexpr int64_t kAccented = 40;       // +1 per accented Latin letter (U+0080..U+024F)
constexpr int64_t kOtherScript = 20;    // 1/2 per Greek, Cyrillic, Hebrew, Arabic... letter
constexpr int64_t kCjk = 40;            // 1 per CJK, kana or Hangul character
constexpr int64_t kSpacesPerToken = 64; // cl100k holds runs of spaces whole

enum class Kind { kLetter, kDigit, kSpace, kNewline, kSymbol };

struct CodePoint {
  char32_t value;
  size_t size;
  Kind kind;
};

constexpr Kind ascii_kind(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return Kind::kLetter;
  if (c >= '0' && c <= '9') return Kind::kDigit;
  if (c == '\n' || c == '\r') return Kind::kNewline;
  if (c == ' ' || c == '\t' || c == '\f' || c == '\v') return Kind::kSpace;
  return Kind::kSymbol;
}

struct AsciiKinds {
  Kind kinds[128];
  constexpr AsciiKinds() : kinds() {
    for (int c = 0; c < 128; ++c) kinds[c] = ascii_kind(static_cast<unsigned char>(c));
  }
};
constexpr AsciiKinds kAsciiKinds;

// Unicode classes as cl100k's \p{L}, \p{N} and \s see them, coarsely: symbol blocks, a few
// Latin-1 digits and spaces, and everything else above ASCII a letter.
Kind kind_of(char32_t cp) {
  if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x3000) return Kind::kSpace;
  if (cp == 0xB2 || cp == 0xB3 || cp == 0xB9 || (cp >= 0xBC && cp <= 0xBE)) return Kind::kDigit;
  if (cp == 0xAA || cp == 0xB5 || cp == 0xBA) return Kind::kLetter;
  if ((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
      (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F) || cp >= 0x1F000) {
    return Kind::kSymbol;
  }
  return Kind::kLetter;
}

// One UTF-8 code point at text[i]; a byte that starts no valid sequence is a 1-byte symbol.
CodePoint decode(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return {c, 1, kAsciiKinds.kinds[c]};
  size_t size = c >= 0xF8 ? 0 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (size == 0 || i + size > text.size()) return {c, 1, Kind::kSymbol};
  char32_t cp = c & (0x7F >> size);
  for (size_t k = 1; k < size; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0) != 0x80) return {c, 1, Kind::kSymbol};
    cp = (cp << 6) | (cc & 0x3F);
  }
  return {cp, size, kind_of(cp)};
}

bool is_upper(char32_t cp) { return cp >= 'A' && cp <= 'Z'; }
bool is_lower(char32_t cp) { return (cp >= 'a' && cp <= 'z') || (cp >= 0x80 && cp < 0x250); }

// A letter run split into humps the way identifiers are read: `getHTTPServer` is get|HTTP|Server.
class WordCost {
 public:
  void add(char32_t cp) {
    ++letters_;
    if (letters_ == 1) first_upper_ = is_upper(cp);
    if (is_upper(cp)) {
      if (hump_ > 0 && !upper_only_) close();
      if (hump_ == 0) upper_only_ = true;
      ++hump_;
    } else if (is_lower(cp)) {
      if (cp >= 0x80) cost_ += kAccented;
      if (hump_ > 1 && upper_only_) {  // HTTPServer: the S starts the next hump
        --hump_;
        close();
        hump_ = 1;
      }
      upper_only_ = false;
      ++hump_;
    } else {
      close();
      cost_ += cp >= 0x2E80 ? kCjk : kOtherScript;
    }
  }
  // `glued`: the word starts with a symbol (`.get`); `spaced`: with a space or tab.
  int64_t finish(bool glued, bool spaced) {
    close();
    if (glued && letters_ >= 2) cost_ += kGlued;
    if (!spaced && first_upper_ && letters_ >= 3) cost_ += kCapNoSpace;
    return std::max(cost_, kUnit);
  }

 private:
  void close() {
    if (hump_ == 0) return;
    if (upper_only_ && hump_ > 1) cost_ += kUnit + (hump_ - 2) * kUpperHumpStep;
    else cost_ += kUnit + std::max<int64_t>(0, hump_ - kLowerHumpFree) * kLowerHumpStep;
    hump_ = 0;
  }

  int64_t cost_ = 0;
  int64_t hump_ = 0;
  int64_t letters_ = 0;
  bool upper_only_ = false;
  bool first_upper_ = false;
};

class Estimator {
 public:
  explicit Estimator(std::string_view text) : text_(text) {}

  int64_t run() {
    while (i_ < text_.size()) step();
    const int64_t tokens = (units_ + kUnit / 2) / kUnit;
    return tokens == 0 && !text_.empty() ? 1 : tokens;
  }

 private:
  CodePoint at(size_t i) const { return decode(text_, i); }
  bool letter_at(size_t i) const { return i < text_.size() && at(i).kind == Kind::kLetter; }

  void step() {
    const CodePoint cp = at(i_);
    switch (cp.kind) {
      case Kind::kLetter: return word(false, false);
      case Kind::kDigit: return digits();
      case Kind::kSpace:
      case Kind::kNewline: return whitespace();
      case Kind::kSymbol:
        if (contraction()) return;
        if (letter_at(i_ + cp.size)) {  // [^\r\n\p{L}\p{N}]?\p{L}+: one symbol leads the word
          i_ += cp.size;
          return word(true, false);
        }
        return symbols();
    }
  }

  // (?i:'s|'t|'re|'ve|'m|'ll|'d): one token.
  bool contraction() {
    if (text_[i_] != '\'') return false;
    auto lower = [&](size_t k) { return i_ + k < text_.size() ? static_cast<char>(text_[i_ + k] | 0x20) : '\0'; };
    const char a = lower(1), b = lower(2);
    size_t len = 0;
    if (a == 's' || a == 't' || a == 'm' || a == 'd') len = 2;
    else if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) len = 3;
    if (len == 0) return false;
    i_ += len;
    units_ += kUnit;
    return true;
  }

  void word(bool glued, bool spaced) {
    WordCost cost;
    while (i_ < text_.size()) {
      const CodePoint cp = at(i_);
      if (cp.kind != Kind::kLetter) break;
      cost.add(cp.value);
      i_ += cp.size;
    }
    units_ += cost.finish(glued, spaced);
  }

  // \p{N}{1,3}: one token per group of up to 3 digits.
  void digits() {
    int64_t count = 0;
    while (i_ < text_.size()) {
      const CodePoint cp = at(i_);
      if (cp.kind != Kind::kDigit) break;
      ++count;
      i_ += cp.size;
    }
    units_ += (count + 2) / 3 * kUnit;
  }

  // ` ?[^\s\p{L}\p{N}]+[\r\n]*`: ASCII symbols merge (`();`, `->`, `://`): 1 token up to 2, then
  // 1/2 per symbol; a run of one repeated symbol (`-----`) +1/8 per symbol past 2; each non-ASCII
  // symbol (arrows, box drawing, emoji, quotes) 1 more.
  void symbols() {
    int64_t ascii = 0, other = 0;
    bool repeated = true;
    const char first = text_[i_];
    while (i_ < text_.size()) {
      const CodePoint cp = at(i_);
      if (cp.kind != Kind::kSymbol) break;
      if (cp.value < 0x80) {
        ++ascii;
        repeated = repeated && text_[i_] == first;
      } else {
        ++other;
      }
      i_ += cp.size;
    }
    while (i_ < text_.size() && (text_[i_] == '\n' || text_[i_] == '\r')) ++i_;
    int64_t cost = 0;
    if (ascii > 0 && ascii <= 2) cost = kUnit;
    else if (ascii > 2 && repeated) cost = kUnit + (ascii - 2) * kUnit / 8;
    else if (ascii > 2) cost = std::max(kUnit, ascii * kUnit / 2 - kUnit / 2);
    units_ += std::max(kUnit, cost + other * kUnit);
  }

  // `\s*[\r\n]+` is one token up to the last line break; the spaces after it (indentation) are
  // one token per 64, less the last one, which leads the next word or symbol run.
  void whitespace() {
    size_t end = i_, last_newline = std::string_view::npos;
    while (end < text_.size()) {
      const CodePoint cp = at(end);
      if (cp.kind == Kind::kNewline) last_newline = end;
      else if (cp.kind != Kind::kSpace) break;
      end += cp.size;
    }
    if (last_newline != std::string_view::npos) {
      units_ += kUnit;
      i_ = last_newline + 1;
      return;
    }
    int64_t spaces = 0;
    size_t last = i_;
    for (size_t k = i_; k < end; k += at(k).size) {
      ++spaces;
      last = k;
    }
    auto run = [](int64_t n) { return n <= 0 ? 0 : (n + kSpacesPerToken - 1) / kSpacesPerToken * kUnit; };
    if (end == text_.size()) {
      units_ += run(spaces);
      i_ = end;
    } else if (letter_at(end)) {
      units_ += run(spaces - 1);
      i_ = end;
      word(false, true);
    } else if (at(end).kind == Kind::kSymbol && text_[last] == ' ') {
      units_ += run(spaces - 1);
      i_ = end;
      symbols();
    } else {  // before a digit, or a tab before a symbol: the spaces stand alone
      units_ += spaces > 1 && at(end).kind == Kind::kDigit ? run(spaces - 1) + kUnit : run(spaces);
      i_ = end;
    }
  }

  std::string_view text_;
  size_t i_ = 0;
  int64_t units_ = 0;
};

}  // namespace

int64_t estimate_tokens(std::string_view text) { return Estimator(text).run(); }

}  // namespace storage
