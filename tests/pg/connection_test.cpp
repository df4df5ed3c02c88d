// pg::Connection and pg::Transaction (storage/pg/connection.h, transaction.h) on the throwaway
// cluster: session settings, parameters that carry hostile text unchanged, refusals, rollback,
// and what a lost connection tells the caller.
#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "storage/pg/connection.h"
#include "storage/pg/pg_error.h"
#include "storage/pg/transaction.h"
#include "tests/pg/pg_test_support.h"
#include "tests/support/temp_dir.h"

namespace pg = storage::pg;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string echo(pg::Connection& c, const std::string& value) {
  storage::Result<pg::Rows> rows = c.query("SELECT $1::text", {value});
  REQUIRE_MESSAGE(rows.ok(), rows.status().to_string());
  return std::string(rows->text(0, 0));
}

int64_t count_rows(const pgtest::TestDatabase& db) { return std::stoll(db.exec("SELECT count(*) FROM t")); }

}  // namespace

TEST_CASE("pg connection: no server at the socket gives a clear error naming it, nothing applied") {
  testing::TempDir empty;
  storage::Result<pg::StorageUrl> url = pg::parse_storage_url("host=" + empty.path() + " port=5999 dbname=ooc");
  REQUIRE(url.ok());
  storage::Result<std::unique_ptr<pg::Connection>> c = pg::Connection::open(*url);
  REQUIRE_FALSE(c.ok());
  const std::string message = c.status().to_string();
  CHECK(c.status().code() == storage::Status::Code::kIoError);
  CHECK(contains(message, "storage error: cannot connect to PostgreSQL server host " + empty.path() + " port 5999 dbname ooc: "));
  CHECK(contains(message, "No such file or directory"));
  CHECK(contains(message, "(SQLSTATE 08001); nothing was applied"));
  CHECK(pg::is_connection_lost(c.status()));
}

TEST_CASE("pg connection: the session settings hold whatever the database's defaults are") {
  pgtest::TestDatabase db;
  db.exec("ALTER DATABASE " + pgtest::quote_identifier(db.name()) + " SET synchronous_commit = off");
  db.exec("ALTER DATABASE " + pgtest::quote_identifier(db.name()) + " SET statement_timeout = 0");
  pg::SessionSettings settings;
  settings.statement_timeout = std::chrono::milliseconds(12'345);
  settings.lock_timeout = std::chrono::milliseconds(2'500);
  settings.idle_in_transaction_timeout = std::chrono::milliseconds(45'000);
  auto c = db.connect("ooc_admin", settings);
  storage::Result<pg::Rows> rows = c->query(
      "SELECT current_setting('synchronous_commit'), current_setting('statement_timeout'),"
      " current_setting('lock_timeout'), current_setting('idle_in_transaction_session_timeout'),"
      " current_setting('application_name')");
  REQUIRE(rows.ok());
  CHECK(rows->text(0, 0) == "on");
  CHECK(rows->text(0, 1) == "12345ms");
  CHECK(rows->text(0, 2) == "2500ms");
  CHECK(rows->text(0, 3) == "45s");
  CHECK(rows->text(0, 4) == "ooc");
  CHECK(c->server() == "PostgreSQL server host " + pgtest::cluster_env().at("PGHOST") + " port " +
                           pgtest::cluster_env().at("PGPORT") + " dbname " + db.name());
}

TEST_CASE("pg connection: hostile text goes through parameters unchanged and never as SQL") {
  pgtest::TestDatabase db;
  auto c = db.connect();
  REQUIRE(c->execute("CREATE TABLE t (v text)").ok());
  const std::string hostile[] = {
      "'; DROP TABLE t; --", "\\", "\\'", "''", "$1", "E'\\x00'", "\"quoted\" identifier",
      "Robert'); DELETE FROM t WHERE ('1'='1", "ünïcödé ✓ 𝄞", "%s %n", "\n\r\t", "",
  };
  for (const std::string& value : hostile) {
    INFO(value);
    CHECK(echo(*c, value) == value);
    REQUIRE(c->execute("INSERT INTO t (v) VALUES ($1)", {value}).ok());
  }
  storage::Result<pg::Rows> rows = c->query("SELECT count(*), count(DISTINCT v) FROM t");
  REQUIRE(rows.ok());
  CHECK(rows->integer(0, 0) == static_cast<int64_t>(std::size(hostile)));
  CHECK(rows->integer(0, 1) == static_cast<int64_t>(std::size(hostile)));

  // 1 MiB of quotes, backslashes and dollar signs.
  std::string big;
  while (big.size() < (1u << 20)) big += "it's a \\back\\slash $$ and a \"quote\" ";
  big.resize(1u << 20);
  REQUIRE(c->execute("INSERT INTO t (v) VALUES ($1)", {big}).ok());
  storage::Result<pg::Rows> back = c->query("SELECT v FROM t WHERE octet_length(v) = $1::integer",
                                            {pg::Param::integer(1 << 20)});
  REQUIRE(back.ok());
  REQUIRE(back->size() == 1);
  CHECK(back->text(0, 0) == big);
  CHECK(echo(*c, "NULL") == "NULL");
  storage::Result<pg::Rows> null = c->query("SELECT $1::text IS NULL", {pg::Param::null()});
  REQUIRE(null.ok());
  CHECK(null->text(0, 0) == "t");
}

TEST_CASE("pg connection: a NUL byte in text is refused before anything is sent, bytea carries it") {
  pgtest::TestDatabase db;
  auto c = db.connect();
  const std::string with_nul("ab\0cd", 5);
  storage::Result<pg::Rows> refused = c->query("SELECT $1::text, $2::text", {"fine", with_nul});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == storage::Status::Code::kInvalidArgument);
  CHECK(refused.status().message() == c->server() +
                                          ": parameter $2 holds a NUL byte, which PostgreSQL text cannot store; "
                                          "nothing was sent");
  CHECK(c->connected());
  storage::Result<pg::Rows> bytes = c->query("SELECT $1::bytea = '\\x6162006364'::bytea", {pg::Param::bytes(with_nul)});
  REQUIRE_MESSAGE(bytes.ok(), bytes.status().to_string());
  CHECK(bytes->text(0, 0) == "t");
  // Invalid UTF-8 is the server's to refuse: invalid argument with its SQLSTATE.
  storage::Result<pg::Rows> bad = c->query("SELECT $1::text", {std::string("\xff\xfe")});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == storage::Status::Code::kInvalidArgument);
  CHECK(pg::sqlstate_of(bad.status()) == "22021");
}

TEST_CASE("pg connection: server errors keep their SQLSTATE and name the server") {
  pgtest::TestDatabase db;
  auto c = db.connect();
  REQUIRE(c->execute("CREATE TABLE t (id integer PRIMARY KEY)").ok());
  REQUIRE(c->execute("INSERT INTO t VALUES (1)").ok());
  storage::Status dup = c->execute("INSERT INTO t VALUES (1)");
  CHECK(dup.code() == storage::Status::Code::kConflict);
  CHECK(pg::sqlstate_of(dup) == "23505");
  CHECK(dup.message().rfind(c->server() + ": duplicate key value violates unique constraint", 0) == 0);
  storage::Status missing = c->execute("SELECT * FROM no_such_table");
  CHECK(missing.to_string() == "storage error: " + c->server() +
                                   ": relation \"no_such_table\" does not exist (SQLSTATE 42P01)");
  CHECK_FALSE(pg::is_retryable(missing));
}

TEST_CASE("pg connection: statement_timeout ends a call that would hang") {
  pgtest::TestDatabase db;
  pg::SessionSettings settings;
  settings.statement_timeout = std::chrono::milliseconds(100);
  auto c = db.connect("ooc_admin", settings);
  storage::Status slow = c->execute("SELECT pg_sleep(30)");
  REQUIRE_FALSE(slow.ok());
  CHECK(pg::sqlstate_of(slow) == pg::sqlstate::kQueryCanceled);
  CHECK(contains(slow.message(), "canceling statement due to statement timeout"));
  CHECK(c->connected());
}

TEST_CASE("pg transaction: a guard destroyed without commit rolls back") {
  pgtest::TestDatabase db;
  db.exec("CREATE TABLE t (v text)");
  auto c = db.connect();
  {
    storage::Result<pg::Transaction> tx = pg::Transaction::begin(*c);
    REQUIRE(tx.ok());
    REQUIRE(c->execute("INSERT INTO t VALUES ($1)", {"lost"}).ok());
    CHECK(c->in_transaction());
  }
  CHECK_FALSE(c->in_transaction());
  CHECK(count_rows(db) == 0);
  {
    storage::Result<pg::Transaction> tx = pg::Transaction::begin(*c, pg::Isolation::kSerializable);
    REQUIRE(tx.ok());
    CHECK_FALSE(pg::Transaction::begin(*c).ok());  // no nesting
    REQUIRE(c->execute("INSERT INTO t VALUES ($1)", {"kept"}).ok());
    REQUIRE(tx->commit().ok());
    CHECK_FALSE(tx->open());
  }
  CHECK(count_rows(db) == 1);
}

TEST_CASE("pg transaction: commit after a failed statement rolls back and says so") {
  pgtest::TestDatabase db;
  db.exec("CREATE TABLE t (v text NOT NULL)");
  auto c = db.connect();
  storage::Result<pg::Transaction> tx = pg::Transaction::begin(*c);
  REQUIRE(tx.ok());
  REQUIRE(c->execute("INSERT INTO t VALUES ($1)", {"first"}).ok());
  CHECK_FALSE(c->execute("INSERT INTO t VALUES ($1)", {pg::Param::null()}).ok());
  storage::Status committed = tx->commit();
  CHECK(committed.to_string() == "storage error: " + c->server() +
                                     ": a statement of the transaction failed earlier, so it was rolled back: "
                                     "nothing was applied");
  CHECK_FALSE(c->in_transaction());
  CHECK(count_rows(db) == 0);
}

TEST_CASE("pg transaction: a backend killed mid-transaction gives a clear error and nothing applied") {
  pgtest::TestDatabase db;
  db.exec("CREATE TABLE t (v text)");
  auto c = db.connect();
  auto admin = db.connect();
  storage::Result<pg::Transaction> tx = pg::Transaction::begin(*c);
  REQUIRE(tx.ok());
  REQUIRE(c->execute("INSERT INTO t VALUES ($1)", {"half"}).ok());
  // pg_terminate_backend with a timeout waits until the backend is gone.
  storage::Result<pg::Rows> killed = admin->query("SELECT pg_terminate_backend($1::integer, 10000)",
                                                  {pg::Param::integer(c->backend_pid())});
  REQUIRE(killed.ok());
  REQUIRE(killed->text(0, 0) == "t");

  storage::Status next = c->execute("INSERT INTO t VALUES ($1)", {"other half"});
  REQUIRE_FALSE(next.ok());
  CHECK(next.code() == storage::Status::Code::kIoError);
  CHECK(pg::is_connection_lost(next));
  CHECK(next.message().rfind(c->server() + ": connection lost (", 0) == 0);
  CHECK(contains(next.message(), "; the call was not applied"));
  // The server's FATAL arrives while the session is idle, without fields: libpq's text tells why.
  CHECK_MESSAGE(contains(next.message(), "terminating connection due to administrator command"), next.message());
  CHECK(contains(next.message(), "(SQLSTATE 08006)"));
  CHECK_FALSE(c->connected());
  CHECK(count_rows(db) == 0);
  // A further call fails the same way instead of crashing; commit says nothing was applied.
  CHECK(pg::is_connection_lost(c->execute("SELECT 1")));
  storage::Status commit = tx->commit();
  CHECK(pg::is_connection_lost(commit));
  CHECK(contains(commit.message(), "the call was not applied"));
  // And the connection comes back.
  REQUIRE(c->reconnect().ok());
  CHECK(echo(*c, "back") == "back");
  storage::Result<pg::Rows> sync = c->query("SELECT current_setting('synchronous_commit')");
  REQUIRE(sync.ok());
  CHECK(sync->text(0, 0) == "on");
}

TEST_CASE("pg transaction: a COMMIT whose reply is lost says the outcome is unknown (08007)") {
  pgtest::TestDatabase db;
  db.exec("CREATE TABLE t (v text)");
  auto c = db.connect();
  auto admin = db.connect();
  storage::Result<pg::Transaction> tx = pg::Transaction::begin(*c);
  REQUIRE(tx.ok());
  REQUIRE(c->execute("INSERT INTO t VALUES ($1)", {"maybe"}).ok());
  REQUIRE(admin->execute("SELECT pg_terminate_backend($1::integer, 10000)", {pg::Param::integer(c->backend_pid())}).ok());
  storage::Status commit = tx->commit();
  REQUIRE_FALSE(commit.ok());
  CHECK(pg::sqlstate_of(commit) == pg::sqlstate::kResolutionUnknown);
  CHECK(pg::is_connection_lost(commit));
  CHECK(contains(commit.message(), c->server() + ": connection lost"));
  CHECK(contains(commit.message(), "the call may or may not have been applied"));
  CHECK(count_rows(db) == 0);  // here it was not: the server rolled back before COMMIT arrived
}

TEST_CASE("pg transaction: serialization failures and deadlocks are recognisable for a retry") {
  pgtest::TestDatabase db;
  db.exec("CREATE TABLE t (id integer PRIMARY KEY, v integer); INSERT INTO t VALUES (1, 0), (2, 0)");
  auto a = db.connect();
  auto b = db.connect();
  {
    // Write skew between two serializable transactions: the second commit must fail.
    storage::Result<pg::Transaction> ta = pg::Transaction::begin(*a, pg::Isolation::kSerializable);
    storage::Result<pg::Transaction> tb = pg::Transaction::begin(*b, pg::Isolation::kSerializable);
    REQUIRE((ta.ok() && tb.ok()));
    REQUIRE(a->execute("SELECT sum(v) FROM t").ok());
    REQUIRE(b->execute("SELECT sum(v) FROM t").ok());
    REQUIRE(a->execute("UPDATE t SET v = v + 1 WHERE id = 1").ok());
    REQUIRE(b->execute("UPDATE t SET v = v + 1 WHERE id = 2").ok());
    REQUIRE(ta->commit().ok());
    storage::Status second = tb->commit();
    REQUIRE_FALSE(second.ok());
    CHECK(pg::sqlstate_of(second) == pg::sqlstate::kSerializationFailure);
    CHECK(pg::is_retryable(second));
    CHECK_FALSE(pg::is_connection_lost(second));
  }
  {
    // Lock order a: 1 then 2, b: 2 then 1. The server breaks the cycle in one of them.
    storage::Result<pg::Transaction> ta = pg::Transaction::begin(*a);
    storage::Result<pg::Transaction> tb = pg::Transaction::begin(*b);
    REQUIRE((ta.ok() && tb.ok()));
    REQUIRE(a->execute("UPDATE t SET v = 0 WHERE id = 1").ok());
    REQUIRE(b->execute("UPDATE t SET v = 0 WHERE id = 2").ok());
    storage::Status in_thread;
    std::thread waiter([&] { in_thread = a->execute("UPDATE t SET v = 0 WHERE id = 2"); });
    storage::Status here = b->execute("UPDATE t SET v = 0 WHERE id = 1");
    if (!here.ok()) (void)tb->rollback();  // frees a's wait
    waiter.join();
    CHECK(here.ok() != in_thread.ok());
    const storage::Status& failed = here.ok() ? in_thread : here;
    CHECK(pg::sqlstate_of(failed) == pg::sqlstate::kDeadlockDetected);
    CHECK(pg::is_retryable(failed));
  }
}
