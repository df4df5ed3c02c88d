// OUT_OF_CONTEXT_STORAGE_URL for the PostgreSQL engine (issue 14): what selects it and where it
// connects. Accepted: libpq's URLs (`postgresql://` or `postgres://`) and key=value connection
// strings, `service=<name>` (pg_service.conf) included; libpq's own parser (PQconninfoParse)
// decides what is valid.
//
// Credentials come only from libpq's own sources: ~/.pgpass or PGPASSFILE, a service file, client
// certificates (sslcert/sslkey), PG* variables. A password inside the setting (`user:secret@` in
// a URL, `password=` or `sslpassword=` in either form) is refused, and no message ever repeats it.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "storage/status.h"

namespace storage::pg {

inline constexpr std::string_view kStorageUrlVariable = "OUT_OF_CONTEXT_STORAGE_URL";

struct StorageUrl {
  std::string conninfo;     // the setting as given: what libpq connects with (holds no password)
  std::string description;  // for messages: "host /run/pg port 5432 dbname ooc", "service ooc"
};

// True when `text` is meant for the PostgreSQL engine: a postgresql:// or postgres:// URL, or a
// key=value connection string (it holds a '='). Anything else is not a PostgreSQL setting.
bool looks_like_postgres_url(std::string_view text);

// The checked setting, or invalid_argument naming OUT_OF_CONTEXT_STORAGE_URL: an empty or
// unparseable setting (with libpq's reason), or a password inside it (saying where credentials go).
Result<StorageUrl> parse_storage_url(const std::string& text);

// `text` with the values of password and sslpassword (URL user info, URL query parameters,
// key=value pairs) replaced by "***". What messages quote instead of the setting itself.
std::string redact_storage_url(std::string_view text);

}  // namespace storage::pg
