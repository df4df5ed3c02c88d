// The hand-corruption table (issue 10) on the real binary (OOC_BINARY): each damage made by hand in
// a temp store, then what `ooc verify` says (exit status), what the store serves (`ooc export`),
// and what is kept aside. Every store lives in a temp dir (HOME too).
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "tests/support/temp_dir.h"

namespace {

struct Shell {
  int status = -1;
  std::string out;
  std::string err;
};

// A temp dir holding store s/ with s0..s4 in the snapshot and j1, j2 in the journal.
class Table {
 public:
  Table() {
    const Shell made = run(
        "mkdir s\n"
        "for i in 0 1 2 3 4; do printf \"text number $i\\n\" | $OOC --storage s/storage.json --project p stash --id s$i "
        ">/dev/null || exit 9; done\n"
        "$OOC --storage s/storage.json compact >/dev/null || exit 9\n"
        "printf 'journal one\\n' | $OOC --storage s/storage.json --project p stash --id j1 >/dev/null || exit 9\n"
        "printf 'journal two\\n' | $OOC --storage s/storage.json --project p stash --id j2 >/dev/null || exit 9");
    REQUIRE(made.status == 0);
  }
  // Runs `script` with sh in a clean environment: $OOC is the binary, the temp dir the cwd.
  Shell run(const std::string& script) {
    testing::write_text(dir_.file("script.sh"), "set -u\ncd \"$T\"\n" + script + "\n");
    const std::string command = "env -i PATH=/usr/bin:/bin HOME='" + dir_.path() +
                                "' OUT_OF_CONTEXT_SYNC=never T='" + dir_.path() + "' OOC='" +
                                std::string(OOC_BINARY) + "' sh '" + dir_.file("script.sh") + "' > '" +
                                dir_.file("stdout") + "' 2> '" + dir_.file("stderr") + "'";
    const int raw = std::system(command.c_str());
    Shell shell;
    shell.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    shell.out = testing::read_text(dir_.file("stdout"));
    shell.err = testing::read_text(dir_.file("stderr"));
    return shell;
  }
  int verify() { return run("$OOC --storage s/storage.json verify").status; }
  // The ids `ooc export` serves, sorted, space-separated.
  std::string served() {
    return run("$OOC --storage s/storage.json --project p export | grep -o '\"segment_id\":\"[a-z0-9]*\"' | "
               "cut -d'\"' -f4 | sort | tr '\\n' ' '")
        .out;
  }
  // The names of files in s/ containing `part`.
  std::string aside(const std::string& part) { return run("ls s | grep -F -- '" + part + "' || true").out; }

 private:
  testing::TempDir dir_;
};

}  // namespace

TEST_CASE("corruption table: one damaged byte in a snapshot line loses that segment only and the original is importable") {
  Table t;
  REQUIRE(t.run("sed -i 's/\"text\":\"text number 2/\"text\":text number 2/' s/storage.json && "
                "grep -q '\"text\":text number 2' s/storage.json").status == 0);
  CHECK(t.verify() == 3);
  CHECK(t.served() == "j1 j2 s0 s1 s3 s4 ");
  CHECK(t.verify() == 0);
  CHECK_FALSE(t.aside("storage.json.corrupt-").empty());
  const Shell imported = t.run("$OOC --storage other/storage.json import s/storage.json.corrupt-*");
  CHECK(imported.status == 0);
  CHECK(imported.out.find("Imported 4 segments") != std::string::npos);
  CHECK(imported.err.find("'s2'") != std::string::npos);
}

TEST_CASE("corruption table: one changed letter in a segment's text is caught by verify and not served") {
  Table t;
  REQUIRE(t.run("sed -i 's/text number 3/Text number 3/' s/storage.json && grep -q 'Text number 3' s/storage.json")
              .status == 0);
  CHECK(t.verify() == 3);
  CHECK(t.served() == "j1 j2 s0 s1 s2 s4 ");
  CHECK_FALSE(t.aside("storage.json.corrupt-").empty());
  CHECK(t.verify() == 0);
}

TEST_CASE("corruption table: a snapshot of a newer major version is refused and left where it is") {
  Table t;
  REQUIRE(t.run("sed -i 's/^{\"version\":\"1\\../{\"version\":\"2.0/' s/storage.json && cp s/storage.json before").status == 0);
  CHECK(t.verify() == 3);
  const Shell exported = t.run("$OOC --storage s/storage.json --project p export");
  CHECK(exported.status != 0);
  CHECK(exported.err.find("newer ooc (format 2.x); upgrade ooc") != std::string::npos);
  CHECK(t.run("cmp -s before s/storage.json").status == 0);
  CHECK(t.aside("corrupt").empty());
}

TEST_CASE("corruption table: a damaged last complete journal line is damage, kept aside, and the rest is served") {
  Table t;
  REQUIRE(t.run("sed -i '$ s/journal two/journal TWO/' s/storage.json.journal").status == 0);
  CHECK(t.verify() == 3);
  CHECK(t.served() == "j1 s0 s1 s2 s3 s4 ");
  CHECK(t.run("printf 'x\\n' | $OOC --storage s/storage.json --project p stash --id j3 >/dev/null").status == 0);
  CHECK(t.run("grep -l 'journal TWO' s/storage.json.journal.corrupt-*").status == 0);
  CHECK(t.verify() == 0);
}

TEST_CASE("corruption table: a damaged middle journal line is kept aside and every batch after it is served") {
  Table t;
  REQUIRE(t.run("sed -i '1 s/journal one/journal ONE/' s/storage.json.journal").status == 0);
  CHECK(t.verify() == 3);
  CHECK(t.served() == "j2 s0 s1 s2 s3 s4 ");
  CHECK_FALSE(t.aside("journal.corrupt-").empty());
  CHECK(t.verify() == 0);
}

TEST_CASE("corruption table: a duplicated older journal line and a deleted one are damage to verify and repaired by load") {
  Table duplicated;
  REQUIRE(duplicated.run("head -1 s/storage.json.journal >> s/storage.json.journal").status == 0);
  CHECK(duplicated.verify() == 3);
  CHECK(duplicated.served() == "j1 j2 s0 s1 s2 s3 s4 ");
  CHECK(duplicated.verify() == 0);
  Table deleted;
  REQUIRE(deleted.run("sed -i 1d s/storage.json.journal").status == 0);
  CHECK(deleted.verify() == 3);
  CHECK(deleted.served() == "j2 s0 s1 s2 s3 s4 ");
  CHECK_FALSE(deleted.aside("journal.corrupt-").empty());
  CHECK(deleted.verify() == 0);
}
