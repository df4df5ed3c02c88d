#include "storage/pg/storage_url.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <utility>
#include <vector>

namespace storage::pg {
namespace {

constexpr std::string_view kMasked = "***";
constexpr std::string_view kWhereCredentialsGo =
    "put credentials in ~/.pgpass (or the file PGPASSFILE names), in a service file "
    "(service=<name>, see pg_service.conf), in client certificates (sslcert/sslkey), or in PG* "
    "variables such as PGPASSWORD, never in the setting";

bool is_secret_keyword(std::string_view keyword) { return keyword == "password" || keyword == "sslpassword"; }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

size_t uri_prefix_length(std::string_view text) {
  for (std::string_view prefix : {std::string_view("postgresql://"), std::string_view("postgres://")}) {
    if (starts_with(text, prefix)) return prefix.size();
  }
  return 0;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding as libpq does it for URL keywords (an invalid escape is kept as is).
std::string percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

using Range = std::pair<size_t, size_t>;  // [begin, end) of a secret value

// Secrets of a URL: the password of the user info (libpq: user info ends at the first '@' that
// comes before any '/'), and password / sslpassword query parameters.
void url_secrets(std::string_view text, size_t start, std::vector<Range>& out) {
  const size_t stop = text.find_first_of("@/", start);
  if (stop != std::string_view::npos && text[stop] == '@') {
    const size_t colon = text.find(':', start);
    if (colon < stop) out.emplace_back(colon + 1, stop);
  }
  const size_t query = text.find('?', start);
  if (query == std::string_view::npos) return;
  size_t at = query + 1;
  while (at <= text.size()) {
    size_t end = text.find('&', at);
    if (end == std::string_view::npos) end = text.size();
    const size_t equals = text.find('=', at);
    if (equals < end && is_secret_keyword(percent_decode(text.substr(at, equals - at)))) {
      out.emplace_back(equals + 1, end);
    }
    at = end + 1;
  }
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Secrets of a key=value string, tokenized as libpq's conninfo_parse does: keyword, optional
// blanks, '=', optional blanks, then a bare value up to a blank or a single-quoted one, with
// backslash escaping the next character in both.
void keyword_secrets(std::string_view text, std::vector<Range>& out) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    while (i < n && is_space(text[i])) ++i;
    if (i >= n) break;
    const size_t name_begin = i;
    while (i < n && text[i] != '=' && !is_space(text[i])) ++i;
    const std::string_view name = text.substr(name_begin, i - name_begin);
    while (i < n && is_space(text[i])) ++i;
    if (i >= n || text[i] != '=') return;  // malformed: libpq refuses it and says why
    ++i;
    while (i < n && is_space(text[i])) ++i;
    const size_t value_begin = i;
    if (i < n && text[i] == '\'') {
      for (++i; i < n && text[i] != '\''; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (i < n) ++i;
    } else {
      for (; i < n && !is_space(text[i]); ++i) {
        if (text[i] == '\\') ++i;
      }
    }
    i = std::min(i, n);
    if (is_secret_keyword(name)) out.emplace_back(value_begin, i);
  }
}

std::vector<Range> secrets_of(std::string_view text) {
  std::vector<Range> ranges;
  if (const size_t start = uri_prefix_length(text); start > 0) {
    url_secrets(text, start, ranges);
  } else {
    keyword_secrets(text, ranges);
  }
  return ranges;
}

struct OptionsDeleter {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using Options = std::unique_ptr<PQconninfoOption, OptionsDeleter>;

std::string first_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (const size_t nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
  return text;
}

// "host /run/pg port 5432 dbname ooc": the parsed keywords that say where, in a fixed order.
std::string describe(const PQconninfoOption* options) {
  std::string out;
  for (std::string_view keyword : {"service", "host", "hostaddr", "port", "dbname", "user"}) {
    for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
      if (keyword != o->keyword || o->val == nullptr || o->val[0] == '\0') continue;
      out += (out.empty() ? "" : " ") + std::string(keyword) + " " + o->val;
    }
  }
  return out.empty() ? "libpq defaults (PGHOST, PGPORT, PGDATABASE...)" : out;
}

Status invalid(std::string why) {
  return Status::invalid_argument(std::string(kStorageUrlVariable) + ": " + std::move(why));
}

}  // namespace

bool looks_like_postgres_url(std::string_view text) {
  return uri_prefix_length(text) > 0 || text.find('=') != std::string_view::npos;
}

std::string redact_storage_url(std::string_view text) {
  std::string out;
  size_t at = 0;
  for (const auto& [begin, end] : secrets_of(text)) {
    out.append(text.substr(at, begin - at));
    out.append(kMasked);
    at = end;
  }
  out.append(text.substr(at));
  return out;
}

Result<StorageUrl> parse_storage_url(const std::string& text) {
  if (text.empty()) return invalid("empty; set it to a postgresql:// URL or a libpq connection string");
  if (!looks_like_postgres_url(text)) {
    return invalid("not a PostgreSQL connection setting: expected postgresql://host/dbname, "
                   "postgres://..., or key=value pairs such as 'service=ooc' or 'host=/run/postgresql dbname=ooc'");
  }
  if (!secrets_of(text).empty()) {
    return invalid("holds a password, which is refused (the setting ends up in logs, process lists and shell "
                   "history); " + std::string(kWhereCredentialsGo));
  }
  char* error = nullptr;
  Options options(PQconninfoParse(text.c_str(), &error));
  if (!options) {
    std::string reason = error != nullptr ? first_line(error) : "out of memory";
    PQfreemem(error);
    return invalid("not a valid libpq connection string or URL: " + reason);
  }
  // The tokenizer above mirrors libpq's; libpq's own parse is the final word.
  for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (is_secret_keyword(o->keyword) && o->val != nullptr) {
      return invalid(std::string("holds a ") + o->keyword + ", which is refused; " + std::string(kWhereCredentialsGo));
    }
  }
  return StorageUrl{text, describe(options.get())};
}

}  // namespace storage::pg
