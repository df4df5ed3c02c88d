// The session operations that span several parts (FORMAT.md "Sessions"): ending this session,
// checkpointing a project's working sets, claiming a project for a root path, and recovering the
// sessions whose owner is gone. Free functions over the engine's state: the Store's methods of the
// same names open the access guard (file_engine.cpp) and call them, so the lock is taken in one place.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "storage/file_system.h"
#include "storage/status.h"
#include "storage/store_state.h"
#include "storage/thread_annotations.h"

namespace storage {

// Moves the working set of every other session with working segments in `project` ("*": any)
// whose owner is gone to the stash, one batch per session, then removes its lock file. The caller
// holds the exclusive file lock and is caught up. Returns how many segments moved.
Result<size_t> recover_dead_sessions(StoreState& s, const std::string& project) REQUIRES(s.mu);

// At the end of the load (caller holds `shared_lock`, caught up): when some session's owner looks
// gone, retakes the file lock exclusively and recovers it. Failures are logged, not returned: the
// store stays usable, and the next process tries again.
void recover_dead_sessions_at_load(StoreState& s, std::unique_ptr<FileLock> shared_lock) REQUIRES(s.mu);

// Store::end_session(): moves this session's whole working set to the stash in one batch and
// releases its lock file. Caller holds the exclusive file lock and is caught up.
Result<size_t> end_session(StoreState& s) REQUIRES(s.mu);

// Store::checkpoint_working(): recovers `project`'s dead sessions, then copies every working
// segment of its live sessions into the stash (skipping identical stashed copies).
Result<size_t> checkpoint_working(StoreState& s, const std::string& project) REQUIRES(s.mu);

// Store::claim_project(): the project bound to `root_path`, else `wanted_id` when it has no other
// root path, else "<wanted>-<parent dir>", "-2", ... (FORMAT.md "Sessions").
Result<std::string> claim_project(StoreState& s, const std::string& wanted_id, const std::string& root_path)
    REQUIRES(s.mu);

}  // namespace storage
