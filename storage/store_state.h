// StoreState: the parts of one open FileEngine and the mutex that guards them. A plain aggregate: the
// parts own their behaviour (catalog.h, journal.h, snapshot_file.h, compaction.h, recovery.h,
// segment_factory.h, sessions.h); file_engine.cpp runs the calls and store_access.h takes the locks.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "storage/background_load.h"
#include "storage/catalog.h"
#include "storage/clock.h"
#include "storage/compaction.h"
#include "storage/file_system.h"
#include "storage/index_file.h"
#include "storage/journal.h"
#include "storage/mutex.h"
#include "storage/recovery.h"
#include "storage/segment_factory.h"
#include "storage/sessions.h"
#include "storage/snapshot_file.h"
#include "storage/store.h"
#include "storage/thread_annotations.h"

namespace storage {

struct StoreState {
  explicit StoreState(StoreOptions opts)
      : options(std::move(opts)),
        fs(options.fs != nullptr ? *options.fs : posix_file_system()),
        owned_clock(options.clock != nullptr ? nullptr : std::make_unique<SystemClock>()),
        clock(options.clock != nullptr ? *options.clock : *owned_clock),
        lock_path(options.path + ".lock"),
        catalog(options.session_id),
        snapshot(fs, options.path),
        journal(fs, options.path + ".journal", options.sync == SyncMode::kAlways),
        index(fs, options.path + ".index"),
        compaction(fs, catalog, snapshot, journal, index, options.compact_min_journal_bytes),
        recovery(fs, clock, catalog, snapshot, journal, index, closing),
        segments(clock, options.limits),
        sessions(fs, options.path, options.session_id) {}

  const StoreOptions options;
  FileSystem& fs;
  const std::unique_ptr<Clock> owned_clock;  // when options.clock is null
  const Clock& clock;
  const std::string lock_path;  // the advisory lock file shared by every process
  // Set by ~Store: a load still running gives up between segments, so a server whose client has
  // gone exits at once instead of finishing a long index build nobody will use.
  std::atomic<bool> closing{false};

  // Guards every part below. Taken by StoreAccess, and by the loading thread.
  Mutex mu;
  Catalog catalog GUARDED_BY(mu);
  SnapshotFile snapshot GUARDED_BY(mu);
  Journal journal GUARDED_BY(mu);
  IndexFile index GUARDED_BY(mu);
  Compaction compaction GUARDED_BY(mu);
  Recovery recovery GUARDED_BY(mu);
  SegmentFactory segments GUARDED_BY(mu);
  SessionLocks sessions GUARDED_BY(mu);
  // True from the first durable write of this session's working set until end_session(): read
  // without the mutex, so that ending a session that stored nothing never waits for the load.
  std::atomic<bool> session_live{false};

  // Last, so that it is destroyed first: a running load uses the parts above.
  BackgroundLoad load;
};

}  // namespace storage
