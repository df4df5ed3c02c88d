#include "storage/token_estimate.h"

namespace storage {
namespace {

bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

int64_t estimate_tokens(std::string_view text) {
  int64_t tokens = 0;
  int64_t non_ascii = 0;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (is_alpha(c)) {
      size_t j = i;
      while (j < n && is_alpha(static_cast<unsigned char>(text[j]))) ++j;
      const size_t len = j - i;
      tokens += len <= 7 ? 1 : static_cast<int64_t>((len + 5) / 6);
      i = j;
    } else if (is_digit(c)) {
      size_t j = i;
      while (j < n && is_digit(static_cast<unsigned char>(text[j]))) ++j;
      tokens += static_cast<int64_t>((j - i + 2) / 3);
      i = j;
    } else if (is_space(c)) {
      bool newline = false;
      while (i < n && is_space(static_cast<unsigned char>(text[i]))) newline |= text[i++] == '\n';
      if (newline) ++tokens;
    } else if (c >= 0x80) {
      if ((c & 0xC0) != 0x80) ++non_ascii;  // count code points, not continuation bytes
      ++i;
    } else {
      ++tokens;
      ++i;
    }
  }
  tokens += (non_ascii + 1) / 2;
  return tokens == 0 && !text.empty() ? 1 : tokens;
}

}  // namespace storage
