#include "mcp/cursor.h"

#include <charconv>

namespace mcp {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

unsigned byte_at(std::string_view s, size_t i) {
  return static_cast<unsigned>(static_cast<unsigned char>(s[i]));
}

std::string base64_encode(std::string_view in) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (byte_at(in, i) << 16u) | (byte_at(in, i + 1) << 8u) | byte_at(in, i + 2);
    out += kAlphabet[(v >> 18u) & 63u];
    out += kAlphabet[(v >> 12u) & 63u];
    out += kAlphabet[(v >> 6u) & 63u];
    out += kAlphabet[v & 63u];
  }
  const size_t rest = in.size() - i;
  if (rest > 0) {
    unsigned v = byte_at(in, i) << 16u;
    if (rest == 2) v |= byte_at(in, i + 1) << 8u;
    out += kAlphabet[(v >> 18u) & 63u];
    out += kAlphabet[(v >> 12u) & 63u];
    out += rest == 2 ? kAlphabet[(v >> 6u) & 63u] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
  if (in.empty() || in.size() % 4 != 0) return std::nullopt;
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  size_t padding = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '=') {
      if (i + 2 < in.size()) return std::nullopt;  // '=' only in the last two places
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;
    const size_t pos = kAlphabet.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6u) | static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFu);
    }
  }
  return out;
}

}  // namespace

std::string encode_cursor(std::string_view scope, size_t offset) {
  return base64_encode(std::string(scope) + ":" + std::to_string(offset));
}

std::optional<size_t> decode_cursor(std::string_view scope, std::string_view cursor) {
  const std::optional<std::string> text = base64_decode(cursor);
  if (!text || text->size() <= scope.size() + 1 || text->compare(0, scope.size(), scope) != 0 ||
      (*text)[scope.size()] != ':') {
    return std::nullopt;
  }
  const char* first = text->data() + scope.size() + 1;
  const char* last = text->data() + text->size();
  size_t offset = 0;
  const auto [ptr, ec] = std::from_chars(first, last, offset);
  if (ec != std::errc() || ptr != last) return std::nullopt;
  return offset;
}

}  // namespace mcp
