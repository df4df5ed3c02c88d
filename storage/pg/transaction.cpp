#include "storage/pg/transaction.h"

namespace storage::pg {
namespace {

Sql begin_statement(Isolation isolation) {
  switch (isolation) {
    case Isolation::kReadCommitted: return "BEGIN ISOLATION LEVEL READ COMMITTED";
    case Isolation::kRepeatableRead: return "BEGIN ISOLATION LEVEL REPEATABLE READ";
    case Isolation::kSerializable: return "BEGIN ISOLATION LEVEL SERIALIZABLE";
  }
  return "BEGIN";
}

}  // namespace

Result<Transaction> Transaction::begin(Connection& connection, Isolation isolation) {
  if (connection.in_transaction()) {
    return Status::invalid_argument(connection.server() + ": a transaction is already open on this connection");
  }
  Result<Rows> begun = connection.run(begin_statement(isolation).c_str(), {}, LostCall::kNotApplied);
  if (!begun.ok()) return begun.status();
  return Transaction(connection);
}

Transaction::~Transaction() {
  if (connection_ != nullptr && connection_->connected() && connection_->in_transaction()) {
    (void)connection_->run("ROLLBACK", {}, LostCall::kNotApplied);
  }
}

Status Transaction::commit() {
  Connection* connection = connection_;
  if (connection == nullptr) return Status::invalid_argument("commit: the transaction is no longer open");
  connection_ = nullptr;
  if (!connection->connected()) {
    return connection_lost(connection->server(), sqlstate::kConnectionFailure, "closed earlier", LostCall::kNotApplied);
  }
  // COMMIT of a failed transaction answers "ROLLBACK" without an error: say so instead.
  if (connection->transaction_failed()) {
    Status rolled_back = connection->run("ROLLBACK", {}, LostCall::kNotApplied).status();
    if (!rolled_back.ok()) return rolled_back;
    return Status::io_error(connection->server() +
                            ": a statement of the transaction failed earlier, so it was rolled back: nothing was applied");
  }
  return connection->run("COMMIT", {}, LostCall::kOutcomeUnknown).status();
}

Status Transaction::rollback() {
  Connection* connection = connection_;
  if (connection == nullptr) return Status::ok_status();
  connection_ = nullptr;
  if (!connection->connected() || !connection->in_transaction()) return Status::ok_status();
  return connection->run("ROLLBACK", {}, LostCall::kNotApplied).status();
}

}  // namespace storage::pg
