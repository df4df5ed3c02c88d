#include "storage/pg/connection.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "storage/pg/pg_error.h"

namespace storage::pg {
namespace {

// libpq's messages end in '\n' and may span lines ("...failed: No such file or directory\n\tIs
// the server running locally...?"): one line, blanks collapsed.
std::string one_line(const char* text) {
  std::string out;
  bool blank = false;
  for (const char* p = text == nullptr ? "" : text; *p != '\0'; ++p) {
    const bool space = *p == '\n' || *p == '\t' || *p == ' ' || *p == '\r';
    if (space) {
      blank = !out.empty();
      continue;
    }
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(*p);
  }
  return out;
}

// The lines of libpq's connection message, without its indented explanations ("\tThis probably
// means the server terminated abnormally..."), joined by "; "; `fallback` when it is empty.
std::string loss_reason(const char* connection_message, const std::string& fallback) {
  std::string out;
  const std::string text = connection_message == nullptr ? "" : connection_message;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(at, end - at);
    if (!line.empty() && line[0] != '\t') out += (out.empty() ? "" : "; ") + one_line(line.c_str());
    at = end + 1;
  }
  return out.empty() ? fallback : out;
}

std::string describe_server(const PGconn* conn, const StorageUrl& url) {
  const char* host = PQhost(conn);
  const char* port = PQport(conn);
  const char* db = PQdb(conn);
  if (host == nullptr || host[0] == '\0') return "PostgreSQL server (" + url.description + ")";
  std::string out = std::string("PostgreSQL server host ") + host;
  if (port != nullptr && port[0] != '\0') out += std::string(" port ") + port;
  if (db != nullptr && db[0] != '\0') out += std::string(" dbname ") + db;
  return out;
}

// Notices ("relation already exists, skipping") would go to stderr: stdout and stderr belong to
// the commands, so they are dropped.
void ignore_notice(void* /*arg*/, const char* /*message*/) {}

bool lost(const PGconn* conn, std::string_view state) {
  return PQstatus(conn) == CONNECTION_BAD || state.substr(0, 2) == "08" || state == sqlstate::kAdminShutdown ||
         state == sqlstate::kCrashShutdown || state == sqlstate::kCannotConnectNow;
}

std::string field(const PGresult* result, int code) {
  const char* value = result == nullptr ? nullptr : PQresultErrorField(result, code);
  return value == nullptr ? "" : value;
}

}  // namespace

void Rows::Clear::operator()(pg_result* result) const { PQclear(result); }

size_t Rows::size() const { return result_ ? static_cast<size_t>(PQntuples(result_.get())) : 0; }

size_t Rows::columns() const { return result_ ? static_cast<size_t>(PQnfields(result_.get())) : 0; }

bool Rows::is_null(size_t row, size_t column) const {
  return PQgetisnull(result_.get(), static_cast<int>(row), static_cast<int>(column)) != 0;
}

std::string_view Rows::text(size_t row, size_t column) const {
  const int r = static_cast<int>(row);
  const int c = static_cast<int>(column);
  return std::string_view(PQgetvalue(result_.get(), r, c), static_cast<size_t>(PQgetlength(result_.get(), r, c)));
}

std::optional<int64_t> Rows::integer(size_t row, size_t column) const {
  if (is_null(row, column)) return std::nullopt;
  const std::string_view value = text(row, column);
  int64_t out = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return out;
}

int64_t Rows::affected() const {
  if (!result_) return 0;
  const char* tuples = PQcmdTuples(result_.get());
  int64_t out = 0;
  std::from_chars(tuples, tuples + std::strlen(tuples), out);
  return out;
}

void Connection::Finish::operator()(pg_conn* conn) const { PQfinish(conn); }

Connection::Connection(pg_conn* conn, SessionSettings settings) : conn_(conn), settings_(settings) {}

Connection::~Connection() = default;

Result<std::unique_ptr<Connection>> Connection::open(const StorageUrl& url, const SessionSettings& settings) {
  // Processed in order, the last value of a keyword wins: connect_timeout from the URL (expanded
  // from dbname) overrides ours; fallback_application_name yields to application_name/PGAPPNAME.
  const std::string timeout = std::to_string(std::max<int64_t>(2, settings.connect_timeout.count()));
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "ooc", url.conninfo.c_str(), nullptr};
  PGconn* raw = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (raw == nullptr) {
    return Status::io_error("cannot connect to PostgreSQL server (" + url.description + "): out of memory");
  }
  std::unique_ptr<Connection> connection(new Connection(raw, settings));
  connection->server_ = describe_server(raw, url);
  if (PQstatus(raw) != CONNECTION_OK) {
    return Status::io_error("cannot connect to " + connection->server_ + ": " + one_line(PQerrorMessage(raw)) +
                            " (SQLSTATE " + std::string(sqlstate::kUnableToConnect) + "); nothing was applied");
  }
  PQsetNoticeProcessor(raw, ignore_notice, nullptr);
  if (Status s = connection->apply_settings(); !s.ok()) return s;
  return connection;
}

Status Connection::apply_settings() {
  return execute(
      "SELECT set_config('statement_timeout', $1, false), set_config('lock_timeout', $2, false),"
      " set_config('idle_in_transaction_session_timeout', $3, false), set_config('synchronous_commit', 'on', false)",
      {Param::integer(settings_.statement_timeout.count()), Param::integer(settings_.lock_timeout.count()),
       Param::integer(settings_.idle_in_transaction_timeout.count())});
}

Status Connection::reconnect() {
  PQreset(conn_.get());
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    return Status::io_error("cannot connect to " + server_ + ": " + one_line(PQerrorMessage(conn_.get())) +
                            " (SQLSTATE " + std::string(sqlstate::kUnableToConnect) + "); nothing was applied");
  }
  PQsetNoticeProcessor(conn_.get(), ignore_notice, nullptr);
  return apply_settings();
}

bool Connection::connected() const { return PQstatus(conn_.get()) == CONNECTION_OK; }

bool Connection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

bool Connection::transaction_failed() const { return PQtransactionStatus(conn_.get()) == PQTRANS_INERROR; }

int Connection::backend_pid() const { return PQbackendPID(conn_.get()); }

Result<Rows> Connection::query(Sql sql, const Params& params) {
  // Outside a transaction a statement commits by itself: a lost reply leaves its outcome unknown.
  return run(sql.c_str(), params, in_transaction() ? LostCall::kNotApplied : LostCall::kOutcomeUnknown);
}

Status Connection::execute(Sql sql, const Params& params) {
  Result<Rows> rows = query(sql, params);
  return rows.ok() ? Status::ok_status() : rows.status();
}

Status Connection::execute_script(Sql script) {
  if (!connected()) return connection_lost(server_, sqlstate::kConnectionFailure, "closed earlier", LostCall::kNotApplied);
  const LostCall on_loss = in_transaction() ? LostCall::kNotApplied : LostCall::kOutcomeUnknown;
  Rows rows(PQexec(conn_.get(), script.c_str()));
  return check(rows.result_.get(), on_loss);
}

Result<Rows> Connection::run(const char* sql, const Params& params, LostCall on_loss) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (size_t i = 0; i < params.size(); ++i) {
    const std::optional<std::string>& value = params[i].value();
    if (value && !params[i].binary() && value->find('\0') != std::string::npos) {
      return Status::invalid_argument(server_ + ": parameter $" + std::to_string(i + 1) +
                                      " holds a NUL byte, which PostgreSQL text cannot store; nothing was sent");
    }
    if (value && value->size() > static_cast<size_t>(INT32_MAX)) {
      return Status::limit_exceeded(server_ + ": parameter $" + std::to_string(i + 1) + " is over 2 GiB; nothing was sent");
    }
    values.push_back(value ? value->c_str() : nullptr);
    lengths.push_back(value ? static_cast<int>(value->size()) : 0);
    formats.push_back(params[i].binary() ? 1 : 0);
  }
  if (!connected()) return connection_lost(server_, sqlstate::kConnectionFailure, "closed earlier", LostCall::kNotApplied);
  Rows rows(PQexecParams(conn_.get(), sql, static_cast<int>(params.size()), nullptr, values.data(), lengths.data(),
                         formats.data(), /*resultFormat=*/0));
  if (Status s = check(rows.result_.get(), on_loss); !s.ok()) return s;
  return rows;
}

Status Connection::check(const pg_result* result, LostCall on_loss) {
  const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    return Status::ok_status();
  }
  const std::string state = field(result, PG_DIAG_SQLSTATE);
  std::string message = field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (message.empty()) message = one_line(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_.get()));
  if (lost(conn_.get(), state)) {
    // The connection's message holds what the server said before it went (a FATAL received while
    // idle has no fields: "FATAL: terminating connection due to administrator command") and
    // libpq's own ("server closed the connection unexpectedly").
    return connection_lost(server_, state.empty() ? sqlstate::kConnectionFailure : state,
                           loss_reason(PQerrorMessage(conn_.get()), message), on_loss);
  }
  if (const std::string detail = field(result, PG_DIAG_MESSAGE_DETAIL); !detail.empty()) message += " (" + detail + ")";
  return server_error(server_, state.empty() ? "XX000" : state, message);
}

}  // namespace storage::pg
