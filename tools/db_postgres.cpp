#include "tools/db_postgres.h"

#include <memory>
#include <string>

#include "mcp/json.h"
#include "storage/pg/connection.h"
#include "storage/pg/migrations.h"
#include "storage/pg/schema.h"
#include "storage/pg/storage_url.h"
#include "tools/cli_commands.h"

namespace tools {
namespace {

namespace pg = storage::pg;

// "current", "behind" (versions pending), "ahead" (newer than this ooc), "empty" (no ooc schema).
std::string state_of(const pg::schema::SchemaStatus& s) {
  if (s.current == 0) return "empty";
  if (s.current < s.latest) return "behind";
  if (s.current > s.latest) return "ahead";
  return "current";
}

std::string advice(const pg::schema::SchemaStatus& s) {
  if (s.current == 0) return "no ooc schema: run `ooc db migrate`";
  if (s.current < s.latest) return std::to_string(s.latest - s.current) + " version(s) pending: run `ooc db migrate`";
  if (s.current > s.latest) return "newer than this ooc: upgrade ooc";
  return "up to date";
}

mcp::Json status_json(const pg::Connection& connection, const pg::schema::SchemaStatus& s) {
  mcp::Json applied = mcp::Json::array();
  for (const pg::schema::AppliedVersion& v : s.applied) {
    applied.push_back({{"version", v.version}, {"applied_at", v.applied_at}, {"ooc_version", v.ooc_version}});
  }
  mcp::Json pending = mcp::Json::array();
  for (const pg::Migration& m : pg::migrations()) {
    if (m.version > s.current) pending.push_back({{"version", m.version}, {"summary", m.summary}});
  }
  return {{"server", connection.server()}, {"current_version", s.current}, {"latest_version", s.latest},
          {"state", state_of(s)},          {"applied", applied},           {"pending", pending}};
}

int status(pg::Connection& connection, bool json, std::ostream& out, std::ostream& err) {
  storage::Result<pg::schema::SchemaStatus> s = pg::schema::status(connection);
  if (!s.ok()) {
    err << "ooc db status: " << s.status().to_string() << "\n";
    return kExitFailure;
  }
  if (json) {
    out << status_json(connection, *s).dump(2, ' ', false, mcp::Json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  out << "database: " << connection.server() << "\n"
      << "schema:   version " << s->current << ", this ooc knows " << s->latest << ": " << advice(*s) << "\n";
  for (const pg::schema::AppliedVersion& v : s->applied) {
    out << "applied:  version " << v.version << " at " << v.applied_at << " by ooc " << v.ooc_version << "\n";
  }
  for (const pg::Migration& m : pg::migrations()) {
    if (m.version > s->current) out << "pending:  version " << m.version << ": " << m.summary << "\n";
  }
  return kExitOk;
}

int migrate(pg::Connection& connection, std::ostream& out, std::ostream& err) {
  storage::Result<pg::schema::MigrateReport> report = pg::schema::migrate(connection, OOC_VERSION);
  if (!report.ok()) {
    err << "ooc db migrate: " << report.status().to_string() << "\n";
    return kExitFailure;
  }
  if (report->applied.empty()) {
    out << "ooc db migrate: " << connection.server() << ": schema already at version " << report->to
        << ", nothing to do\n";
    return kExitOk;
  }
  out << "ooc db migrate: " << connection.server() << ": schema version " << report->from << " -> " << report->to
      << " (applied";
  for (int64_t version : report->applied) out << " " << version;
  out << ")\n";
  return kExitOk;
}

}  // namespace

int run_postgres_db_command(const DbRequest& request, std::ostream& out, std::ostream& err) {
  const std::string name = "ooc db " + request.action;
  if (request.url.empty()) {
    err << name << ": no database: pass --url or set " << pg::kStorageUrlVariable
        << " (a postgresql:// URL or a libpq connection string such as service=ooc)\n";
    return kExitUsage;
  }
  storage::Result<pg::StorageUrl> url = pg::parse_storage_url(request.url);
  if (!url.ok()) {
    err << name << ": " << url.status().message() << "\n";
    return kExitUsage;
  }
  storage::Result<std::unique_ptr<pg::Connection>> connection = pg::Connection::open(*url);
  if (!connection.ok()) {
    err << name << ": " << connection.status().to_string() << "\n";
    return kExitFailure;
  }
  if (request.action == "migrate") return migrate(**connection, out, err);
  return status(**connection, request.json, out, err);
}

}  // namespace tools
