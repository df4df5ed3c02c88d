// Sessions on the real binary (issue 8): an acknowledged context_store survives every kind of
// ending of the server (SIGKILL, end of input, SIGTERM, SIGINT, SIGHUP) and is found in the stash
// by the next process, tagged "unstashed" and "session:<id>"; racing recoveries of one dead
// session recover it once; live servers on one store keep their own working sets.
#include <signal.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/blackbox/ooc_process.h"
#include "tests/support/temp_dir.h"

namespace blackbox {
namespace {

using mcp::Json;

struct Sandbox {
  testing::TempDir home;
  testing::TempDir store;
  OocEnv env() const {
    OocEnv e;
    e.home = home.path();
    e.storage_path = store.path();
    return e;
  }
  std::string journal() const { return testing::read_text(store.file("storage.json.journal")); }
};

bool acknowledged(const Json& reply) {
  return reply.contains("result") && !reply["result"].value("isError", false);
}

// Starts a server and context_stores `id` with `text`; the reply is checked.
std::unique_ptr<OocProcess> server_with(const Sandbox& box, const std::string& id, const std::string& text) {
  auto ooc = std::make_unique<OocProcess>(box.env());
  REQUIRE(initialize(*ooc).contains("result"));
  Json stored = call(*ooc, tool_call(1, "context_store", {{"segments", {{{"segment_id", id}, {"text", text}}}}}));
  REQUIRE(acknowledged(stored));
  return ooc;
}

// Every line `ooc <args>` prints, after it exits 0.
std::vector<std::string> cli(const Sandbox& box, const std::vector<std::string>& args) {
  OocProcess ooc(box.env(), args);
  std::vector<std::string> lines;
  while (auto line = ooc.read_line()) lines.push_back(*line);
  INFO(ooc.stderr_text());
  CHECK(ooc.wait_exit() == 0);
  return lines;
}

// The exported (stashed) segment `id`, or null.
Json exported(const Sandbox& box, const std::string& id) {
  for (const std::string& line : cli(box, {"export"})) {
    Json s = Json::parse(line, nullptr, false);
    if (s.is_object() && s.value("segment_id", "") == id) return s;
  }
  return Json();
}

bool mentions(const std::vector<std::string>& lines, const std::string& word) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(word) != std::string::npos; });
}

size_t count_of(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// Checks that `id` is stashed, tagged unstashed + a session, and found by `ooc search`.
void check_unstashed(const Sandbox& box, const std::string& id, const std::string& word) {
  Json s = exported(box, id);
  REQUIRE(s.is_object());
  const Json tags = s.value("tags", Json::array());
  CHECK(std::find(tags.begin(), tags.end(), Json("unstashed")) != tags.end());
  const bool has_session = std::any_of(tags.begin(), tags.end(), [](const Json& t) {
    return t.is_string() && t.get<std::string>().rfind("session:s-", 0) == 0;
  });
  CHECK(has_session);
  CHECK(mentions(cli(box, {"search", word}), id));
}

}  // namespace

TEST_CASE("blackbox sessions: a context_store followed by SIGKILL is in the stash of the next process") {
  Sandbox box;
  auto ooc = server_with(box, "killed-1", "The quokka migration runs on Tuesdays.");
  ooc->send_signal(SIGKILL);
  CHECK(ooc->wait_exit() == 128 + SIGKILL);
  check_unstashed(box, "killed-1", "quokka");
  CHECK(mentions(cli(box, {"primer"}), "killed-1"));
  // The next server finds it too, by search.
  OocProcess next(box.env());
  REQUIRE(initialize(next).contains("result"));
  Json found = call(next, tool_call(2, "context_search_stashed", {{"query", "quokka"}}));
  CHECK(found.dump().find("killed-1") != std::string::npos);
}

TEST_CASE("blackbox sessions: end of input, SIGTERM, SIGINT and SIGHUP each move the working set to the stash at once") {
  struct Ending {
    const char* name;
    int signal_number;  // 0: close stdin
  };
  for (const Ending& ending : {Ending{"eof", 0}, Ending{"term", SIGTERM}, Ending{"int", SIGINT}, Ending{"hup", SIGHUP}}) {
    CAPTURE(ending.name);
    Sandbox box;
    const std::string id = std::string("ended-") + ending.name;
    auto ooc = server_with(box, id, std::string("The wombat ledger of ") + ending.name);
    if (ending.signal_number == 0) {
      ooc->close_stdin();
    } else {
      ooc->send_signal(ending.signal_number);
    }
    CHECK(ooc->wait_exit() == 0);
    // Moved by the server itself: the journal already holds the stashed copy and the lock is gone.
    CHECK(count_of(box.journal(), "\"unstashed\"") == 1);
    check_unstashed(box, id, "wombat");
    CHECK(mentions(cli(box, {"primer"}), id));  // and the next session's primer names it
  }
}

TEST_CASE("blackbox sessions: processes racing to recover one dead session recover it exactly once") {
  Sandbox box;
  {
    auto ooc = std::make_unique<OocProcess>(box.env());
    REQUIRE(initialize(*ooc).contains("result"));
    Json stored = call(*ooc, tool_call(1, "context_store",
                                       {{"segments", {{{"segment_id", "r1"}, {"text", "numbat one"}},
                                                      {{"segment_id", "r2"}, {"text", "numbat two"}},
                                                      {{"segment_id", "r3"}, {"text", "numbat three"}}}}}));
    REQUIRE(acknowledged(stored));
    ooc->send_signal(SIGKILL);
    CHECK(ooc->wait_exit() == 128 + SIGKILL);
  }
  CHECK(count_of(box.journal(), "\"unstashed\"") == 0);
  {
    std::vector<std::unique_ptr<OocProcess>> racers;
    for (int i = 0; i < 4; ++i) racers.push_back(std::make_unique<OocProcess>(box.env(), std::vector<std::string>{"stats"}));
    for (auto& racer : racers) CHECK(racer->wait_exit() == 0);
  }
  CHECK(count_of(box.journal(), "\"unstashed\"") == 3);  // one stashed copy each, from one recovery
  CHECK(count_of(box.journal(), "\"op\":\"wdel\"") == 3);
  const std::vector<std::string> lines = cli(box, {"export"});
  CHECK(lines.size() == 3);
}

TEST_CASE("blackbox sessions: live servers on one store each keep their own working set") {
  Sandbox box;
  auto a = server_with(box, "only-a", "Kept by the first server.");
  auto b = server_with(box, "only-b", "Kept by the second server.");
  Json a_set = call(*a, tool_call(2, "context_get_working_set", Json::object()));
  Json b_set = call(*b, tool_call(2, "context_get_working_set", Json::object()));
  CHECK(a_set.dump().find("only-a") != std::string::npos);
  CHECK(a_set.dump().find("only-b") == std::string::npos);
  CHECK(b_set.dump().find("only-b") != std::string::npos);
  CHECK(b_set.dump().find("only-a") == std::string::npos);
  // A third process does not take a live server's working set.
  CHECK(cli(box, {"export"}).empty());
  a->close_stdin();
  CHECK(a->wait_exit() == 0);
  CHECK(exported(box, "only-a").is_object());
  CHECK(exported(box, "only-b").is_null());
  Json still = call(*b, tool_call(3, "context_get_working_set", Json::object()));
  CHECK(still.dump().find("only-b") != std::string::npos);
}

}  // namespace blackbox
