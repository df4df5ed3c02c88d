// Test support of the PostgreSQL tests (ooc_pg_tests): the throwaway cluster that ctest's fixture
// `pg` starts (tests/pg/pg_cluster; its <dir>/env is OOC_PG_CLUSTER_DIR "/env"), a database of
// one's own per test (created with a unique name, dropped with FORCE when destroyed, so tests run
// in parallel), raw libpq for what our own API refuses on purpose (SQL built at run time: CREATE
// DATABASE, CREATE ROLE), and a child process run to completion. Helpers throw on failure.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "storage/pg/connection.h"
#include "storage/pg/storage_url.h"

namespace pgtest {

// PGHOST, PGPORT, PGUSER, PGDATABASE of the cluster; throws when the fixture did not run.
const std::map<std::string, std::string>& cluster_env();

// "host=<socket dir> port=<port> user=<user> dbname=<dbname>" on the test cluster.
std::string conninfo(const std::string& dbname, const std::string& user = "ooc_admin");
storage::pg::StorageUrl url(const std::string& dbname, const std::string& user = "ooc_admin");

// A name no other test process uses: "<prefix><pid>x<counter>" (lower case, digits, '_').
std::string unique_name(const std::string& prefix);

// Runs `sql` (built at run time: identifiers quoted with quote_identifier) on `dbname` as `user`
// through raw libpq; throws with the server's message on failure. Returns the first column of
// the first row ("" when none).
std::string admin_exec(const std::string& dbname, const std::string& sql, const std::string& user = "ooc_admin");
std::string quote_identifier(const std::string& name);

// A database of this test's own, created on the test cluster and dropped (WITH FORCE) when destroyed.
// Its locale is C.UTF-8, not C, so comparisons of "C"-collated columns with default-collated
// text are exercised.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& owner = "ooc_admin");
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  const std::string& name() const { return name_; }
  storage::pg::StorageUrl url(const std::string& user = "ooc_admin") const { return pgtest::url(name_, user); }
  // A connection of our API; throws when it cannot connect.
  std::unique_ptr<storage::pg::Connection> connect(const std::string& user = "ooc_admin",
                                                   const storage::pg::SessionSettings& settings = {}) const;
  std::string exec(const std::string& sql, const std::string& user = "ooc_admin") const {
    return admin_exec(name_, sql, user);
  }

 private:
  std::string name_;
};

struct ProcessResult {
  int exit_status = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// Runs `binary` with `args` and exactly `env` (NAME=value; PATH added) to completion, or kills it
// after 60 s. Throws when it cannot start or does not end in time.
ProcessResult run_process(const std::string& binary, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env);

}  // namespace pgtest
