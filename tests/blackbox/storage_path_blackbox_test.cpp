// The storage-path table on the real binary (issue 10): what `ooc serve` does when
// OUT_OF_CONTEXT_STORAGE_PATH names a directory, a symlink, a dangling symlink, a FIFO, someone's
// other file or a path under a regular file. Either the store works, or every storage call is a
// clear STORAGE_ERROR naming the path, and the foreign file is untouched (same inode, same bytes).
// A character device is the same rule as the FIFO; it is tested through the FileSystem seam
// (tests/storage/recovery_test.cpp), never against a real device. Also: a file-size limit
// (`ulimit -f`) is an error, not a kill, and `ooc export FILE` never writes through a link planted
// at FILE.tmp.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/blackbox/ooc_process.h"
#include "tests/support/temp_dir.h"

namespace blackbox {
namespace {

using mcp::Json;
using testing::read_text;
using testing::TempDir;
using testing::write_text;

OocEnv env_for(const TempDir& home, const std::string& storage_path) {
  OocEnv e;
  e.home = home.path();
  e.storage_path = storage_path;
  return e;
}

const Json& result_of(const Json& reply) {
  static const Json empty = Json::object();
  auto it = reply.find("result");
  return it != reply.end() ? *it : empty;
}

bool is_error_result(const Json& reply) { return result_of(reply).value("isError", false); }

std::string first_text(const Json& reply) {
  const Json& result = result_of(reply);
  auto content = result.find("content");
  if (content == result.end() || !content->is_array() || content->empty()) return "";
  return (*content)[0].value("text", "");
}

// context_store then context_stash of one segment; the stash reply.
Json store_and_stash(OocProcess& ooc, long long id, const std::string& segment_id, const std::string& text) {
  Json stored = call(ooc, tool_call(id, "context_store", {{"segments", {{{"segment_id", segment_id}, {"text", text}}}}}));
  REQUIRE(stored.contains("result"));
  return call(ooc, tool_call(id + 1, "context_stash", {{"segment_ids", {segment_id}}}));
}

// What identifies a file and its contents: a refused file must keep all of it.
struct Fingerprint {
  ino_t inode = 0;
  mode_t mode = 0;
  std::string bytes;
  bool operator==(const Fingerprint&) const = default;
};

Fingerprint fingerprint(const std::string& path, bool read_bytes = true) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return Fingerprint{st.st_ino, st.st_mode, read_bytes ? read_text(path) : std::string()};
}

// The names in `dir`, sorted.
std::string listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += n + " ";
  return out;
}

// A server on `storage_path` whose storage calls must fail naming `named`, then exits on EOF.
void expect_refused(const TempDir& home, const std::string& storage_path, const std::string& named,
                    const std::string& what) {
  OocProcess ooc(env_for(home, storage_path));
  REQUIRE(initialize(ooc).contains("result"));
  Json stashed = store_and_stash(ooc, 1, "s1", "some text");
  INFO(stashed.dump());
  INFO(ooc.stderr_text());
  CHECK(is_error_result(stashed));
  CHECK(first_text(stashed).find("STORAGE_ERROR") != std::string::npos);
  CHECK(first_text(stashed).find(named) != std::string::npos);
  CHECK(first_text(stashed).find(what) != std::string::npos);
  Json listed = call(ooc, tool_call(3, "context_list_projects", Json::object()));
  CHECK(is_error_result(listed));
  CHECK(call(ooc, request(4, "ping")).contains("result"));
  ooc.close_stdin();
  CHECK(ooc.wait_exit(std::chrono::milliseconds(2000)) == 0);
}

}  // namespace

TEST_CASE("blackbox storage path: a directory holds storage.json and its journal") {
  TempDir home;
  TempDir dir;
  OocProcess ooc(env_for(home, dir.path()));
  REQUIRE(initialize(ooc).contains("result"));
  CHECK_FALSE(is_error_result(store_and_stash(ooc, 1, "s1", "kept in a directory")));
  ooc.close_stdin();
  CHECK(ooc.wait_exit() == 0);
  CHECK(read_text(dir.file("storage.json.journal")).find("kept in a directory") != std::string::npos);
}

TEST_CASE("blackbox storage path: through a symlink every file lives beside the target and the link stays a link") {
  TempDir home;
  TempDir real_dir;
  TempDir link_dir;
  const std::string target = real_dir.file("storage.json");
  const std::string link = link_dir.file("storage.json");
  {
    OocProcess seed(env_for(home, target));  // a real store with one compacted segment
    REQUIRE(initialize(seed).contains("result"));
    REQUIRE_FALSE(is_error_result(store_and_stash(seed, 1, "first", "written through the real path")));
    seed.close_stdin();
    REQUIRE(seed.wait_exit() == 0);
  }
  REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
  {
    OocProcess ooc(env_for(home, link));
    REQUIRE(initialize(ooc).contains("result"));
    CHECK_FALSE(is_error_result(store_and_stash(ooc, 1, "second", "written through the link")));
    ooc.close_stdin();
    CHECK(ooc.wait_exit() == 0);
  }
  CHECK(std::filesystem::is_symlink(link));
  CHECK(listing(link_dir.path()) == "storage.json ");  // no journal or lock beside the link
  CHECK(read_text(target + ".journal").find("written through the link") != std::string::npos);
  OocProcess reader(env_for(home, target));
  REQUIRE(initialize(reader).contains("result"));
  Json found = call(reader, tool_call(1, "context_retrieve_stashed", {{"segment_ids", {"first", "second"}}}));
  INFO(found.dump());
  CHECK(result_of(found)["structuredContent"]["segments"].size() == 2);
}

TEST_CASE("blackbox storage path: a dangling symlink creates the store where it points and stays a link") {
  TempDir home;
  TempDir real_dir;
  TempDir link_dir;
  const std::string target = real_dir.file("new.json");
  const std::string link = link_dir.file("storage.json");
  REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
  OocProcess ooc(env_for(home, link));
  REQUIRE(initialize(ooc).contains("result"));
  CHECK_FALSE(is_error_result(store_and_stash(ooc, 1, "s1", "behind a dangling link")));
  ooc.close_stdin();
  CHECK(ooc.wait_exit() == 0);
  CHECK(std::filesystem::is_symlink(link));
  CHECK(listing(link_dir.path()) == "storage.json ");
  CHECK(read_text(target + ".journal").find("behind a dangling link") != std::string::npos);
}

TEST_CASE("blackbox storage path: a FIFO is refused at once and EOF still ends the server") {
  TempDir home;
  TempDir dir;
  const std::string fifo = dir.file("storage.json");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const Fingerprint before = fingerprint(fifo, false);
  expect_refused(home, fifo, fifo, "FIFO");
  CHECK(fingerprint(fifo, false) == before);
  CHECK(listing(dir.path()) == "storage.json ");
}

TEST_CASE("blackbox storage path: a FIFO as the journal is refused and SIGTERM still ends the server") {
  TempDir home;
  TempDir dir;
  const std::string fifo = dir.file("storage.json.journal");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  OocProcess ooc(env_for(home, dir.file("storage.json")));
  REQUIRE(initialize(ooc).contains("result"));
  Json stashed = store_and_stash(ooc, 1, "s1", "text");
  CHECK(is_error_result(stashed));
  CHECK(first_text(stashed).find(fifo) != std::string::npos);
  ooc.send_signal(SIGTERM);
  CHECK(ooc.wait_exit(std::chrono::milliseconds(2000)) == 0);
  CHECK(listing(dir.path()) == "storage.json.journal ");
}

TEST_CASE("blackbox storage path: someone's other file is refused and left byte for byte where it was") {
  TempDir home;
  TempDir dir;
  const std::string notes = dir.file("notes.txt");
  write_text(notes, "my notes, not a store\n");
  const Fingerprint before = fingerprint(notes);
  expect_refused(home, notes, notes, "not an ooc store");
  CHECK(fingerprint(notes) == before);
  CHECK(listing(dir.path()) == "notes.txt ");  // nothing moved aside, nothing created beside it
}

TEST_CASE("blackbox storage path: a path under a regular file is an error naming that file, which is untouched") {
  TempDir home;
  TempDir dir;
  const std::string file = dir.file("plain");
  write_text(file, "plain bytes");
  const Fingerprint before = fingerprint(file);
  expect_refused(home, file + "/storage.json", file, "");
  CHECK(fingerprint(file) == before);
  CHECK(listing(dir.path()) == "plain ");
}

TEST_CASE("blackbox storage path: over the file-size limit a stash is a STORAGE_ERROR and the server lives on") {
  TempDir home;
  TempDir dir;
  OocProcess ooc(env_for(home, dir.path()));
  // RLIMIT_FSIZE of the child (as `ulimit -f` would set it); it writes nothing before its first stash.
  const rlimit limit{4096, 4096};
  REQUIRE(::prlimit(ooc.pid(), RLIMIT_FSIZE, &limit, nullptr) == 0);
  REQUIRE(initialize(ooc).contains("result"));
  // One write call (an inline stash): with durable working sets a context_store writes too.
  const auto stash_inline = [&ooc](long long id, const std::string& segment_id, const std::string& text) {
    return call(ooc, tool_call(id, "context_stash", {{"segments", {{{"segment_id", segment_id}, {"text", text}}}}}));
  };
  Json big = stash_inline(1, "big", std::string(20000, 'x'));
  INFO(ooc.stderr_text());
  CHECK(is_error_result(big));
  CHECK(first_text(big).find("STORAGE_ERROR") != std::string::npos);
  CHECK(first_text(big).find("File too large") != std::string::npos);
  CHECK(call(ooc, request(3, "ping")).contains("result"));
  CHECK_FALSE(is_error_result(stash_inline(4, "small", "fits under the limit")));
  ooc.close_stdin();
  CHECK(ooc.wait_exit() == 0);
  CHECK(read_text(dir.file("storage.json.journal")).find("fits under the limit") != std::string::npos);
}

TEST_CASE("blackbox storage path: ooc export FILE never writes through a symlink planted at FILE.tmp") {
  TempDir home;
  TempDir dir;
  const std::string victim = dir.file("victim");
  write_text(victim, "precious");
  const std::string out = dir.file("out.jsonl");
  REQUIRE(::symlink(victim.c_str(), (out + ".tmp").c_str()) == 0);
  {
    OocProcess seed(env_for(home, dir.file("store")));
    REQUIRE(initialize(seed).contains("result"));
    REQUIRE_FALSE(is_error_result(store_and_stash(seed, 1, "s1", "exported text")));
    seed.close_stdin();
    REQUIRE(seed.wait_exit() == 0);
  }
  OocProcess exporter(env_for(home, dir.file("store")), {"export", out});
  CHECK(exporter.wait_exit() == 0);
  INFO(exporter.stderr_text());
  CHECK(read_text(victim) == "precious");
  CHECK(read_text(out).find("exported text") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(std::filesystem::symlink_status(out + ".tmp")));
}

}  // namespace blackbox
