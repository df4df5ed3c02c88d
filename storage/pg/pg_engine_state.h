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
  // transfers every text nor indexes it again): caught up at the start of each call by comparing
  // the rows' versions (xmin), reloading only the rows that changed. Its working tier is loaded
  // afresh by every call. Dropped when a write fails after changing it.
  struct CachedProject {
    std::unique_ptr<Catalog> catalog;
    std::string project_id;                        // as stored
    std::map<std::string, std::string> versions;   // segment_id -> xmin of the row it holds; "" unknown
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
  // A COMMIT that failed: the cached catalogs may hold what it did not apply; forgets them all.
  Status failed_commit(Status status) {
    cache.clear();
    return status;
  }

  // Connects, checks the schema version, resolves the team.
  Status connect();
  // Connected (reconnecting when the connection was lost, taking the session's lock again).
  Status ready();
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
  // Registers this session (ooc_sessions) and holds its advisory lock.
  Status hold_session();
  // Keeps the memory-only working set of `catalog` after a committed call (no session).
  void keep_memory_working(const Catalog& catalog);
  // OUT_OF_CONTEXT_MAX_WORKING_SEGMENTS over this session's working set (file_engine.cpp's rule).
  Status check_working_room(const Catalog& catalog, const std::string& project, const std::vector<std::string>& ids);
};

}  // namespace storage::pg
