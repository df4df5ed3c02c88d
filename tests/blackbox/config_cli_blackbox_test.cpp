// Issue 13's "What was found" about configuration and the command line, tried on the real binary
// (OOC_BINARY) as a new user would: `~/` and `$HOME/` storage paths written in a JSON env block, no
// HOME, a bad OUT_OF_CONTEXT_SYNC under an MCP client, scripts/run started from another directory,
// the hint on a terminal, unquoted `ooc search` words, --json outputs, exit statuses and project
// ids that differ only by case, progress on a terminal. HOME and every store live in temp dirs.
#include <doctest/doctest.h>

#include <poll.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>

#include "mcp/json.h"
#include "tests/blackbox/ooc_process.h"
#include "tests/support/temp_dir.h"

namespace {

struct Shell {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs `script` with sh in a clean environment: $OOC is the binary, $T the temp dir, HOME=$T/home
// unless `env` says otherwise (it is put before the script's own variables).
Shell run_sh(const testing::TempDir& dir, const std::string& script, const std::string& env = "HOME=\"$T/home\"") {
  testing::write_text(dir.file("script.sh"), "set -u\nmkdir -p \"$T/home\" \"$T/cwd\"\ncd \"$T/cwd\"\n" + script + "\n");
  const std::string command = "env -i PATH=/usr/bin:/bin T='" + dir.path() + "' OOC='" + std::string(OOC_BINARY) +
                              "' OUT_OF_CONTEXT_SYNC=never sh -c '" + env + " exec sh \"$T/script.sh\"' > '" +
                              dir.file("stdout") + "' 2> '" + dir.file("stderr") + "'";
  const int raw = std::system(command.c_str());
  Shell shell;
  shell.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  shell.out = testing::read_text(dir.file("stdout"));
  shell.err = testing::read_text(dir.file("stderr"));
  return shell;
}

bool exists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

mcp::Json parse(const std::string& text) { return mcp::Json::parse(text, nullptr, /*allow_exceptions=*/false); }

std::string first_text(const mcp::Json& reply) {
  const mcp::Json& result = reply["result"];
  if (!result.contains("content") || result["content"].empty()) return "";
  return result["content"][0].value("text", "");
}

}  // namespace

TEST_CASE("blackbox config: storage paths with ~/ and $HOME/ from an env block land under HOME") {
  testing::TempDir dir;
  Shell cli = run_sh(dir,
                     "printf 'tilde text' | OUT_OF_CONTEXT_STORAGE_PATH='~/ooc-store/' $OOC --project p stash --id t1\n"
                     "printf 'home text' | OUT_OF_CONTEXT_STORAGE_PATH='${HOME}/braced/s.json' $OOC --project p stash --id h1\n"
                     "OUT_OF_CONTEXT_STORAGE_PATH='$HOME/ooc-store/' $OOC show t1\n"
                     "ls -A \"$T/cwd\"");
  INFO(cli.err);
  CHECK(cli.status == 0);
  CHECK(cli.out.find("t1\nh1\nsegment_id   t1\n") == 0);
  CHECK(cli.out.find("tilde text") != std::string::npos);
  CHECK(exists(dir.file("home/ooc-store/storage.json.journal")));
  CHECK(exists(dir.file("home/braced/s.json.journal")));
  CHECK_FALSE(exists(dir.file("cwd/~")));
  CHECK_FALSE(exists(dir.file("cwd/$HOME")));

  // The server gets the same path from its client's env block, unexpanded.
  std::string home = dir.file("home");
  blackbox::OocEnv env;
  env.home = home;
  env.storage_path = "~/server-store/";
  blackbox::OocProcess server(env);
  REQUIRE_FALSE(blackbox::initialize(server).is_null());
  mcp::Json reply = blackbox::call(
      server, blackbox::tool_call(1, "context_stash", {{"segments", {{{"text", "from the server"}}}}}));
  CHECK_FALSE(reply["result"].value("isError", false));
  server.close_stdin();
  CHECK(server.wait_exit() == 0);
  CHECK(exists(dir.file("home/server-store/storage.json.journal")));
}

TEST_CASE("blackbox config: an unset variable in the storage path is an error naming it") {
  testing::TempDir dir;
  Shell cli = run_sh(dir, "OUT_OF_CONTEXT_STORAGE_PATH='$OOC_NOWHERE/s.json' $OOC stats");
  CHECK(cli.status == 2);
  CHECK(cli.err == "ooc: OUT_OF_CONTEXT_STORAGE_PATH: '$OOC_NOWHERE/s.json' uses $OOC_NOWHERE, which is not set\n");
}

TEST_CASE("blackbox config: with no HOME the store is under the home directory of the passwd entry") {
  testing::TempDir dir;
  // A private mount namespace whose /etc/passwd says root's home is $T/pwhome: the real home and
  // the real ~/.out_of_context are never looked at.
  Shell probe = run_sh(dir, "unshare -rm true");
  if (probe.status != 0) {
    MESSAGE("unshare -rm is not permitted here; the passwd fallback is covered by config_test.cpp only");
    return;
  }
  testing::write_text(dir.file("passwd"), "root:x:0:0:root:" + dir.file("pwhome") + ":/bin/sh\n");
  Shell cli = run_sh(dir,
                     "mkdir -p \"$T/pwhome\"\n"
                     "unshare -rm sh -c 'mount --bind \"$T/passwd\" /etc/passwd && "
                     "printf \"no home\" | env -u HOME \"$OOC\" --project p stash --id n1 && env -u HOME \"$OOC\" stats'",
                     "");
  INFO(cli.err);
  CHECK(cli.status == 0);
  CHECK(cli.out.find("n1\nstore      " + dir.file("pwhome/.out_of_context/storage.json")) == 0);
  CHECK(exists(dir.file("pwhome/.out_of_context/storage.json.journal")));
}

TEST_CASE("blackbox config: a bad OUT_OF_CONTEXT_SYNC keeps the server up and every tool call answers CONFIG_ERROR") {
  testing::TempDir dir;
  blackbox::OocEnv env;
  env.home = dir.path();
  env.storage_path = dir.file("s/storage.json");
  env.sync = "sometimes";
  blackbox::OocProcess server(env);
  mcp::Json init = blackbox::initialize(server);
  REQUIRE_FALSE(init.is_null());
  CHECK(init["result"]["serverInfo"]["name"] == "ooc");
  CHECK(blackbox::call(server, blackbox::request(1, "ping")).contains("result"));
  mcp::Json tools = blackbox::call(server, blackbox::request(2, "tools/list"));
  CHECK(tools["result"]["tools"].size() == 9);
  const std::string expected =
      "CONFIG_ERROR: OUT_OF_CONTEXT_SYNC: 'sometimes' is not one of always, never; fix the setting in your MCP "
      "client's env and restart";
  mcp::Json listed = blackbox::call(server, blackbox::tool_call(3, "context_list_projects", mcp::Json::object()));
  CHECK(listed["result"].value("isError", false));
  CHECK(first_text(listed) == expected);
  mcp::Json stashed = blackbox::call(server, blackbox::tool_call(4, "context_stash", {{"segments", {{{"text", "x"}}}}}));
  CHECK(first_text(stashed) == expected);
  server.close_stdin();
  CHECK(server.wait_exit() == 0);
  CHECK(server.stderr_text().find("OUT_OF_CONTEXT_SYNC: 'sometimes' is not one of always, never") != std::string::npos);
  CHECK_FALSE(exists(dir.file("s")));  // no store is opened

  Shell cli = run_sh(dir, "OUT_OF_CONTEXT_SYNC=sometimes $OOC stats");
  CHECK(cli.status == 2);
  CHECK(cli.err == "ooc: OUT_OF_CONTEXT_SYNC: 'sometimes' is not one of always, never\n");
}

TEST_CASE("blackbox config: scripts/run keeps the caller's working directory, so the project is the caller's") {
  testing::TempDir dir;
  // A copy of scripts/run in a scratch repository whose build/ooc is the binary under test; cmake
  // and the package check are stubbed, so nothing is built or installed.
  Shell setup = run_sh(dir,
                       "mkdir -p \"$T/repo/scripts\" \"$T/repo/build\" \"$T/bin\" \"$T/MyProject\"\n"
                       "cp '" + std::string(OOC_SOURCE_DIR) + "/scripts/run' \"$T/repo/scripts/run\"\n"
                       "printf 'OOC_BUILD_PACKAGES=()\\nooc_install_missing() { :; }\\n' > \"$T/repo/scripts/deps.sh\"\n"
                       "printf '#!/bin/sh\\nexit 0\\n' > \"$T/bin/cmake\" && chmod +x \"$T/bin/cmake\"\n"
                       "ln -s \"$OOC\" \"$T/repo/build/ooc\"");
  REQUIRE(setup.status == 0);
  Shell run = run_sh(dir,
                     "cd \"$T/MyProject\" && PATH=\"$T/bin:$PATH\" OUT_OF_CONTEXT_STORAGE_PATH=\"$T/s/\" "
                     "bash \"$T/repo/scripts/run\" primer --json");
  INFO(run.err);
  REQUIRE(run.status == 0);
  mcp::Json primer = parse(run.out);
  REQUIRE(primer.is_object());
  CHECK(primer["project_id"] == "myproject");
}

TEST_CASE("blackbox config: ooc started by hand on a terminal prints one line saying it waits for a client") {
  testing::TempDir dir;
  const std::string home = "HOME=" + dir.path();
  const std::string storage = "OUT_OF_CONTEXT_STORAGE_PATH=" + dir.file("s/");
  char* const child_env[] = {const_cast<char*>(home.c_str()), const_cast<char*>(storage.c_str()),
                             const_cast<char*>("OUT_OF_CONTEXT_SYNC=never"), nullptr};
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);  // stdin, stdout, stderr: the terminal
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::execle(OOC_BINARY, OOC_BINARY, static_cast<char*>(nullptr), child_env);
    ::_exit(127);
  }
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + blackbox::kReplyTimeout;
  while (seen.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd fd{master, POLLIN, 0};
    if (::poll(&fd, 1, 100) <= 0) continue;
    char buffer[512];
    const ssize_t n = ::read(master, buffer, sizeof buffer);
    if (n <= 0) break;
    seen.append(buffer, static_cast<size_t>(n));
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(master);
  const std::string line = seen.substr(0, seen.find('\n'));
  CHECK(line.find("ooc: an MCP server, waiting for a client on stdin") == 0);
  CHECK(line.find("claude mcp add ooc -- ") != std::string::npos);
}

TEST_CASE("blackbox cli: ooc search takes the unquoted rest of the words as its query") {
  testing::TempDir dir;
  Shell shell = run_sh(dir,
                       "export OUT_OF_CONTEXT_STORAGE_PATH=\"$T/s/\"\n"
                       "printf 'The refresh token expires after an hour.' | $OOC --project p stash --id tok\n"
                       "printf 'A flaky refresh of the cache.' | $OOC --project p stash --id flaky\n"
                       "$OOC search refresh token --limit 5\n"
                       "$OOC search refresh -flaky --json");
  INFO(shell.err);
  CHECK(shell.status == 0);
  CHECK(shell.out.find("tok\nflaky\n2 matches in all projects\n") == 0);
  const size_t json_start = shell.out.find('{');
  REQUIRE(json_start != std::string::npos);
  mcp::Json excluded = parse(shell.out.substr(json_start));
  REQUIRE(excluded.is_object());
  CHECK(excluded["query"] == "refresh -flaky");
  REQUIRE(excluded["results"].size() == 1);
  CHECK(excluded["results"][0]["segment_id"] == "tok");
}

TEST_CASE("blackbox cli: --json of stats, list, search, show and primer prints one JSON document") {
  testing::TempDir dir;
  REQUIRE(run_sh(dir, "printf 'json text' | $OOC --storage \"$T/s/\" --project p stash --id j1").status == 0);
  for (const char* command : {"stats --json", "list --json", "search json --json", "show j1 --json",
                              "--project p primer --json"}) {
    Shell shell = run_sh(dir, "$OOC --storage \"$T/s/\" " + std::string(command));
    INFO(command);
    INFO(shell.err);
    CHECK(shell.status == 0);
    CHECK(parse(shell.out).is_object());
  }
}

TEST_CASE("blackbox cli: exit statuses are 0 ok, 1 failure, 2 usage, 3 damaged store for verify") {
  testing::TempDir dir;
  auto status = [&dir](const std::string& args) { return run_sh(dir, "$OOC --storage \"$T/s/\" " + args).status; };
  CHECK(status("stats") == 0);
  CHECK(status("verify") == 0);
  CHECK(status("show missing-id") == 1);
  CHECK(status("stats --bogus") == 2);
  CHECK(status("frobnicate") == 2);
  testing::write_text(dir.file("s/storage.json"), "{\"version\":\"1.0\",\"journal_seq\":");
  CHECK(status("verify") == 3);
  Shell help = run_sh(dir, "$OOC --help");
  CHECK(help.out.find("Exit status: 0 ok, 1 failure, 2 usage or configuration error, 3 damaged store") !=
        std::string::npos);
}

TEST_CASE("blackbox cli: project ids differing only by case are one project, listed as first written") {
  testing::TempDir dir;
  Shell shell = run_sh(dir,
                       "export OUT_OF_CONTEXT_STORAGE_PATH=\"$T/s/\"\n"
                       "printf 'first' | $OOC --project MyWebApp stash --id a\n"
                       "printf 'second' | $OOC --project mywebapp stash --id b\n"
                       "$OOC --project MYWEBAPP show a > /dev/null\n"
                       "$OOC list --json");
  INFO(shell.err);
  REQUIRE(shell.status == 0);
  mcp::Json list = parse(shell.out.substr(shell.out.find('{')));
  REQUIRE(list.is_object());
  REQUIRE(list["projects"].size() == 1);
  CHECK(list["projects"][0]["project_id"] == "MyWebApp");
  CHECK(list["projects"][0]["stashed_count"] == 2);
}

TEST_CASE("blackbox cli: import, export and verify draw progress on a terminal's stderr and nothing into a pipe") {
  testing::TempDir dir;
  // `script` runs the command on a pseudo-terminal and copies what it draws to stdout.
  Shell shell = run_sh(dir,
                       "export OUT_OF_CONTEXT_STORAGE_PATH=\"$T/a/\"\n"
                       "for i in 1 2 3; do printf 'segment %s' $i | $OOC --project p stash --id s$i; done >/dev/null\n"
                       "$OOC export > \"$T/a.jsonl\"\n"
                       "NO_COLOR=1 script -qec \"$OOC --storage '$T/b/' import '$T/a.jsonl'\" /dev/null\n"
                       "echo '--- pipes'\n"
                       "$OOC --storage \"$T/c/\" import \"$T/a.jsonl\"\n"
                       "$OOC --storage \"$T/c/\" export > /dev/null\n"
                       "$OOC --storage \"$T/c/\" verify > /dev/null");
  INFO(shell.out);
  INFO(shell.err);
  REQUIRE(shell.status == 0);
  const std::string terminal = shell.out.substr(0, shell.out.find("--- pipes"));
  CHECK(terminal.find("importing 3 segments") != std::string::npos);
  CHECK(terminal.find('\r') != std::string::npos);          // the line is redrawn in place
  CHECK(terminal.find('\x1b') == std::string::npos);        // no escape sequences, NO_COLOR or not
  CHECK(shell.err.find("importing") == std::string::npos);  // stderr was a file: silent
  CHECK(shell.err.find("exporting") == std::string::npos);
  CHECK(shell.err.find("verifying") == std::string::npos);
}
