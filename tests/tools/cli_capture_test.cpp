// `ooc primer`, `ooc stash` and `ooc import` from pipes, FIFOs and "-" (tools/cli_capture.h).
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <sstream>
#include <thread>

#include "mcp/json.h"
#include "storage/clock.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"
#include "tools/cli_capture.h"
#include "tools/primer.h"

namespace {

struct CaptureHarness {
  testing::TempDir dir;
  storage::ManualClock clock;
  std::unique_ptr<storage::Store> store;
  std::ostringstream out;
  std::ostringstream err;

  CaptureHarness() {
    storage::StoreOptions options;
    options.path = dir.file("storage.json");
    options.sync = storage::SyncMode::kNever;
    options.clock = &clock;
    store = storage::Store::open(options);
  }
  tools::CommandContext ctx(const std::string& project = "proj") { return {*store, project, out, err}; }
  void reset() {
    out.str("");
    err.str("");
  }
  storage::Segment get(const std::string& id) {
    storage::Result<std::optional<storage::Segment>> s = store->get("proj", id, storage::Tier::kStashed);
    REQUIRE(s.ok());
    REQUIRE(s->has_value());
    return **s;
  }
};

}  // namespace

TEST_CASE("ooc stash: text from stdin with every option, printing the id") {
  CaptureHarness h;
  std::istringstream in("Retry with exponential backoff, 3 attempts.\n");
  tools::StashOptions options;
  options.id = "retry-decision";
  options.type = "decision";
  options.task = "t-retry";
  options.tags = {"http", "client"};
  options.file_path = "src/client.py";
  CHECK(tools::run_stash(h.ctx(), options, in) == 0);
  CHECK(h.out.str() == "retry-decision\n");
  CHECK(h.err.str().empty());
  storage::Segment s = h.get("retry-decision");
  CHECK(s.text == "Retry with exponential backoff, 3 attempts.\n");
  CHECK(s.type == storage::SegmentType::kDecision);
  CHECK(s.task_id == "t-retry");
  CHECK(s.tags == std::vector<std::string>{"http", "client"});
  CHECK(s.file_path == "src/client.py");
  CHECK_FALSE(s.line_range.has_value());
}

TEST_CASE("ooc stash: --file with --lines keeps those lines and records the range and path") {
  CaptureHarness h;
  const std::string file = h.dir.file("client.py");
  testing::write_text(file, "one\ntwo\nthree\nfour\n");
  tools::StashOptions options;
  options.file = file;
  options.lines = "2:3";
  std::istringstream unused;
  CHECK(tools::run_stash(h.ctx(), options, unused) == 0);
  const std::string id = h.out.str().substr(0, h.out.str().size() - 1);
  CHECK(id.rfind("seg-", 0) == 0);
  storage::Segment s = h.get(id);
  CHECK(s.text == "two\nthree\n");
  CHECK(s.line_range == storage::LineRange{2, 3});
  CHECK(s.file_path == file);
  CHECK(s.type == storage::SegmentType::kNote);
}

TEST_CASE("ooc stash: empty input, lines past the end and a missing file are failures with status 1") {
  CaptureHarness h;
  std::istringstream empty("  \n");
  CHECK(tools::run_stash(h.ctx(), {}, empty) == 1);
  CHECK(h.err.str() == "ooc: nothing to stash: standard input is empty\n");
  const std::string file = h.dir.file("short.txt");
  testing::write_text(file, "a\nb\n");
  tools::StashOptions past;
  past.file = file;
  past.lines = "2:5";
  std::istringstream unused;
  h.reset();
  CHECK(tools::run_stash(h.ctx(), past, unused) == 1);
  CHECK(h.err.str() == "ooc: --lines 2:5: " + file + " has 2 lines\n");
  past.lines = "3:2";
  CHECK(tools::run_stash(h.ctx(), past, unused) == 1);
  tools::StashOptions missing;
  missing.file = h.dir.file("nope.txt");
  CHECK(tools::run_stash(h.ctx(), missing, unused) == 1);
  std::istringstream bad_id("text");
  tools::StashOptions invalid;
  invalid.id = "bad id";
  CHECK(tools::run_stash(h.ctx(), invalid, bad_id) == 1);
  CHECK(h.out.str().empty());
}

TEST_CASE("ooc primer: Markdown by default, the tool's structured form with --json") {
  CaptureHarness h;
  storage::SegmentDraft d;
  d.segment_id = "adr-7";
  d.text = "# Journal first\nEvery write goes to the journal.";
  d.type = storage::SegmentType::kDecision;
  std::vector<storage::SegmentDraft> drafts{d};
  REQUIRE(h.store->stash("proj", {}, drafts).ok());
  CHECK(tools::run_primer(h.ctx(), {}) == 0);
  storage::Result<tools::Primer> primer = tools::build_primer(*h.store, "proj", tools::kDefaultPrimerTokens);
  REQUIRE(primer.ok());
  CHECK(h.out.str() == primer->markdown);
  h.reset();
  CHECK(tools::run_primer(h.ctx(), {300, true}) == 0);
  const mcp::Json json = mcp::Json::parse(h.out.str());
  CHECK(json.at("max_tokens") == 300);
  CHECK(json.at("sections")[3].at("entries")[0].at("title") == "Journal first");
  CHECK(json.at("markdown").get<std::string>().find("Every write goes to the journal.") != std::string::npos);
  h.reset();
  CHECK(tools::run_primer(h.ctx("*"), {}) == 1);
  CHECK(h.err.str().find("ooc: ") == 0);
}

TEST_CASE("ooc import: - reads the given stream, and input without segments is an error") {
  CaptureHarness source;
  std::vector<storage::SegmentDraft> drafts(1);
  drafts[0].segment_id = "a";
  drafts[0].text = "alpha";
  REQUIRE(source.store->stash("proj", {}, drafts).ok());
  std::ostringstream exported;
  tools::CommandContext export_ctx{*source.store, "*", exported, source.err};
  REQUIRE(tools::run_export(export_ctx, "") == 0);

  CaptureHarness target;
  std::istringstream in(exported.str());
  CHECK(tools::run_import(target.ctx("*"), "-", {}, in) == 0);
  CHECK(target.out.str() == "Imported 1 segment from standard input\n");
  CHECK(target.get("a").text == "alpha");

  target.reset();
  std::istringstream nothing("\n \n");
  CHECK(tools::run_import(target.ctx("*"), "-", {}, nothing) == 1);
  CHECK(target.out.str().empty());
  CHECK(target.err.str() ==
        "ooc: nothing imported: standard input has no segment lines (3 bytes read); expected JSON Lines from ooc export\n");
}

TEST_CASE("read_all_input: a FIFO is read to end of file, not to the size stat reports") {
  CaptureHarness h;
  const std::string fifo = h.dir.file("pipe");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string payload(200000, 'x');
  std::thread writer([&fifo, &payload] { testing::write_text(fifo, payload); });
  std::istringstream unused;
  storage::Result<std::string> bytes = tools::read_all_input(fifo, unused);
  writer.join();
  REQUIRE(bytes.ok());
  CHECK(bytes->size() == payload.size());
  CHECK(tools::read_all_input(h.dir.file("missing"), unused).status().code() == storage::Status::Code::kNotFound);
}
