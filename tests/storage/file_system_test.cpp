// Tests of storage/file_system.h against the real PosixFileSystem in a temp dir: the seam every
// engine test relies on, checked directly.
#include "storage/file_system.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/support/temp_dir.h"

using namespace storage;
using testing::read_text;
using testing::TempDir;
using testing::write_text;

namespace {

// True when a new open file description can take the lock in `op` (LOCK_SH / LOCK_EX) at once.
// flock(2) locks conflict between open file descriptions, even in one process.
bool can_lock_now(const std::string& path, int op) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  const bool granted = ::flock(fd, op | LOCK_NB) == 0;
  ::close(fd);
  return granted;
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777u;
}

}  // namespace

TEST_CASE("file system: append creates the file with mode 0600 and adds at the end") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string path = dir.file("journal");
  REQUIRE(fs.append(path, "ab", true).ok());
  REQUIRE(fs.append(path, "cd", false).ok());
  CHECK(read_text(path) == "abcd");
  CHECK(mode_of(path) == 0600u);
}

TEST_CASE("file system: read_range returns the bytes asked for and fewer at the end of the file") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string path = dir.file("f");
  write_text(path, "0123456789");
  CHECK(*fs.read_range(path, 2, 3) == "234");
  CHECK(*fs.read_range(path, 8, 100) == "89");
  CHECK(fs.read_range(path, 10, 5)->empty());
  CHECK(fs.read_range(path, 99, 5)->empty());
  CHECK(*fs.read_file(path) == "0123456789");
}

TEST_CASE("file system: reading a missing file is not_found naming the path") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string path = dir.file("missing");
  auto whole = fs.read_file(path);
  REQUIRE_FALSE(whole.ok());
  CHECK(whole.status().code() == Status::Code::kNotFound);
  CHECK(whole.status().message().find(path) != std::string::npos);
  auto part = fs.read_range(path, 0, 1);
  REQUIRE_FALSE(part.ok());
  CHECK(part.status().code() == Status::Code::kNotFound);
}

TEST_CASE("file system: truncate cuts the file to the size given") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string path = dir.file("journal");
  write_text(path, "good line\ntorn");
  REQUIRE(fs.truncate(path, 10, true).ok());
  CHECK(read_text(path) == "good line\n");
  REQUIRE(fs.truncate(path, 0, false).ok());
  CHECK(read_text(path).empty());
}

TEST_CASE("file system: write_file_atomically replaces the whole file and leaves no tmp file") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string path = dir.file("storage.json");
  REQUIRE(fs.write_file_atomically(path, "a longer old content").ok());
  auto before = fs.stat(path);
  REQUIRE(fs.write_file_atomically(path, "new").ok());
  CHECK(read_text(path) == "new");
  CHECK(mode_of(path) == 0600u);
  CHECK_FALSE(fs.stat(path + ".tmp")->exists);
  auto after = fs.stat(path);
  REQUIRE(before.ok());
  REQUIRE(after.ok());
  CHECK(*before != *after);  // what lets another process notice a compaction
  CHECK(after->size == 3);
}

TEST_CASE("file system: stat tells missing files, regular files and directories apart") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string path = dir.file("f");
  auto missing = fs.stat(path);
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->exists);
  CHECK(*missing == FileInfo{});
  write_text(path, "12345");
  auto file = fs.stat(path);
  REQUIRE(file.ok());
  CHECK(file->exists);
  CHECK_FALSE(file->is_directory);
  CHECK(file->size == 5);
  CHECK(*fs.stat(path) == *file);  // unchanged file, equal infos
  auto directory = fs.stat(dir.path());
  REQUIRE(directory.ok());
  CHECK(directory->is_directory);
  CHECK_FALSE(fs.stat(path + "/below")->exists);  // through a file: missing, not an error
}

TEST_CASE("file system: remove deletes a file and is ok when it is already missing") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string path = dir.file("f");
  write_text(path, "x");
  REQUIRE(fs.remove(path).ok());
  CHECK_FALSE(fs.stat(path)->exists);
  CHECK(fs.remove(path).ok());
}

TEST_CASE("file system: rename moves a file over another") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  write_text(dir.file("a"), "A");
  write_text(dir.file("b"), "B");
  REQUIRE(fs.rename(dir.file("a"), dir.file("b")).ok());
  CHECK(read_text(dir.file("b")) == "A");
  CHECK_FALSE(fs.stat(dir.file("a"))->exists);
}

TEST_CASE("file system: create_directories makes nested directories with mode 0700") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string nested = dir.file("one/two/three");
  REQUIRE(fs.create_directories(nested).ok());
  CHECK(fs.stat(nested)->is_directory);
  CHECK(mode_of(dir.file("one")) == 0700u);
  CHECK(fs.create_directories(nested).ok());  // already there
}

TEST_CASE("file system: a path through a regular file fails naming the path and the reason") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  write_text(dir.file("file"), "x");
  const Status made = fs.create_directories(dir.file("file/sub"));
  CHECK(made.code() == Status::Code::kIoError);
  CHECK(made.message().find(dir.file("file")) != std::string::npos);
  const Status appended = fs.append(dir.file("file/journal"), "x", true);
  CHECK(appended.code() == Status::Code::kIoError);
  CHECK(appended.message() == "open " + dir.file("file/journal") + ": Not a directory");
}

TEST_CASE("file system: an exclusive lock keeps every other holder out until it is released") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string path = dir.file("storage.json.lock");
  {
    auto lock = fs.lock(path, LockMode::kExclusive);
    REQUIRE(lock.ok());
    CHECK(mode_of(path) == 0600u);  // created on first use
    CHECK_FALSE(can_lock_now(path, LOCK_SH));
    CHECK_FALSE(can_lock_now(path, LOCK_EX));
  }
  CHECK(can_lock_now(path, LOCK_EX));
}

TEST_CASE("file system: shared locks coexist and keep an exclusive lock out") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string path = dir.file("storage.json.lock");
  auto first = fs.lock(path, LockMode::kShared);
  auto second = fs.lock(path, LockMode::kShared);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(can_lock_now(path, LOCK_SH));
  CHECK_FALSE(can_lock_now(path, LOCK_EX));
  first.value().reset();
  CHECK_FALSE(can_lock_now(path, LOCK_EX));
  second.value().reset();
  CHECK(can_lock_now(path, LOCK_EX));
}

TEST_CASE("file system: stat says what kind of file a path names") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  write_text(dir.file("f"), "x");
  REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
  CHECK(fs.stat(dir.file("f"))->kind == FileKind::kRegular);
  CHECK(fs.stat(dir.path())->kind == FileKind::kDirectory);
  CHECK(fs.stat(dir.file("fifo"))->kind == FileKind::kFifo);
  CHECK(fs.stat(dir.file("missing"))->kind == FileKind::kMissing);
  CHECK(std::string(describe(FileKind::kCharDevice)) == "a character device");
}

TEST_CASE("file system: a FIFO is refused at once by every open naming the path and what it is") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string fifo = dir.file("storage.json.journal");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Holding both ends open means even a blocking open(2) returns: the refusal is the fstat(2) check.
  const int holder = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  REQUIRE(holder >= 0);
  auto read = fs.read_file(fifo);
  REQUIRE_FALSE(read.ok());
  CHECK(read.status().message() == "open " + fifo + ": is a FIFO, not a regular file; ooc does not use it");
  const Status appended = fs.append(fifo, "line\n", true);
  CHECK(appended.message().find(fifo + ": is a FIFO") != std::string::npos);
  CHECK(fs.truncate(fifo, 0, true).message().find("is a FIFO") != std::string::npos);
  CHECK(fs.lock(fifo, LockMode::kShared).status().message().find("is a FIFO") != std::string::npos);
  char byte = 0;
  CHECK(::read(holder, &byte, 1) < 0);  // nothing was written into it
  ::close(holder);
}

TEST_CASE("file system: a symbolic link at a store file's name is refused and its target untouched") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string victim = dir.file("victim");
  write_text(victim, "precious");
  const std::string link = dir.file("storage.json.journal");
  REQUIRE(::symlink(victim.c_str(), link.c_str()) == 0);
  const Status appended = fs.append(link, "line\n", true);
  CHECK(appended.message() == "open " + link + ": is a symbolic link, not a regular file; ooc does not use it");
  CHECK_FALSE(fs.truncate(link, 0, true).ok());
  CHECK_FALSE(fs.read_file(link).ok());
  CHECK(read_text(victim) == "precious");
}

TEST_CASE("file system: write_file_atomically never writes through a link planted at the tmp name") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string path = dir.file("export.jsonl");
  const std::string victim = dir.file("victim");
  write_text(victim, "precious");
  REQUIRE(::symlink(victim.c_str(), (path + ".tmp").c_str()) == 0);
  REQUIRE(fs.write_file_atomically(path, "new").ok());
  CHECK(read_text(victim) == "precious");
  CHECK(read_text(path) == "new");
  // A dangling link: its target is not created either.
  const std::string nowhere = dir.file("created-through-the-link");
  REQUIRE(::symlink(nowhere.c_str(), (path + ".tmp").c_str()) == 0);
  REQUIRE(fs.write_file_atomically(path, "newer").ok());
  CHECK_FALSE(std::filesystem::exists(nowhere));
  CHECK(read_text(path) == "newer");
  CHECK_FALSE(std::filesystem::exists(std::filesystem::symlink_status(path + ".tmp")));
}

TEST_CASE("file system: write_file_atomically replaces a tmp file a crash left behind") {
  TempDir dir;
  FileSystem& fs = posix_file_system();
  const std::string path = dir.file("storage.json");
  write_text(path + ".tmp", "half of an old snapsh");
  REQUIRE(fs.write_file_atomically(path, "whole").ok());
  CHECK(read_text(path) == "whole");
  CHECK(mode_of(path) == 0600u);
  CHECK_FALSE(fs.stat(path + ".tmp")->exists);
}

TEST_CASE("file system: real_path resolves links in the parts that exist and keeps the missing tail") {
  TempDir dir;
  TempDir other;
  FileSystem& fs = posix_file_system();
  const std::string real_other = *fs.real_path(other.path());
  write_text(other.file("storage.json"), "{}");
  REQUIRE(::symlink(other.file("storage.json").c_str(), dir.file("link.json").c_str()) == 0);
  CHECK(*fs.real_path(dir.file("link.json")) == real_other + "/storage.json");
  REQUIRE(::symlink(other.file("new.json").c_str(), dir.file("dangling.json").c_str()) == 0);
  CHECK(*fs.real_path(dir.file("dangling.json")) == real_other + "/new.json");
  REQUIRE(::symlink(other.path().c_str(), dir.file("linked-dir").c_str()) == 0);
  CHECK(*fs.real_path(dir.file("linked-dir/a/b/storage.json")) == real_other + "/a/b/storage.json");
  REQUIRE(::symlink("loop", dir.file("loop").c_str()) == 0);
  CHECK_FALSE(fs.real_path(dir.file("loop")).ok());
}

// Root ignores permission bits, so as root the check runs in a child that has dropped to nobody.
TEST_CASE("file system: a shared lock in an unwritable empty directory says permission denied") {
  TempDir dir;
  const std::string locked = dir.file("locked");
  REQUIRE(::mkdir(locked.c_str(), 0555) == 0);
  const std::string lock_path = locked + "/storage.json.lock";
  const auto message = [&lock_path] {
    auto lock = posix_file_system().lock(lock_path, LockMode::kShared);
    return lock.ok() ? std::string("granted") : lock.status().message();
  };
  const std::string expected = "open lock file " + lock_path + ": Permission denied";
  if (::geteuid() != 0) {
    CHECK(message() == expected);
    return;
  }
  REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);  // nobody must reach the directory
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    ::_exit(message() == expected ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("file system: a lock holder served twice by /proc/locks is named once") {
  // /proc/locks is read in pages; a line can be served twice while locks change between reads.
  const std::string proc_locks =
      "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF\n"
      "1: -> FLOCK  ADVISORY  WRITE 777 08:01:1234 0 EOF\n"
      "2: POSIX  ADVISORY  WRITE 99 08:01:5555 0 EOF\n"
      "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF\n";
  CHECK(describe_lock_holders(proc_locks, 8, 1, 1234) == "pid 4242");
  CHECK(describe_lock_holders(proc_locks + "3: FLOCK  ADVISORY  READ 4243 08:01:1234 0 EOF\n", 8, 1, 1234) ==
        "pids 4242, 4243");
  CHECK(describe_lock_holders(proc_locks, 8, 1, 9) == "an unknown process");
  CHECK(describe_lock_holders("", 8, 1, 1234) == "an unknown process");
}

TEST_CASE("file system: lock_holders names this process while it holds a lock on the file") {
  TempDir dir;
  const std::string path = dir.file("held.lock");
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  CHECK(lock_holders(path) == "pid " + std::to_string(::getpid()));
  ::close(fd);
  CHECK(lock_holders(path) == "an unknown process");
}
