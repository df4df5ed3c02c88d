// The crash-point test on the real binary (issue 10): the `ooc` CLI runs one command with an
// LD_PRELOAD shim (tests/crash_shim/crash_shim.cpp) that SIGKILLs it just before, and in another
// run just after, each of its file-system steps on the store: a stash, a compaction, a stash
// that must first cut a torn journal tail, and one that must first repair a damaged journal line.
// After every crash the next command (without the shim) works, `ooc verify` is clean, every
// segment written before is there, and the crashed command's segment is there if it exited 0
// (and whole if there at all).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "storage/store.h"
#include "tests/blackbox/ooc_process.h"
#include "tests/support/temp_dir.h"

namespace blackbox {
namespace {

namespace fs = std::filesystem;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_text(const std::string& path, const std::string& text, bool append = false) {
  std::ofstream(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc)) << text;
}

std::string text_of(const std::string& id) { return "the text of segment " + id + " about compaction and recovery"; }

// Runs `ooc <args>` on the store in `dir` (a CLI command); its exit status. `shim` adds the
// crash shim with these variables.
int run(const std::string& home, const std::string& dir, const std::vector<std::string>& args,
        const std::map<std::string, std::string>& shim = {}) {
  OocEnv env;
  env.home = home;
  env.storage_path = dir;
  env.sync = "always";
  env.project = "p";
  if (!shim.empty()) {
    env.extra = shim;
    env.extra["LD_PRELOAD"] = OOC_CRASH_SHIM;
    env.extra["ASAN_OPTIONS"] = "verify_asan_link_order=0";
  }
  OocProcess ooc(env, args);
  ooc.close_stdin();
  const auto status = ooc.wait_exit(kBigReplyTimeout);
  REQUIRE(status.has_value());
  return *status;
}

int stash(const std::string& home, const std::string& dir, const std::string& id,
          const std::map<std::string, std::string>& shim = {}) {
  const std::string file = home + "/" + id + ".txt";
  write_text(file, text_of(id));
  return run(home, dir, {"stash", "--id", id, "--file", file, "--file-path", "f"}, shim);
}

struct Scenario {
  const char* name;
  std::vector<std::string> command_ids;  // what the crashed command stashes (empty: ooc compact)
  const char* damage;                    // "" | "torn" | "line": done to the journal before it
};

// The store every run starts from: a, b, c in the snapshot, d in the journal.
void make_initial(const std::string& home, const std::string& dir) {
  for (const char* id : {"a", "b", "c"}) REQUIRE(stash(home, dir, id) == 0);
  REQUIRE(run(home, dir, {"compact"}) == 0);
  REQUIRE(stash(home, dir, "d") == 0);
}

void damage(const std::string& dir, const std::string& how) {
  const std::string journal = dir + "/storage.json.journal";
  if (how == "torn") write_text(journal, "{\"seq\":99,\"ops\":[{\"op\":\"put\"", true);
  if (how == "line") {
    std::string bytes = read_text(journal);
    REQUIRE(bytes.size() > 100);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);  // d's line: lost by design
    write_text(journal, bytes);
  }
}

std::map<std::string, std::string> stashed(const std::string& dir) {
  storage::StoreOptions options;
  options.path = dir + "/storage.json";
  auto store = storage::Store::open(options);
  auto all = store->export_stashed("p");
  REQUIRE(all.ok());
  std::map<std::string, std::string> out;
  for (const storage::Segment& s : *all) out[s.segment_id] = s.text;
  return out;
}

void run_scenario(const Scenario& scenario) {
  testing::TempDir home;
  testing::TempDir root;
  const std::string initial = root.file("initial");
  fs::create_directories(initial);
  make_initial(home.path(), initial);
  const bool line_damage = std::string(scenario.damage) == "line";
  auto command = [&](const std::string& dir, const std::map<std::string, std::string>& shim) {
    if (scenario.command_ids.empty()) return run(home.path(), dir, {"compact"}, shim);
    return stash(home.path(), dir, scenario.command_ids.front(), shim);
  };
  // How many steps the command takes, uncrashed.
  const std::string counted = root.file("counted");
  fs::copy(initial, counted, fs::copy_options::recursive);
  damage(counted, scenario.damage);
  const std::string count_file = root.file("count");
  REQUIRE(command(fs::canonical(counted).string(), {{"OOC_CRASH_DIR", fs::canonical(counted).string()},
                                                    {"OOC_CRASH_COUNT", count_file}}) == 0);
  const long steps = std::atol(read_text(count_file).c_str());
  REQUIRE(steps >= 3);
  long crashed = 0;
  for (long at = 1; at <= steps; ++at) {
    for (const char* after : {"0", "1"}) {
      CAPTURE(scenario.name);
      CAPTURE(at);
      CAPTURE(after);
      const std::string dir = root.file(std::string("run-") + std::to_string(at) + "-" + after);
      fs::copy(initial, dir, fs::copy_options::recursive);
      damage(dir, scenario.damage);
      const std::string real = fs::canonical(dir).string();
      const int status = command(real, {{"OOC_CRASH_DIR", real}, {"OOC_CRASH_AT", std::to_string(at)},
                                        {"OOC_CRASH_AFTER", after}});
      CHECK((status == 0 || status == 128 + 9));
      if (status == 128 + 9) ++crashed;
      // The next command repairs whatever is left and works; then the files verify.
      CHECK(stash(home.path(), dir, "probe") == 0);
      CHECK(run(home.path(), dir, {"verify"}) == 0);
      const std::map<std::string, std::string> found = stashed(dir);
      for (const char* id : {"a", "b", "c", "d", "probe"}) {
        if (line_damage && std::string(id) == "d") continue;
        CAPTURE(id);
        REQUIRE(found.count(id) == 1);
        CHECK(found.at(id) == text_of(id));
      }
      for (const std::string& id : scenario.command_ids) {
        CAPTURE(id);
        if (status == 0) CHECK(found.count(id) == 1);
        if (found.count(id) == 1) CHECK(found.at(id) == text_of(id));
      }
      fs::remove_all(dir);
    }
  }
  // The shim really killed it: at least once per step (every "before" run; most "after" ones).
  MESSAGE(std::string(scenario.name) << ": " << steps << " steps, " << crashed << " crashed runs");
  CHECK(crashed >= steps);
}

TEST_CASE("crash points: ooc stash killed before or after each file-system step loses nothing acknowledged") {
  run_scenario({"stash", {"x"}, ""});
}

TEST_CASE("crash points: ooc compact killed before or after each file-system step loses nothing") {
  run_scenario({"compact", {}, ""});
}

TEST_CASE("crash points: a stash that first cuts a torn journal tail, killed at each step, loses nothing") {
  run_scenario({"torn tail", {"x"}, "torn"});
}

TEST_CASE("crash points: a stash that first repairs a damaged journal line, killed at each step, keeps every verified batch") {
  run_scenario({"damaged line", {"x"}, "line"});
}

}  // namespace
}  // namespace blackbox
