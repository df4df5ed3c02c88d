#include "storage/background_load.h"

#include <chrono>
#include <utility>

#include "storage/file_system.h"

namespace storage {

BackgroundLoad::~BackgroundLoad() { join(); }

void BackgroundLoad::start(std::function<Status()> body) {
  thread_ = std::thread([this, body = std::move(body)] {
    Status st = body();
    {
      MutexLock lock(mu_);
      status_ = std::move(st);
      done_ = true;
    }
    done_cv_.notify_all();
  });
}

Status BackgroundLoad::wait() {
  MutexLock lock(mu_);
  // A stop signal cannot notify a condition variable; the wait looks at it every 20 ms, so that a
  // call waiting for a long load fails at once and the server can exit.
  while (!done_ && blocked_.ok()) {
    if (lock_waits_cancelled()) return Status::io_error("ooc is stopping (a stop signal): the store was still loading");
    mu_.wait_for(done_cv_, std::chrono::milliseconds(20));
  }
  return done_ ? status_ : blocked_;
}

void BackgroundLoad::report_blocked(Status why) {
  {
    MutexLock lock(mu_);
    blocked_ = std::move(why);
  }
  done_cv_.notify_all();
}

void BackgroundLoad::join() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace storage
