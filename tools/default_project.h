// DefaultProject: the server's default project, readable and replaceable while serving. It starts
// as OUT_OF_CONTEXT_PROJECT / --project / the working directory's git root (project_id.h) and is
// replaced when a client's roots arrive (roots_project.h). Tools read it once per call.
//
// Contract: thread-safe (a mutex around one string); get() returns a copy.
#pragma once

#include <mutex>
#include <string>
#include <utility>

namespace tools {

class DefaultProject {
 public:
  explicit DefaultProject(std::string initial) : value_(std::move(initial)) {}

  std::string get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return value_;
  }
  void set(std::string project) {
    std::lock_guard<std::mutex> lock(mutex_);
    value_ = std::move(project);
  }
  // Sets `project` only if the value is still `expected` (a later, better source such as the
  // client's roots is never overwritten by an earlier one finishing late).
  bool replace(const std::string& expected, std::string project) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (value_ != expected) return false;
    value_ = std::move(project);
    return true;
  }

 private:
  mutable std::mutex mutex_;
  std::string value_;
};

}  // namespace tools
