// One libpq connection to the team store's PostgreSQL server (issue 14), RAII over PGconn.
//
// Statements are constant text of our own: `Sql` only accepts a compile-time constant, so SQL is
// never built from user text; every value travels as a parameter ($1, $2, ...) of PQexecParams,
// which sends it apart from the statement (no quoting, no escaping, no injection). A text value
// holding a NUL byte is refused before it is sent (PostgreSQL text cannot hold one); binary values
// (Param::bytes) go as bytea.
//
// Session settings, applied at connect and after every reconnect: statement_timeout, lock_timeout
// and idle_in_transaction_session_timeout (no call hangs), synchronous_commit = on (acknowledged =
// committed, whatever the server's default), application_name "ooc" unless the setting or
// PGAPPNAME names one. connect_timeout bounds the connect itself (a value in the URL wins).
//
// Failures are Status values (pg_error.h): every message names the server and its SQLSTATE.
// Not thread-safe: one thread at a time per Connection (libpq's rule).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/pg/pg_error.h"
#include "storage/pg/storage_url.h"
#include "storage/status.h"

struct pg_conn;
struct pg_result;

namespace storage::pg {

// A statement's text: a string literal (or another constant expression), never a runtime string.
class Sql {
 public:
  consteval Sql(const char* text) : text_(text) {}  // NOLINT: implicit from literals by design
  const char* c_str() const { return text_; }

 private:
  const char* text_;
};

// One statement parameter: text (the statement casts it: "$1::bigint"), NULL, or bytea.
class Param {
 public:
  Param(std::string text) : value_(std::move(text)) {}          // NOLINT: implicit by design
  Param(std::string_view text) : value_(std::string(text)) {}   // NOLINT
  Param(const char* text) : value_(std::string(text)) {}        // NOLINT
  static Param null() { return Param(); }
  static Param integer(int64_t value) { return Param(std::to_string(value)); }
  static Param boolean(bool value) { return Param(std::string(value ? "true" : "false")); }
  static Param bytes(std::string value) {
    Param p(std::move(value));
    p.binary_ = true;
    return p;
  }
  const std::optional<std::string>& value() const { return value_; }
  bool binary() const { return binary_; }

 private:
  Param() = default;
  std::optional<std::string> value_;
  bool binary_ = false;
};
using Params = std::vector<Param>;

// The rows of one statement's result (text format), owning the PGresult.
class Rows {
 public:
  Rows() = default;
  size_t size() const;
  size_t columns() const;
  bool is_null(size_t row, size_t column) const;
  // The value as text; "" for NULL.
  std::string_view text(size_t row, size_t column) const;
  // The value as an integer; nullopt for NULL or text that is not one.
  std::optional<int64_t> integer(size_t row, size_t column) const;
  // Rows an INSERT, UPDATE or DELETE touched (PQcmdTuples); 0 for other statements.
  int64_t affected() const;

 private:
  friend class Connection;
  struct Clear {
    void operator()(pg_result* result) const;
  };
  explicit Rows(pg_result* result) : result_(result) {}
  std::unique_ptr<pg_result, Clear> result_;
};

struct SessionSettings {
  std::chrono::seconds connect_timeout{10};
  std::chrono::milliseconds statement_timeout{30'000};
  std::chrono::milliseconds lock_timeout{10'000};
  std::chrono::milliseconds idle_in_transaction_timeout{60'000};
};

class Connection {
 public:
  // Connects and applies `settings`. io_error "cannot connect to PostgreSQL server ...: <libpq's
  // reason> (SQLSTATE 08001); nothing was applied" when the server cannot be reached.
  static Result<std::unique_ptr<Connection>> open(const StorageUrl& url, const SessionSettings& settings = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with `params`; its rows (none for statements that return none).
  Result<Rows> query(Sql sql, const Params& params = {});
  Status execute(Sql sql, const Params& params = {});
  // Runs a constant script of several statements (PQexec: no parameters; migrations only).
  Status execute_script(Sql script);

  // Drops the connection and connects again (PQreset), applying the settings again.
  Status reconnect();
  // True while the connection is usable (PQstatus is CONNECTION_OK).
  bool connected() const;
  // True inside a transaction block (BEGIN ... COMMIT), failed or not.
  bool in_transaction() const;
  // The server process of this session (pg_terminate_backend takes it).
  int backend_pid() const;
  // "PostgreSQL server host /run/pg port 5432 dbname ooc": how messages name the server.
  const std::string& server() const { return server_; }

 private:
  friend class Transaction;
  struct Finish {
    void operator()(pg_conn* conn) const;
  };
  Connection(pg_conn* conn, SessionSettings settings);
  Status apply_settings();
  // True inside a transaction block in which a statement failed (PQTRANS_INERROR).
  bool transaction_failed() const;
  // One PQexecParams; `on_loss` says what a lost connection did to the call.
  Result<Rows> run(const char* sql, const Params& params, LostCall on_loss);
  Status check(const pg_result* result, LostCall on_loss);

  std::unique_ptr<pg_conn, Finish> conn_;
  SessionSettings settings_;
  std::string server_;
};

}  // namespace storage::pg
