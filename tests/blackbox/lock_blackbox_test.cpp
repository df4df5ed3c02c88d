// Lock waits on the real binary (issue 10 #7): a process that holds the store's lock and never
// lets go (stopped, hung) makes calls fail with STORAGE_ERROR naming its pid within
// OUT_OF_CONTEXT_LOCK_TIMEOUT_MS, while ping is still answered and SIGTERM still ends the server.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "tests/blackbox/ooc_process.h"
#include "tests/support/temp_dir.h"

namespace blackbox {
namespace {

using mcp::Json;

// Holds an exclusive flock on `path` (as a stopped ooc would) until destroyed.
class LockHolder {
 public:
  explicit LockHolder(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    REQUIRE(fd_ >= 0);
    REQUIRE(::flock(fd_, LOCK_EX) == 0);
  }
  ~LockHolder() { ::close(fd_); }
  LockHolder(const LockHolder&) = delete;
  LockHolder& operator=(const LockHolder&) = delete;

 private:
  int fd_;
};

struct Sandbox {
  testing::TempDir home;
  testing::TempDir store;
  OocEnv env(const std::string& timeout_ms) const {
    OocEnv e;
    e.home = home.path();
    e.storage_path = store.path();
    e.extra["OUT_OF_CONTEXT_LOCK_TIMEOUT_MS"] = timeout_ms;
    return e;
  }
  std::string lock_path() const { return store.file("storage.json.lock"); }
};

Json search(OocProcess& ooc, long long id) {
  return call(ooc, tool_call(id, "context_search_stashed", {{"query", "anything"}}));
}

bool succeeded(const Json& reply) { return reply.contains("result") && !reply["result"].value("isError", false); }

bool storage_error_naming_me(const Json& reply) {
  const std::string text = reply.dump();
  return reply.contains("result") && reply["result"].value("isError", false) &&
         text.find("STORAGE_ERROR") != std::string::npos &&
         text.find("pid " + std::to_string(::getpid())) != std::string::npos;
}

TEST_CASE("a lock held from before the server starts fails its calls naming the holder and ping is still answered") {
  Sandbox box;
  LockHolder holder(box.lock_path());
  OocProcess ooc(box.env("500"));
  REQUIRE(initialize(ooc).contains("result"));
  const Json failed = search(ooc, 1);
  INFO(failed.dump());
  CHECK(storage_error_naming_me(failed));
  CHECK(call(ooc, request(2, "ping")).contains("result"));
  ooc.send_signal(SIGTERM);
  CHECK(ooc.wait_exit(std::chrono::seconds(5)) == 0);
}

TEST_CASE("a lock taken after the load fails readers and writers within the timeout and calls succeed once it is released") {
  Sandbox box;
  OocProcess ooc(box.env("500"));
  REQUIRE(initialize(ooc).contains("result"));
  REQUIRE(succeeded(search(ooc, 1)));
  {
    LockHolder holder(box.lock_path());
    const Json read = search(ooc, 2);
    INFO(read.dump());
    CHECK(storage_error_naming_me(read));
    const Json write = call(ooc, tool_call(3, "context_stash", {{"segments", {{{"segment_id", "s1"}, {"text", "t"}}}}}));
    INFO(write.dump());
    CHECK(storage_error_naming_me(write));
    CHECK(call(ooc, request(4, "ping")).contains("result"));
  }
  CHECK(succeeded(search(ooc, 5)));
  ooc.close_stdin();
  CHECK(ooc.wait_exit() == 0);
}

TEST_CASE("SIGTERM ends a server whose call waits for a held lock") {
  Sandbox box;
  OocProcess ooc(box.env("600000"));
  REQUIRE(initialize(ooc).contains("result"));
  REQUIRE(succeeded(search(ooc, 1)));
  LockHolder holder(box.lock_path());
  REQUIRE(ooc.write_json(tool_call(2, "context_search_stashed", {{"query", "anything"}})));
  // The call is waiting (or about to): no reply within 300 ms.
  CHECK(!ooc.read_line(std::chrono::milliseconds(300)).has_value());
  ooc.send_signal(SIGTERM);
  CHECK(ooc.wait_exit(std::chrono::seconds(5)) == 0);
}

TEST_CASE("end of input ends a server at once while its store cannot finish loading") {
  // The load waits for a lock that is never released; the server must not wait for the load
  // (issue 9: exit within 100 ms of end of input, loading or not). Checked while the lock is held.
  Sandbox box;
  LockHolder holder(box.lock_path());
  OocEnv env = box.env("600000");
  env.project.clear();  // the working directory's project is claimed, which waits for the load
  OocProcess ooc(env);
  REQUIRE(initialize(ooc).contains("result"));
  ooc.close_stdin();
  CHECK(ooc.wait_exit(std::chrono::seconds(5)) == 0);
}

TEST_CASE("SIGTERM ends a server whose call waits for a load that cannot finish") {
  Sandbox box;
  LockHolder holder(box.lock_path());
  OocProcess ooc(box.env("600000"));
  REQUIRE(initialize(ooc).contains("result"));
  REQUIRE(ooc.write_json(tool_call(1, "context_search_stashed", {{"query", "anything"}})));
  CHECK(!ooc.read_line(std::chrono::milliseconds(300)).has_value());
  ooc.send_signal(SIGTERM);
  CHECK(ooc.wait_exit(std::chrono::seconds(5)) == 0);
}

}  // namespace
}  // namespace blackbox
