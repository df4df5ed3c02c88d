#include "storage/pg/schema.h"

#include "storage/pg/migrations.h"
#include "storage/pg/transaction.h"

namespace storage::pg::schema {
namespace {

std::string newer_message(const Connection& connection, int64_t current) {
  return connection.server() + ": the database's ooc schema is version " + std::to_string(current) +
         ", newer than this ooc knows (" + std::to_string(latest_schema_version()) +
         "): upgrade ooc; nothing was changed";
}

// The applied versions, oldest first (ooc_schema may be missing: none).
Result<std::vector<AppliedVersion>> read_versions(Connection& connection) {
  Result<Rows> exists = connection.query("SELECT to_regclass('ooc_schema') IS NOT NULL");
  if (!exists.ok()) return exists.status();
  std::vector<AppliedVersion> out;
  if (exists->text(0, 0) != "t") return out;
  Result<Rows> rows = connection.query(
      "SELECT version, to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), ooc_version"
      " FROM ooc_schema ORDER BY version");
  if (!rows.ok()) return rows.status();
  for (size_t i = 0; i < rows->size(); ++i) {
    out.push_back({rows->integer(i, 0).value_or(0), std::string(rows->text(i, 1)), std::string(rows->text(i, 2))});
  }
  return out;
}

int64_t current_of(const std::vector<AppliedVersion>& applied) { return applied.empty() ? 0 : applied.back().version; }

}  // namespace

Result<SchemaStatus> status(Connection& connection) {
  Result<std::vector<AppliedVersion>> applied = read_versions(connection);
  if (!applied.ok()) return applied.status();
  SchemaStatus out;
  out.current = current_of(*applied);
  out.latest = latest_schema_version();
  out.applied = std::move(*applied);
  return out;
}

Result<MigrateReport> migrate(Connection& connection, std::string_view ooc_version) {
  Result<Transaction> tx = Transaction::begin(connection);
  if (!tx.ok()) return tx.status();
  // Taken before ooc_schema may be created: two first migrations must not race on CREATE TABLE.
  if (Status s = connection.execute("SELECT pg_advisory_xact_lock($1::integer, $2::integer)",
                                    {Param::integer(kLockClass), Param::integer(kMigrationLock)});
      !s.ok()) {
    return s;
  }
  if (Status s = connection.execute_script(kSchemaTableScript); !s.ok()) return s;
  Result<std::vector<AppliedVersion>> applied = read_versions(connection);
  if (!applied.ok()) return applied.status();
  MigrateReport report;
  report.from = current_of(*applied);
  report.to = report.from;
  if (report.from > latest_schema_version()) return Status::io_error(newer_message(connection, report.from));
  for (const Migration& migration : migrations()) {
    if (migration.version <= report.from) continue;
    if (Status s = connection.execute_script(migration.script); !s.ok()) return s;
    if (Status s = connection.execute("INSERT INTO ooc_schema (version, ooc_version) VALUES ($1::integer, $2)",
                                      {Param::integer(migration.version), Param(ooc_version)});
        !s.ok()) {
      return s;
    }
    report.applied.push_back(migration.version);
    report.to = migration.version;
  }
  if (Status s = tx->commit(); !s.ok()) return s;
  return report;
}

Status check_version(Connection& connection) {
  Result<SchemaStatus> now = status(connection);
  if (!now.ok()) return now.status();
  if (now->current > now->latest) return Status::io_error(newer_message(connection, now->current));
  if (now->current < now->latest) {
    return Status::io_error(connection.server() + ": the database's ooc schema is version " +
                            std::to_string(now->current) + (now->current == 0 ? " (none)" : "") +
                            "; this ooc needs version " + std::to_string(now->latest) +
                            ": run `ooc db migrate` as the schema's owner");
  }
  return Status::ok_status();
}

}  // namespace storage::pg::schema
