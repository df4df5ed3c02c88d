// A transaction on a pg::Connection as an RAII guard (issue 14: one transaction per call). Rolled
// back when destroyed unless commit() or rollback() ran first, so an early return or a failed
// statement leaves nothing half-applied.
//
//   Result<Transaction> tx = Transaction::begin(connection);
//   if (!tx.ok()) return tx.status();
//   if (Status s = connection.execute("INSERT ...", {...}); !s.ok()) return s;  // rolled back
//   return tx->commit();
//
// commit() of a transaction in which a statement failed rolls back and reports it. A connection
// lost before COMMIT means nothing was applied; a lost reply to COMMIT leaves the outcome unknown
// (SQLSTATE 08007, pg_error.h). The guard must not outlive its Connection. Not thread-safe.
#pragma once

#include "storage/pg/connection.h"
#include "storage/status.h"

namespace storage::pg {

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

class Transaction {
 public:
  // BEGIN ISOLATION LEVEL <isolation>. invalid_argument when `connection` is already in one.
  static Result<Transaction> begin(Connection& connection, Isolation isolation = Isolation::kReadCommitted);
  Transaction(Transaction&& other) noexcept : connection_(other.connection_) { other.connection_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // ROLLBACK when still open; its failure is ignored (a lost connection has rolled back already).
  ~Transaction();

  Status commit();
  Status rollback();
  // True until commit() or rollback().
  bool open() const { return connection_ != nullptr; }

 private:
  explicit Transaction(Connection& connection) : connection_(&connection) {}
  Connection* connection_;
};

}  // namespace storage::pg
