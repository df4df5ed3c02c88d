#include "tools/cursor.h"

#include <array>

#include "mcp/json.h"

namespace tools {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 0x3Fu];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3Fu];
  return out;
}

bool base64url_decode(std::string_view text, std::string& out) {
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    size_t index = kAlphabet.find(c);
    if (index == std::string_view::npos) return false;
    buffer = (buffer << 6) | static_cast<uint32_t>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFFu);
    }
  }
  return true;
}

storage::Status bad_cursor() {
  return storage::Status::invalid_argument(
      "cursor: not a next_cursor returned by context_search_stashed; omit it to start from the first page");
}

}  // namespace

std::string fingerprint(std::string_view bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (size_t i = 0; i < 16; ++i) out[15 - i] = kHex[(hash >> (4 * i)) & 0xFu];
  return out;
}

std::string encode_cursor(size_t offset, const std::string& print) {
  mcp::Json payload = {{"o", offset}, {"q", print}};
  return base64url_encode(mcp::dump_compact(payload));
}

storage::Result<size_t> decode_cursor(std::string_view cursor, const std::string& print) {
  std::string decoded;
  if (!base64url_decode(cursor, decoded)) return bad_cursor();
  mcp::Json payload = mcp::Json::parse(decoded, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) return bad_cursor();
  auto offset = payload.find("o");
  auto query = payload.find("q");
  if (offset == payload.end() || !offset->is_number_unsigned() || query == payload.end() ||
      !query->is_string()) {
    return bad_cursor();
  }
  if (query->get<std::string>() != print) {
    return storage::Status::invalid_argument(
        "cursor: it belongs to a different query, filters, mode or project; repeat the original "
        "search or omit cursor to start from the first page");
  }
  return static_cast<size_t>(offset->get<uint64_t>());
}

}  // namespace tools
