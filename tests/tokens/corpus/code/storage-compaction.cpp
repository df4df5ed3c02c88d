#include "storage/compaction.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <initializer_list>
#include <system_error>
#include <thread>
#include <vector>
#include <string>

#include <spdlog/spdlog.h>

#include "storage/pid_files.h"
#include "storage/snapshot_codec.h"

namespace storage {

bool Compaction::due() const {
  const uint64_t threshold = std::max(min_journal_bytes_, snapshot_.bytes() / 2);
  const uint64_t dead = snapshot_.is_current(dead_for_) ? dead_journal_bytes_ : 0;
  const uint64_t live = journal_.offset() > dead ? journal_.offset() - dead : 0;
  return live > threshold;
}

void Compaction::note_outcome(bool ok, int64_t now_ms) {
  if (ok) {
    failures_ = 0;
    retry_at_ms_ = INT64_MIN;
    return;
  }
  constexpr int64_t kFirstMs = 1000;
  constexpr int64_t kLongestMs = 5 * 60 * 1000;
  failures_ = std::min(failures_ + 1, 20);
  retry_at_ms_ = now_ms + std::min(kLongestMs, kFirstMs << (failures_ - 1));
}

Status Compaction::run() {
  const std::string bytes = encode_snapshot(catalog_.last_seq(), catalog_.snapshot_view());
  if (Status st = snapshot_.write(bytes); !st.ok()) return st;
  // The snapshot now holds every batch up to last_seq; journal lines <= last_seq are skipped at
  // load, so a crash before this truncation loses nothing.
  if (Status st = journal_.clear(); !st.ok()) return st;
  dead_journal_bytes_ = 0;
  if (Status st = snapshot_.remember(); !st.ok()) return st;
  auto identity = identity_of_snapshot(bytes, catalog_.last_seq());
  Status st = identity.ok() ? index_.save(*identity, catalog_) : identity.status();
  if (!st.ok()) spdlog::warn("cannot write the index file {} (the next load rebuilds it): {}", index_.path(), st.to_string());
  return Status::ok_status();
}

namespace {

// Closes every inherited descriptor but stdin, stdout and stderr: a lock descriptor the child
// kept open would hold the store's flock after this process lets go of it.
void close_inherited_descriptors() {
#ifdef SYS_close_range
  if (::syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
#endif
  const long max = std::min<long>(::sysconf(_SC_OPEN_MAX), 65536);
  for (int fd = 3; fd < max; ++fd) ::close(fd);
}

}  // namespace

namespace {

// Descriptors of files about to be replaced, closed on a detached thread when it goes away.
class DeferredClose {
 public:
  explicit DeferredClose(std::initializer_list<std::string> paths) {
    for (const std::string& path : paths) {
      const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
      if (fd >= 0) fds_.push_back(fd);
    }
  }
  ~DeferredClose() {
    if (fds_.empty()) return;
    try {
      std::thread([fds = fds_] {
        for (int fd : fds) ::close(fd);
      }).detach();
    } catch (const std::system_error&) {  // no thread: close them here
      for (int fd : fds_) ::close(fd);
    }
  }
  DeferredClose(const DeferredClose&) = delete;
  DeferredClose& operator=(const DeferredClose&) = delete;

 private:
  std::vector<int> fds_;
};

// The child yields the CPU and the disk to the processes serving agents: nice 10, and the idle
// I/O class where the I/O scheduler honours it (bfq, cfq). Failures are ignored.
void lower_priority() {
  (void)::nice(10);
#ifdef SYS_ioprio_set
  constexpr int kWhoProcess = 1;  // IOPRIO_WHO_PROCESS
  constexpr int kClassIdle = 3;   // IOPRIO_CLASS_IDLE
  constexpr int kClassShift = 13;
  (void)::syscall(SYS_ioprio_set, kWhoProcess, 0, kClassIdle << kClassShift);
#endif
}

}  // namespace

Status Compaction::start_background() {
  if (running()) return Status::ok_status();
  auto base = snapshot_.stat();
  if (!base.ok()) return base.status();
  remove_dead_pid_files(fs_, snapshot_.path() + ".compact-");
  remove_dead_pid_files(fs_, index_.path() + ".compact-");
  const uint64_t seq = catalog_.last_seq();
  const auto forking = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) return Status::io_error(std::string("fork for a background compaction: ") + std::strerror(errno));
  if (pid == 0) {
    // The child: only this thread exists; it writes its two files and ends, never logging (a
    // logger's lock may have been held by another thread at the fork) and never returning.
    close_inherited_descriptors();
    lower_priority();
    const std::string snapshot_file = own_pid_file(snapshot_.path() + ".compact-");
    const std::string index_file = own_pid_file(index_.path() + ".compact-");
    if (!fs_.remove(snapshot_file).ok()) ::_exit(1);
    // Synced every 16 MiB: the dirty pages never pile up into one long flush that the parent's
    // own fdatasync calls would queue behind.
    uint64_t unsynced = 0;
    auto encoded = encode_snapshot_to(seq, catalog_.snapshot_view(), [&](std::string_view piece) {
      unsynced += piece.size();
      const bool sync = unsynced >= (16u << 20);
      if (sync) unsynced = 0;
      return fs_.append(snapshot_file, piece, sync);
    });
    if (!encoded.ok() || !fs_.append(snapshot_file, "", true).ok()) ::_exit(1);
    if (index_.check_replaceable().ok()) {
      (void)index_.write_to(index_file, IndexIdentity{encoded->checksum, encoded->bytes, seq}, catalog_);
    }
    ::_exit(0);
  }
  spdlog::info("background compaction: child {} writes the snapshot at seq {} (fork took {:.1f} ms)", pid, seq,
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - forking).count());
  child_ = pid;
  child_running_.store(true);
  child_base_ = *base;
  child_journal_offset_ = journal_.offset();
  child_snapshot_ = snapshot_.path() + ".compact-" + std::to_string(pid);
  child_index_ = index_.path() + ".compact-" + std::to_string(pid);
  return Status::ok_status();
}

Result<Compaction::Outcome> Compaction::finish(bool wait) {
  if (!running()) return Outcome::kRunning;
  int status = 0;
  pid_t done = 0;
  do {
    done = ::waitpid(child_, &status, wait ? 0 : WNOHANG);
  } while (done < 0 && errno == EINTR);
  if (done == 0) return Outcome::kRunning;
  child_ = 0;
  child_running_.store(false);
  if (done < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    remove_child_files();
    return Status::io_error("the background compaction failed (" +
                            std::string(done < 0 ? "lost" : WIFSIGNALED(status) ? "killed" : "exit status") +
                            (done >= 0 && WIFEXITED(status) ? " " + std::to_string(WEXITSTATUS(status)) : "") + ")");
  }
  auto current = snapshot_.stat();
  if (!current.ok()) {
    remove_child_files();
    return current.status();
  }
  if (!(*current == child_base_)) {  // another process compacted (or repaired) meanwhile
    remove_child_files();
    return Outcome::kDiscarded;
  }
  // Replacing a file frees its blocks inside rename(2) when nothing else holds it open: hundreds
  // of milliseconds for a snapshot or index file of gigabytes. Holding them open here and closing
  // them on a thread of their own moves that cost off the write.
  DeferredClose old_files({snapshot_.path(), index_.path()});
  // 1. The new snapshot (journal_seq = the fork's seq): from here lines up to it are skipped.
  //    No directory fsync: lost at a power cut, the old snapshot is back with the whole journal
  //    (a valid state); the journal rewrite below syncs the directory, and with it this rename.
  if (Status st = fs_.rename_unsynced(child_snapshot_, snapshot_.path()); !st.ok()) {
    remove_child_files();
    return st;
  }
  if (Status st = snapshot_.remember(); !st.ok()) return st;
  // 2. The journal keeps only what was written since the fork: copied now when that is quick;
  //    else the file stays whole (the batches the snapshot holds are skipped by seq at load)
  //    and a later swap drops them, so that no write waits for a long copy.
  constexpr uint64_t kQuickTailBytes = 4u << 20;
  if (journal_.offset() - child_journal_offset_ <= kQuickTailBytes) {
    if (Status st = journal_.keep_from(child_journal_offset_); !st.ok()) {
      (void)fs_.remove(child_index_);
      return st;
    }
    dead_journal_bytes_ = 0;
  } else {
    dead_journal_bytes_ = child_journal_offset_;
    if (auto now = snapshot_.stat(); now.ok()) dead_for_ = *now;
  }
  // 3. The index file of the new snapshot, when the child could write one.
  if (auto index = fs_.stat(child_index_); index.ok() && index->exists) {
    Status st = index_.check_replaceable();
    if (st.ok()) st = fs_.rename_unsynced(child_index_, index_.path());  // a cache: never synced
    if (!st.ok()) (void)fs_.remove(child_index_);
  }
  return Outcome::kSwapped;
}

void Compaction::abandon() {
  if (!running()) return;
  ::kill(child_, SIGKILL);
  while (::waitpid(child_, nullptr, 0) < 0 && errno == EINTR) {
  }
  child_ = 0;
  child_running_.store(false);
  remove_child_files();
}

void Compaction::remove_child_files() {
  (void)fs_.remove(child_snapshot_);
  (void)fs_.remove(child_index_);
}

}  // namespace storage
