// PgEngine: the team store's engine on PostgreSQL (issue 14; engine.h has the contract of every
// call, SCHEMA.md the tables). The same semantics as the file engine by construction: each call
// runs in one transaction that takes the project's lock, loads the rows the call needs into a
// Catalog, runs the file engine's own planning (writes.h, sessions.h, reads.h, duplicates.h) and
// writes the resulting ops back as rows, each with its ooc_changes row, then commits.
// Acknowledged = committed (synchronous_commit = on).
//
// - Team: every row belongs to PgEngineOptions::team (row-level security decides what the role
//   may read and write). Empty: the one team the role writes to (ooc_member_teams(true)), else
//   the one team it reads.
// - Locks: a write takes pg_advisory_xact_lock(kProjectLockClass, hashtext(team/project_key)), so
//   writers of one project serialize (and one writer plans on what the previous one committed);
//   waits are bounded by lock_timeout (StoreOptions::lock_timeout).
// - Sessions: with StoreOptions::session_id the working set is durable in ooc_working; the first
//   working write registers ooc_sessions and holds the session's advisory lock on this
//   connection. A session whose lock nobody holds is dead: checkpoint_working moves its working
//   set to the stash under pg_try_advisory_lock, so two processes never both move it.
// - Without a session the working set is this process's memory only (the CLI), as in the file
//   engine.
// - Search ranks with ooc's own ranked index built from the project's rows (exact parity with the
//   file engine), kept between calls and caught up from ooc_changes (SCHEMA.md "Why no search
//   postings in SQL").
//
// Thread-safe (one mutex around the one connection). A lost connection fails the call with a
// STORAGE_ERROR saying nothing was applied, and the next call reconnects. A call whose COMMIT reply
// was lost asks a new connection whether it was applied (its key in ooc_idempotency): applied, it
// succeeds; not, it fails as above ("may or may not have been applied" only when the server
// cannot be asked).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "storage/engine.h"
#include "storage/pg/connection.h"
#include "storage/pg/storage_url.h"
#include "storage/pg/transaction.h"
#include "storage/store_types.h"

namespace storage::pg {

// The first key of the projects' transaction-scoped advisory locks ("ood"); the migration lock
// uses 0x6f6f63 and the sessions the one-key form.
inline constexpr int32_t kProjectLockClass = 0x6f6f64;

// Names the team when the role belongs to several (tools/config.h reads it).
inline constexpr std::string_view kTeamVariable = "OUT_OF_CONTEXT_TEAM";

struct PgEngineOptions {
  StorageUrl url;
  std::string team;    // empty: the role's only team (a writable one first)
  StoreOptions store;  // session_id, limits, clock, lock_timeout, max_working_segments (path unused)
  std::chrono::milliseconds statement_timeout{30'000};  // no statement runs longer
  std::string owner;   // ooc_sessions.owner, "<host>:<pid>"; empty: this process's
  // Tests only (fault injection): runs in place of the COMMIT of every call that wrote.
  std::function<Status(Connection&, Transaction&)> commit_for_tests;
};

class PgEngine final : public Engine {
 public:
  // Connects, checks the schema version ("run `ooc db migrate`" when missing or older; a newer one
  // is refused) and resolves the team. A failure is returned, not deferred.
  static Result<std::unique_ptr<PgEngine>> open(PgEngineOptions options);
  ~PgEngine() override;
  PgEngine(const PgEngine&) = delete;
  PgEngine& operator=(const PgEngine&) = delete;

  const std::string& team() const;

  Status wait_until_loaded() override;
  const Clock& clock() const override;
  Result<StoreOutcome> store_segments(const std::string& project, std::vector<SegmentDraft> drafts) override;
  Result<std::vector<Segment>> load_segments(const std::string& project) override;
  Result<int64_t> active_tokens(const std::string& project) override;
  Result<StashOutcome> stash(const std::string& project, const std::vector<std::string>& ids,
                             std::vector<SegmentDraft> inline_drafts, bool dry_run) override;
  Result<SearchPage> search_stashed(const SearchRequest& request) override;
  Result<RetrieveOutcome> retrieve(const std::string& project, const std::vector<std::string>& ids, bool restore,
                                   int64_t max_tokens) override;
  Result<DeleteOutcome> delete_segments(const std::string& project, const std::vector<std::string>& ids,
                                        std::optional<Tier> tier, bool force) override;
  Result<EditOutcome> edit(const std::string& project, const std::string& id, int64_t expected_revision,
                           const EditChange& change) override;
  Result<std::optional<Segment>> get(const std::string& project, const std::string& id, Tier tier) override;
  Result<size_t> end_session() override;
  Result<size_t> checkpoint_working(const std::string& project) override;
  Result<std::string> claim_project(const std::string& wanted_id, const std::string& root_path) override;
  Result<std::vector<ProjectInfo>> list_projects() override;
  Result<StoreStats> stats() override;
  // Nothing to compact: PostgreSQL vacuums its own tables.
  Status compact() override { return Status::ok_status(); }
  void abandon_background_compaction() override {}
  Result<std::vector<Segment>> export_stashed(const std::string& project) override;
  Result<size_t> import_stashed(std::vector<Segment> segments) override;

 private:
  struct State;
  explicit PgEngine(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace storage::pg
