// The Store's session calls that span several parts (FORMAT.md "Sessions"): recovering the
// sessions whose owner is gone. Store::end_session, checkpoint_working and claim_project live in
// store_sessions.cpp too.
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

}  // namespace storage
