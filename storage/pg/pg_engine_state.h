// PgEngine's parts (pg_engine.h): the connection, the segment factory, this process's memory-only
// working set (without a session), and the steps every call is made of. Private to storage/pg.
// Every member function runs under `mu`, inside the call's transaction where it says so.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/catalog.h"
#include "storage/clock.h"
#include "storage/journal_codec.h"
#include "storage/pg/connection.h"
#include "storage/pg/pg_engine.h"
#include "storage/pg/transaction.h"
#include "storage/segment_factory.h"

namespace storage::pg {

// Which working segments a call loads besides the stash.
enum class Working { kNone, kOwn, kAllSessions };

struct PgEngine::State {
  explicit State(PgEngineOptions opts);

  PgEngineOptions options;
  std::unique_ptr<SystemClock> own_clock;
  const Clock* clock;
  std::mutex mu;
  std::unique_ptr<Connection> conn;
  SegmentFactory factory;
  std::string team;
  std::string owner;
  // Without a session: this process's working set, by project key.
  std::map<std::string, SegmentMap> memory_working;
  int64_t session_lock_key = 0;  // the session's advisory lock, held on `conn` (0: none)

  // One project's stashed tier kept between calls with its ranked index (so a call neither
  // transfers every text nor indexes it again): caught up at the start of each call from the
  // changes log (ooc_changes), reading again only the segments changed since `seq`; so a call
  // costs what changed, not the project's size. Its working tier is loaded afresh by every call.
  // Dropped when a call fails after changing it.
  struct CachedProject {
    std::unique_ptr<Catalog> catalog;
    std::string project_id;  // as stored
    int64_t seq = -1;        // the last change the catalog holds; -1: load it whole
  };
  std::map<std::string, CachedProject> cache;  // by project key
  std::unique_ptr<Catalog> scratch;            // "*" calls: loaded afresh each time

  struct Opened {
    Catalog* catalog = nullptr;
    std::string project;  // as stored, or as requested when new; "*" as is
  };
  // The catalog of `requested` ("*": every project, loaded afresh), caught up with the database:
  // root path, stash, and the working segments `working` says.
  Result<Opened> open_catalog(const std::string& requested, Working working);
  static std::string project_key_of(const std::string& project);
  // Brings `entry`'s stash up to the database's (whole when its seq is -1).
  Status catch_up(CachedProject& entry, const std::string& key);
  // COMMIT of the call's transaction. A call that wrote (`wrote`) first records a key of its own in
  // ooc_idempotency, so that when the reply to COMMIT is lost (SQLSTATE 08007) a new connection
  // can tell, once the old server process has ended, whether it was applied: then the call
  // succeeded; else it fails saying nothing was applied, never "may or may not". A failed commit
  // forgets the cached catalogs (they may hold what it did not apply).
  Status commit(Transaction& tx);
  bool wrote = false;     // the call's transaction wrote a row (set by apply() and the writers)
  uint64_t commits = 0;   // counts this process's commits, to expire old keys now and then

  // Connects, checks the schema version, resolves the team.
  Status connect();
  // Connected (reconnecting when the connection was lost, taking the session's lock again).
  Status ready();
  // A new connection now (libpq may not have noticed the old one died), taking the session's lock
  // again.
  Status reconnect();
  // BEGIN: read committed for writes (each takes its project's lock first), repeatable read for
  // reads (one snapshot for every statement of the call).
  Result<Transaction> begin(bool write);
  // The project's write lock, until the transaction ends.
  Status lock_project(const std::string& key);
  // Loads `requested` ("*": every project) into `catalog`: root paths, the stash, and the working
  // segments `working` says (plus the memory-only working set without a session). Returns the
  // project id as stored (`requested` when new; "*" as is).
  Result<std::string> load(Catalog& catalog, const std::string& requested, Working working);
  // Only this process's working segments of `requested` ("*": all); the project id as stored.
  Result<std::string> load_working_only(Catalog& catalog, const std::string& requested);
  // `fallback` when the database has the project (its stored spelling) or when the memory-only
  // working set has no segment of `key`; else the spelling the working set has.
  std::string spelling_of(const std::string& key, const std::string& fallback) const;
  // Loads the working segments `working` says of project `key` into `catalog` (after emptying its
  // working tier).
  Status load_working_tier(Catalog& catalog, const std::string& key, const std::string& project, Working working);
  // Writes `ops` as rows (+ changes rows) and applies them to `catalog`.
  Status apply(Catalog& catalog, const std::vector<JournalOp>& ops);
  // Moves the working set of every other session of `project` (loaded in `catalog` with every
  // session's working set, under the project's lock) whose owner is gone to the stash, taking each
  // one's advisory lock (added to `recovered_locks`, for the caller to release after its commit);
  // the live ones go to `live`. How many segments moved.
  Result<size_t> recover_dead(Catalog& catalog, const std::string& project, std::vector<int64_t>& recovered_locks,
                              std::vector<std::string>& live);
  // At open, as the file engine at load: recovers the dead sessions of every project, each in a
  // transaction of its own. Failures are logged: the store stays usable, the next process retries.
  void recover_at_open();
  // Registers this session (ooc_sessions) and holds its advisory lock.
  Status hold_session();
  // Keeps the memory-only working set of `catalog` after a committed call (no session).
  void keep_memory_working(const Catalog& catalog);
  // Puts this process's memory-only working segments of project `key` ("*": all) into `catalog`,
  // under the project id `project` (kept as is for "*").
  void put_memory_working(Catalog& catalog, const std::string& key, const std::string& project) const;
  // OUT_OF_CONTEXT_MAX_WORKING_SEGMENTS over this session's working set (file_engine.cpp's rule).
  Status check_working_room(const Catalog& catalog, const std::string& project, const std::vector<std::string>& ids);
};

}  // namespace storage::pg
