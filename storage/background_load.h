// BackgroundLoad: runs the store's loading on a thread of its own, so that open() returns at once
// and the first call waits (DESIGN §3).
//
// Thread-safe. The destructor joins the thread; to make a long load give up early, the body
// polls a flag of its owner's (see StoreState::closing).
#pragma once

#include <condition_variable>
#include <functional>
#include <thread>

#include "storage/mutex.h"
#include "storage/status.h"
#include "storage/thread_annotations.h"

namespace storage {

class BackgroundLoad {
 public:
  BackgroundLoad() = default;
  ~BackgroundLoad();
  BackgroundLoad(const BackgroundLoad&) = delete;
  BackgroundLoad& operator=(const BackgroundLoad&) = delete;

  // Runs `body` on a new thread; its Status is what wait() returns. Call once.
  void start(std::function<Status()> body);
  // Blocks until the body has returned (its Status), or while the body reports itself blocked
  // (returns that report at once: a call fails instead of waiting behind a hung lock holder), or
  // after a stop signal (cancel_lock_waits(): an io_error within 20 ms).
  Status wait() EXCLUDES(mu_);
  // Called by the body: it cannot go on for now (`why`), or it can again (ok).
  void report_blocked(Status why) EXCLUDES(mu_);
  // Waits for the thread to end (if one was started).
  void join();

 private:
  std::thread thread_;
  Mutex mu_;
  std::condition_variable done_cv_;
  bool done_ GUARDED_BY(mu_) = false;
  Status status_ GUARDED_BY(mu_);
  Status blocked_ GUARDED_BY(mu_);
};

}  // namespace storage
