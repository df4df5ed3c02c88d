// Mutex and MutexLock: std::mutex with the thread-safety annotations clang needs to check what it
// guards (leveldb's port::Mutex and MutexLock). libstdc++'s std::mutex carries none.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "storage/thread_annotations.h"

namespace storage {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }

  // Releases the mutex until `cv` is notified (or wakes spuriously), then takes it again: call in
  // a loop that rechecks the condition. Caller holds the mutex.
  void wait(std::condition_variable& cv) REQUIRES(this) {
    std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
    cv.wait(lock);
    lock.release();  // still held: ownership goes back to the caller
  }
  // The same, waking after `timeout` at the latest.
  void wait_for(std::condition_variable& cv, std::chrono::milliseconds timeout) REQUIRES(this) {
    std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
    cv.wait_for(lock, timeout);
    lock.release();
  }

 private:
  std::mutex mu_;
};

// Holds `mu` for its lifetime.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.lock(); }
  ~MutexLock() RELEASE() { mu_.unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

}  // namespace storage
