// The write path (leveldb's DBImpl::Write; FORMAT.md "Commit protocol", steps 4-7): appends a
// valid batch to the journal durably, applies it to the catalog, and compacts when due. The
// caller holds the Store's mutex and the exclusive file lock and is caught up. A batch that
// changes this process's own working set first takes the session's lock (sessions.h).
#pragma once

#include <vector>

#include "storage/journal_codec.h"
#include "storage/status.h"
#include "storage/store_state.h"
#include "storage/thread_annotations.h"

namespace storage {

// Returns only when the batch is durable (sync=always) and applied; a failed append leaves memory
// and disk as they were. An empty batch changes nothing.
Status commit(StoreState& s, std::vector<JournalOp> ops) REQUIRES(s.mu);

}  // namespace storage
