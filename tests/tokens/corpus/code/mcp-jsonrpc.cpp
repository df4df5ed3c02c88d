#include "mcp/jsonrpc.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace mcp::jsonrpc {

bool is_valid_id(const Json& id) {
  return id.is_string() || id.is_number_integer();  // number_integer covers unsigned too
}

Json result_response(const Json& id, Json result) {
  Json reply = Json::object();
  reply["jsonrpc"] = "2.0";
  reply["id"] = id;
  reply["result"] = std::move(result);
  return reply;
}

Json error_response(const std::optional<Json>& id, int code, std::string message,
                    std::optional<Json> data) {
  Json error = Json::object();
  error["code"] = code;
  error["message"] = std::move(message);
  if (data) error["data"] = std::move(*data);
  Json reply = Json::object();
  reply["jsonrpc"] = "2.0";
  if (id) reply["id"] = *id;
  reply["error"] = std::move(error);
  return reply;
}

RawScan scan_raw(std::string_view line, size_t max_depth) {
  RawScan scan;
  size_t depth = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\') ++i;
      }
    } else if (c == '[' || c == '{') {
      ++scan.values;
      scan.depth = std::max(scan.depth, ++depth);
      if (depth > max_depth) return scan;
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    } else if (c == ',') {
      ++scan.values;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      const size_t start = i;
      bool exponent = false;
      while (i + 1 < line.size() && std::string_view("0123456789+-.eE").find(line[i + 1]) != std::string_view::npos) {
        exponent = exponent || line[i + 1] == 'e' || line[i + 1] == 'E';
        ++i;
      }
      const size_t length = i + 1 - start;
      // Only an exponent or more than 300 digits can leave a double's range (about 1.8e308).
      if (exponent || length > 300) {
        const std::string token(line.substr(start, length));
        if (std::isinf(std::strtod(token.c_str(), nullptr))) scan.overflowing.emplace_back(start, length);
      }
    }
  }
  return scan;
}

std::string without_overflowing_numbers(std::string_view line, const RawScan& scan) {
  std::string out;
  size_t done = 0;
  for (const auto& [offset, length] : scan.overflowing) {
    out.append(line.substr(done, offset - done));
    out.push_back('0');
    done = offset + length;
  }
  out.append(line.substr(done));
  return out;
}

namespace {

// Keeps only the top-level "id"; builds nothing else.
class IdReader final : public nlohmann::json_sax<Json> {
 public:
  std::optional<Json> id;

  bool null() override { return value(Json()); }
  bool boolean(bool v) override { return value(Json(v)); }
  bool number_integer(number_integer_t v) override { return value(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return value(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return value(Json(v)); }
  bool string(string_t& v) override { return value(Json(v)); }
  bool binary(binary_t&) override { return value(Json()); }
  bool start_object(std::size_t) override { return open(); }
  bool key(string_t& k) override {
    at_id_ = depth_ == 1 && k == "id";
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override {
    if (depth_ == 0) return false;  // a batch: no one id
    return open();
  }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool value(Json v) {
    if (at_id_ && depth_ == 1 && is_valid_id(v)) id = std::move(v);
    at_id_ = false;
    return true;
  }
  bool open() {
    at_id_ = false;
    return ++depth_ <= kMaxDepth;  // deeper is refused anyway: stop reading
  }
  bool close() {
    --depth_;
    return true;
  }
  static constexpr size_t kMaxDepth = 1024;
  size_t depth_ = 0;
  bool at_id_ = false;
};

}  // namespace

std::optional<Json> read_id(std::string_view line) {
  IdReader reader;
  try {
    Json::sax_parse(line, &reader);
  } catch (const std::exception&) {  // a SAX parse reports errors to parse_error, but be safe
  }
  return reader.id;
}

}  // namespace mcp::jsonrpc
