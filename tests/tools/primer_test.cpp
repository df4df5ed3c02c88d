// tools/primer.h: section order, each segment once, the token budget as a hard ceiling, headers
// and retrieve ids for what does not fit, and a helpful primer for an empty project.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "storage/clock.h"
#include "storage/store.h"
#include "storage/token_estimate.h"
#include "tests/support/temp_dir.h"
#include "tools/primer.h"

namespace {

struct PrimerStore {
  testing::TempDir dir;
  storage::ManualClock clock;
  std::unique_ptr<storage::Store> store;

  PrimerStore() {
    storage::StoreOptions options;
    options.path = dir.file("storage.json");
    options.sync = storage::SyncMode::kNever;
    options.clock = &clock;
    store = storage::Store::open(options);
  }

  void stash(storage::SegmentDraft d, const std::string& project = "proj") {
    clock.advance_ms(1000);
    std::vector<storage::SegmentDraft> drafts;
    drafts.push_back(std::move(d));
    REQUIRE(store->stash(project, {}, std::move(drafts)).ok());
  }
  void keep(storage::SegmentDraft d, const std::string& project = "proj") {
    clock.advance_ms(1000);
    std::vector<storage::SegmentDraft> drafts;
    drafts.push_back(std::move(d));
    REQUIRE(store->store_segments(project, std::move(drafts)).ok());
  }
  tools::Primer primer(int64_t max_tokens = tools::kDefaultPrimerTokens, const std::string& project = "proj") {
    storage::Result<tools::Primer> p = tools::build_primer(*store, project, max_tokens);
    REQUIRE(p.ok());
    return std::move(p).value();
  }
};

storage::SegmentDraft draft(const std::string& id, const std::string& text) {
  storage::SegmentDraft d;
  d.segment_id = id;
  d.text = text;
  return d;
}

std::vector<std::string> ids_of(const tools::PrimerSection& section) {
  std::vector<std::string> out;
  for (const tools::PrimerEntry& e : section.entries) out.push_back(e.segment_id);
  return out;
}

size_t position(const std::string& text, const std::string& part) {
  const size_t at = text.find(part);
  REQUIRE_MESSAGE(at != std::string::npos, part);
  return at;
}

}  // namespace

TEST_CASE("primer: sections come in order pinned, last session, current task, decisions and summaries") {
  PrimerStore s;
  storage::SegmentDraft decision = draft("adr-1", "# Use a journal\nSnapshot plus journal.");
  decision.type = storage::SegmentType::kDecision;
  s.stash(decision);
  storage::SegmentDraft task = draft("lexer-notes", "The lexer splits identifiers.");
  task.task_id = "t1";
  s.stash(task);
  storage::SegmentDraft left = draft("left-over", "Half-done refactor of sync.py");
  left.tags = {"unstashed", "session:s-20260101T000000-aaaaaa"};
  s.stash(left);
  storage::SegmentDraft pinned = draft("rules", "We use uv, not pip.");
  pinned.pinned = true;
  s.stash(pinned);
  storage::SegmentDraft working = draft("now", "Working on the lexer tests.");
  working.task_id = "t1";
  s.keep(working);

  tools::Primer p = s.primer();
  REQUIRE(p.sections.size() == 4);
  CHECK(p.sections[0].name == "Pinned");
  CHECK(p.sections[1].name == "Last session's unstashed");
  CHECK(p.sections[2].name == "Current task");
  CHECK(p.sections[3].name == "Decisions and summaries");
  CHECK(ids_of(p.sections[0]) == std::vector<std::string>{"rules"});
  CHECK(ids_of(p.sections[1]) == std::vector<std::string>{"left-over"});
  CHECK(ids_of(p.sections[2]) == std::vector<std::string>{"now", "lexer-notes"});
  CHECK(ids_of(p.sections[3]) == std::vector<std::string>{"adr-1"});
  CHECK(p.last_session == "s-20260101T000000-aaaaaa");
  CHECK(p.current_task == "t1");
  CHECK(p.sections[2].entries[0].tier == storage::Tier::kWorking);
  CHECK(p.sections[3].entries[0].title == "Use a journal");
  for (const tools::PrimerSection& section : p.sections) {
    for (const tools::PrimerEntry& e : section.entries) CHECK_MESSAGE(e.full_text, e.segment_id);
  }
  CHECK(p.retrieve_ids.empty());
  const std::string& md = p.markdown;
  CHECK(position(md, "## Pinned") < position(md, "## Last session's unstashed"));
  CHECK(position(md, "## Last session's unstashed") < position(md, "## Current task"));
  CHECK(position(md, "## Current task") < position(md, "## Decisions and summaries"));
  CHECK(md.find("- `adr-1` · decision · " + std::to_string(p.sections[3].entries[0].tokens) +
                " tokens — Use a journal\n") != std::string::npos);
  CHECK(md.find("- `lexer-notes` · note · t1 · ") != std::string::npos);
  CHECK(md.find("We use uv, not pip.") != std::string::npos);
  CHECK(p.tokens == storage::estimate_tokens(md));
  CHECK(md == tools::render_primer_markdown(p));
}

TEST_CASE("primer: a segment that belongs to several sections appears once, in the first") {
  PrimerStore s;
  storage::SegmentDraft d = draft("everything", "A pinned decision of task t1 left by the last session.");
  d.type = storage::SegmentType::kDecision;
  d.task_id = "t1";
  d.pinned = true;
  d.tags = {"unstashed", "session:s-1"};
  s.stash(d);
  tools::Primer p = s.primer();
  CHECK(ids_of(p.sections[0]) == std::vector<std::string>{"everything"});
  for (size_t i = 1; i < p.sections.size(); ++i) CHECK(p.sections[i].entries.empty());
  CHECK(p.markdown.find("`everything`") == p.markdown.rfind("`everything`"));
}

TEST_CASE("primer: the last session is the session of the most recently touched unstashed segment") {
  PrimerStore s;
  storage::SegmentDraft old_one = draft("old", "from the first session");
  old_one.tags = {"unstashed", "session:s-old"};
  s.stash(old_one);
  storage::SegmentDraft new_one = draft("new", "from the second session");
  new_one.tags = {"unstashed", "session:s-new"};
  s.stash(new_one);
  tools::Primer p = s.primer();
  CHECK(p.last_session == "s-new");
  CHECK(ids_of(p.sections[1]) == std::vector<std::string>{"new"});
}

TEST_CASE("primer: what does not fit is a header, and its id is listed to retrieve") {
  PrimerStore s;
  std::string big = "# Big design notes\n";
  for (int i = 0; i < 400; ++i) big += "The storage engine keeps a journal and a snapshot. ";
  storage::SegmentDraft d = draft("big-notes", big);
  d.type = storage::SegmentType::kSummary;
  s.stash(d);
  storage::SegmentDraft small = draft("small", "A short decision.");
  small.type = storage::SegmentType::kDecision;
  s.stash(small);
  tools::Primer p = s.primer(500);
  CHECK(p.tokens <= 500);
  REQUIRE(p.sections[3].entries.size() == 2);
  CHECK(p.sections[3].entries[0].segment_id == "small");
  CHECK(p.sections[3].entries[0].full_text);
  CHECK(p.sections[3].entries[1].segment_id == "big-notes");
  CHECK_FALSE(p.sections[3].entries[1].full_text);
  CHECK(p.sections[3].entries[1].title == "Big design notes");
  CHECK(p.retrieve_ids == std::vector<std::string>{"big-notes"});
  CHECK(p.markdown.find("## Retrieve with context_retrieve_stashed\n\n`big-notes`") != std::string::npos);
  CHECK(p.markdown.find("The storage engine keeps") == std::string::npos);
}

TEST_CASE("primer: never exceeds max_tokens for any budget on a randomized store") {
  PrimerStore s;
  std::mt19937 rng(20261201);
  const std::vector<std::string> words = {"journal", "snapshot", "lexer", "parser", "retry", "backoff", "```",
                                          "#", "é", "数据", "\n", "42", "fn()", "x"};
  for (int i = 0; i < 150; ++i) {
    std::string text = (i % 3 == 0) ? "# Heading " + std::to_string(i) + "\n" : "";
    const int length = static_cast<int>(rng() % (i % 10 == 0 ? 3000 : 200)) + 1;
    for (int w = 0; w < length; ++w) text += words[rng() % words.size()] + " ";
    storage::SegmentDraft d = draft("seg-" + std::to_string(i), text);
    d.type = static_cast<storage::SegmentType>(rng() % 6);
    if (rng() % 3 == 0) d.task_id = "task-" + std::to_string(rng() % 4);
    if (rng() % 7 == 0) d.pinned = true;
    if (rng() % 4 == 0) d.tags = {"unstashed", "session:s-" + std::to_string(rng() % 3)};
    if (rng() % 5 == 0) {
      s.keep(d);
    } else {
      s.stash(d);
    }
  }
  for (int64_t budget = 100; budget <= 5000; budget += (budget < 400 ? 7 : 113)) {
    tools::Primer p = s.primer(budget);
    INFO("budget " << budget);
    CHECK(storage::estimate_tokens(p.markdown) <= budget);
    CHECK(p.tokens == storage::estimate_tokens(p.markdown));
    size_t entries = 0;
    for (const tools::PrimerSection& section : p.sections) entries += section.entries.size();
    CHECK(entries + p.retrieve_ids.size() + p.unlisted > 0);
  }
  CHECK(s.primer(5000).tokens > s.primer(200).tokens);
}

TEST_CASE("primer: an empty project gets a short note on how to fill it") {
  PrimerStore s;
  tools::Primer p = s.primer(100, "fresh");
  CHECK(p.retrieve_ids.empty());
  CHECK(p.markdown.find("# Context primer: project 'fresh'") == 0);
  CHECK(p.markdown.find("Nothing stored for this project yet") != std::string::npos);
  CHECK(p.markdown.find("context_store") != std::string::npos);
  CHECK(p.tokens <= 100);
  s.stash(draft("plain", "A note without task."), "fresh");
  tools::Primer some = s.primer(100, "fresh");
  CHECK(some.markdown.find("1 stashed segment: find them with context_search_stashed") != std::string::npos);
}

TEST_CASE("primer: the budget and the project are checked") {
  PrimerStore s;
  CHECK(tools::build_primer(*s.store, "proj", 99).status().code() == storage::Status::Code::kInvalidArgument);
  CHECK(tools::build_primer(*s.store, "proj", 20001).status().code() == storage::Status::Code::kInvalidArgument);
  CHECK(tools::build_primer(*s.store, "*", 2000).status().code() == storage::Status::Code::kInvalidArgument);
}

TEST_CASE("primer_title: the first heading, else the first non-empty line, at most 100 characters") {
  CHECK(tools::primer_title("intro line\n## The heading\nbody") == "The heading");
  CHECK(tools::primer_title("\n\n  first line  \nsecond") == "first line");
  CHECK(tools::primer_title("#hashtag is not a heading") == "#hashtag is not a heading");
  const std::string long_line(150, 'a');
  CHECK(tools::primer_title(long_line).size() == 100);
  CHECK(tools::primer_title(std::string(98, 'a') + "éé").size() <= 100);
  CHECK(tools::primer_title("") == "");
}
