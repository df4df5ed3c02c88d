#include "storage/background_load.h"

#include <utility>

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
  while (!done_ && blocked_.ok()) mu_.wait(done_cv_);
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
