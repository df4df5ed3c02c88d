// Sessions (FORMAT.md "Sessions"): a server process's working set is durable, kept in the journal
// under its session id, and the session's owner holds an exclusive flock on
// "<storage path>.sessions/<session id>.lock" for as long as it lives. A session whose lock file
// is missing or can be locked has lost its owner: its working segments are moved to the stash,
// tagged "unstashed" and "session:<id>".
//
// SessionLocks is this process's lock and the probe of other sessions' locks; the functions below
// plan the journal ops. Not thread-safe: the Store holds them under its mutex.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/catalog.h"
#include "storage/file_system.h"
#include "storage/journal_codec.h"
#include "storage/segment.h"
#include "storage/status.h"

namespace storage {

class SessionLocks {
 public:
  // `session`: this process's session id (empty: none, nothing is ever locked).
  SessionLocks(FileSystem& fs, const std::string& store_path, std::string session)
      : fs_(fs), directory_(store_path + ".sessions"), session_(std::move(session)) {}

  // "<storage path>.sessions/<session>.lock".
  std::string lock_path(const std::string& session) const { return directory_ + "/" + session + ".lock"; }
  // Takes this session's lock (directory 0700 and file 0600 created on the first call). Ok when held.
  Status hold();
  bool held() const { return lock_ != nullptr; }
  // Releases this session's lock and removes its file.
  Status release();

  // Whether the owner of `session` (another process's) is gone. When it is, `lock` holds the
  // session's lock file (or stays null when the file is missing) until the recovery is done.
  // A session id that cannot name a file is never called gone.
  Result<bool> owner_gone(const std::string& session, std::unique_ptr<FileLock>& lock);
  Status remove_lock_file(const std::string& session) { return fs_.remove(lock_path(session)); }

 private:
  FileSystem& fs_;
  const std::string directory_;
  const std::string session_;
  std::unique_ptr<FileLock> lock_;
};

// The stashed copy of working segment `w` of `session`: tags "unstashed" and "session:<id>" added
// (deduplicated, order kept; when over `max_tags`, the first max_tags - 2 of its own tags are
// kept), created_at of the older copy when `stashed` (may be null) has the same id, and then a
// revision above both and the stashed copy's supersede links kept (carry_links).
Segment unstashed_copy(const Segment& w, const std::string& session, const Segment* stashed, size_t max_tags);

// Puts of `segments` into the working set of `session`.
std::vector<JournalOp> working_puts(const std::vector<Segment>& segments, const std::string& session);
// Appends a wdel per id.
void add_working_deletes(std::vector<JournalOp>& ops, const std::string& session, const std::string& project,
                         const std::vector<std::string>& ids);
// Every working segment of `session` in `project` ("*": all) to the stash as unstashed_copy();
// `move` also deletes them from the working set.
std::vector<JournalOp> plan_unstash(const Catalog& catalog, const std::string& session, const std::string& project,
                                    bool move, size_t max_tags);
// Other sessions with working segments in `project` ("*": any), sorted.
std::vector<std::string> other_sessions(const Catalog& catalog, const std::string& project);

// Shared by both engines' session calls (session_ops.cpp, pg/pg_sessions.cpp):
// How many puts a batch holds.
size_t count_puts(const std::vector<JournalOp>& ops);
// Equal but for the time it was last touched (and the revision and tier a copy would get).
bool same_content(Segment a, const Segment& b);
// "<wanted>-<parent>": the name of the root's parent directory, made a valid id part (claim_project).
std::string derived_base(const std::string& wanted, const std::string& root_path);

}  // namespace storage
