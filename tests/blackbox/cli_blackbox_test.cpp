// The capture commands of the real binary (OOC_BINARY) in real shell pipelines: `ooc export |
// ooc import -`, `import /dev/stdin` and a FIFO round-trip a store byte for byte; `ooc stash` from
// stdin and from --file --lines; exit statuses 0 / 1 / 2; `ooc hook claude-code` with a recorded
// payload. Every store lives in a temp dir (HOME too).
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "mcp/json.h"
#include "tests/support/temp_dir.h"

namespace {

struct Shell {
  int status = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

class Sandbox {
 public:
  // Runs `script` with sh in a clean environment: $OOC is the binary, $T this temp dir.
  Shell run(const std::string& script) {
    testing::write_text(dir_.file("script.sh"), "set -u\ncd \"$T\"\n" + script + "\n");
    const std::string command = "env -i PATH=/usr/bin:/bin HOME='" + dir_.path() + "' OUT_OF_CONTEXT_SYNC=never T='" +
                                dir_.path() + "' OOC='" + std::string(OOC_BINARY) + "' sh '" + dir_.file("script.sh") +
                                "' > '" + dir_.file("stdout") + "' 2> '" + dir_.file("stderr") + "'";
    const int raw = std::system(command.c_str());
    Shell shell;
    shell.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    shell.out = testing::read_text(dir_.file("stdout"));
    shell.err = testing::read_text(dir_.file("stderr"));
    return shell;
  }
  std::string file(const std::string& name) const { return dir_.file(name); }

 private:
  testing::TempDir dir_;
};

// Three segments in two projects of store a/, and its export in a.jsonl.
void fill_store_a(Sandbox& box) {
  Shell filled = box.run(
      "printf 'The journal is replayed at start-up.\\n' | $OOC --storage a/storage.json --project p1 stash --id j1 "
      "--type decision --tag storage --tag journal --task t1\n"
      "printf 'line one\\nline two\\nline three\\n' > notes.txt\n"
      "$OOC --storage a/storage.json --project p1 stash --file notes.txt --lines 2:3 --id n1 --file-path src/notes.txt\n"
      "printf 'Other project text' | $OOC --storage a/storage.json --project p2 stash --id o1\n"
      "$OOC --storage a/storage.json export > a.jsonl");
  INFO(filled.err);
  REQUIRE(filled.status == 0);
  REQUIRE(filled.out == "j1\nn1\no1\n");
}

}  // namespace

TEST_CASE("blackbox cli: ooc export piped into ooc import - round-trips a store byte for byte") {
  Sandbox box;
  fill_store_a(box);
  Shell copied = box.run("$OOC --storage a/storage.json export | $OOC --storage b/storage.json import -\n"
                         "$OOC --storage b/storage.json export > b.jsonl");
  INFO(copied.err);
  CHECK(copied.status == 0);
  CHECK(copied.out == "Imported 3 segments from standard input\n");
  const std::string a = testing::read_text(box.file("a.jsonl"));
  CHECK(a.find("\"line_range\":[2,3]") != std::string::npos);
  CHECK(testing::read_text(box.file("b.jsonl")) == a);
}

TEST_CASE("blackbox cli: ooc import /dev/stdin from a pipe and from a FIFO reads to end of file") {
  Sandbox box;
  fill_store_a(box);
  Shell piped = box.run("cat a.jsonl | $OOC --storage c/storage.json import /dev/stdin\n"
                        "$OOC --storage c/storage.json export > c.jsonl");
  INFO(piped.err);
  CHECK(piped.status == 0);
  CHECK(piped.out == "Imported 3 segments from /dev/stdin\n");
  CHECK(testing::read_text(box.file("c.jsonl")) == testing::read_text(box.file("a.jsonl")));

  Shell fifo = box.run("mkfifo f\n"
                       "$OOC --storage a/storage.json export > f &\n"
                       "$OOC --storage d/storage.json import f\n"
                       "wait\n"
                       "$OOC --storage d/storage.json export > d.jsonl");
  INFO(fifo.err);
  CHECK(fifo.status == 0);
  CHECK(fifo.out == "Imported 3 segments from f\n");
  CHECK(testing::read_text(box.file("d.jsonl")) == testing::read_text(box.file("a.jsonl")));
}

TEST_CASE("blackbox cli: an import that reads nothing fails with status 1 and a clear message") {
  Sandbox box;
  Shell empty = box.run("printf '' | $OOC --storage e/storage.json import -");
  CHECK(empty.status == 1);
  CHECK(empty.out.empty());
  CHECK(empty.err.find("nothing imported: standard input has no segment lines (0 bytes read)") != std::string::npos);
  Shell dev = box.run(": | $OOC --storage e/storage.json import /dev/stdin");
  CHECK(dev.status == 1);
  CHECK(dev.err.find("nothing imported: /dev/stdin has no segment lines") != std::string::npos);
}

TEST_CASE("blackbox cli: ooc stash stores what ooc show prints, and its usage errors exit 2") {
  Sandbox box;
  fill_store_a(box);
  Shell shown = box.run("$OOC --storage a/storage.json --project p1 show j1 && $OOC --storage a/storage.json show n1");
  INFO(shown.err);
  CHECK(shown.status == 0);
  CHECK(shown.out.find("type         decision\ntask         t1\ntags         storage, journal\n") != std::string::npos);
  CHECK(shown.out.find("file         src/notes.txt:2-3\n") != std::string::npos);
  CHECK(shown.out.find("\n\nline two\nline three\n") != std::string::npos);

  CHECK(box.run("printf 'x' | $OOC --storage a/storage.json --project p1 stash --lines 1:2").status == 2);
  CHECK(box.run("printf 'x' | $OOC --storage a/storage.json --project p1 stash --type memo").status == 2);
  Shell empty = box.run("printf '' | $OOC --storage a/storage.json --project p1 stash");
  CHECK(empty.status == 1);
  CHECK(empty.err == "ooc: nothing to stash: standard input is empty\n");
}

TEST_CASE("blackbox cli: ooc primer prints Markdown and JSON, ooc hook claude-code answers SessionStart") {
  Sandbox box;
  fill_store_a(box);
  Shell primer = box.run("$OOC --storage a/storage.json --project p1 primer --max-tokens 300");
  INFO(primer.err);
  CHECK(primer.status == 0);
  CHECK(primer.out.find("# Context primer: project 'p1'\n") == 0);
  CHECK(primer.out.find("- `j1` · decision · t1 · ") != std::string::npos);
  Shell json = box.run("$OOC --storage a/storage.json --project p1 primer --json");
  CHECK(json.status == 0);
  CHECK(mcp::Json::parse(json.out).at("project_id") == "p1");
  CHECK(box.run("$OOC --storage a/storage.json primer --max-tokens 50").status == 2);

  const std::string payload = testing::read_text(std::string(OOC_TESTS_DIR) + "/fixtures/claude-code/payload-SessionStart.json");
  testing::write_text(box.file("payload.json"), payload);
  Shell hook = box.run("mkdir -p repo/p1/.git && sed \"s|\\\"CWD\\\"|\\\"$T/repo/p1\\\"|\" payload.json | "
                       "$OOC --storage a/storage.json hook claude-code SessionStart");
  INFO(hook.err);
  CHECK(hook.status == 0);
  const mcp::Json reply = mcp::Json::parse(hook.out);
  const std::string context = reply.at("hookSpecificOutput").at("additionalContext").get<std::string>();
  CHECK(context.find("# Context primer: project 'p1'") == 0);
  CHECK(context.find("The journal is replayed at start-up.") != std::string::npos);
  Shell unknown = box.run("printf '{}' | $OOC --storage a/storage.json hook claude-code Nope");
  CHECK(unknown.status == 2);
  CHECK(unknown.err.find("unknown event 'Nope'") != std::string::npos);
}
