#include "tools/primer.h"

#include <algorithm>
#include <set>
#include <utility>

#include "storage/token_estimate.h"

namespace tools {
namespace {

using storage::Result;
using storage::Segment;
using storage::Status;

constexpr size_t kLastSessionScan = 50;  // unstashed segments looked at to find the last session
constexpr size_t kTaskScan = 50;         // stashed segments looked at to find the current task
constexpr const char* kSessionTagPrefix = "session:";

bool touched_later(const Segment& a, const Segment& b) {
  if (a.last_touched_at != b.last_touched_at) return a.last_touched_at > b.last_touched_at;
  if (a.created_at != b.created_at) return a.created_at > b.created_at;
  return a.segment_id < b.segment_id;
}

// Stashed segments (metadata only) of `project` matching `filters`, newest first.
Result<std::vector<Segment>> stashed_matching(storage::Store& store, const std::string& project,
                                              storage::SearchFilters filters, size_t limit) {
  storage::SearchRequest request;
  request.project_id = project;
  request.filters = std::move(filters);
  request.limit = limit;
  Result<storage::SearchPage> page = store.search_stashed(request);
  if (!page.ok()) return page.status();
  std::vector<Segment> out;
  for (storage::SearchHit& hit : page->hits) out.push_back(std::move(hit.segment));
  return out;
}

// `first` then `second`, by last touch, at most `limit`.
std::vector<Segment> merged(std::vector<Segment> first, const std::vector<Segment>& second, size_t limit) {
  first.insert(first.end(), second.begin(), second.end());
  std::stable_sort(first.begin(), first.end(), touched_later);
  if (first.size() > limit) first.resize(limit);
  return first;
}

std::string session_of(const Segment& s) {
  for (const std::string& tag : s.tags) {
    if (tag.rfind(kSessionTagPrefix, 0) == 0) return tag;
  }
  return "";
}

struct Candidates {
  std::vector<std::vector<Segment>> sections;  // parallel to kSectionNames
  std::string last_session;                    // the whole tag, "session:<id>"
  std::string current_task;
  size_t stashed_total = 0;
};

const char* const kSectionNames[] = {"Pinned", "Last session's unstashed", "Current task", "Decisions and summaries"};

Result<Candidates> gather(storage::Store& store, const std::string& project) {
  Candidates c;
  Result<std::vector<Segment>> working = store.load_segments(project);
  if (!working.ok()) return working.status();
  // Superseded segments stay out of the primer (issue 11 #3); search leaves out stashed ones.
  working->erase(std::remove_if(working->begin(), working->end(), [](const Segment& s) { return s.superseded_by.has_value(); }),
                 working->end());
  std::stable_sort(working->begin(), working->end(), touched_later);

  storage::SearchFilters pinned;
  pinned.pinned = true;
  Result<std::vector<Segment>> pinned_stashed = stashed_matching(store, project, pinned, kPrimerCandidatesPerSection);
  if (!pinned_stashed.ok()) return pinned_stashed.status();
  std::vector<Segment> pinned_working;
  for (const Segment& s : *working) {
    if (s.pinned) pinned_working.push_back(s);
  }
  c.sections.push_back(merged(std::move(pinned_working), *pinned_stashed, kPrimerCandidatesPerSection));

  storage::SearchFilters unstashed;
  unstashed.tags = {"unstashed"};
  Result<std::vector<Segment>> recent_unstashed = stashed_matching(store, project, unstashed, kLastSessionScan);
  if (!recent_unstashed.ok()) return recent_unstashed.status();
  std::stable_sort(recent_unstashed->begin(), recent_unstashed->end(), touched_later);
  for (const Segment& s : *recent_unstashed) {
    if (c.last_session = session_of(s); !c.last_session.empty()) break;
  }
  std::vector<Segment> last;
  if (!c.last_session.empty()) {
    unstashed.tags.push_back(c.last_session);
    Result<std::vector<Segment>> found = stashed_matching(store, project, unstashed, kPrimerCandidatesPerSection);
    if (!found.ok()) return found.status();
    last = std::move(found).value();
  }
  c.sections.push_back(std::move(last));

  for (const Segment& s : *working) {
    if (s.task_id) {
      c.current_task = *s.task_id;
      break;
    }
  }
  storage::SearchRequest all;
  all.project_id = project;
  all.limit = kTaskScan;
  Result<storage::SearchPage> newest = store.search_stashed(all);
  if (!newest.ok()) return newest.status();
  c.stashed_total = newest->total_matches;
  if (c.current_task.empty()) {
    std::vector<Segment> scan;
    for (const storage::SearchHit& hit : newest->hits) scan.push_back(hit.segment);
    std::stable_sort(scan.begin(), scan.end(), touched_later);
    for (const Segment& s : scan) {
      if (s.task_id) {
        c.current_task = *s.task_id;
        break;
      }
    }
  }
  std::vector<Segment> task;
  if (!c.current_task.empty()) {
    storage::SearchFilters by_task;
    by_task.task_id = c.current_task;
    Result<std::vector<Segment>> found = stashed_matching(store, project, by_task, kPrimerCandidatesPerSection);
    if (!found.ok()) return found.status();
    std::vector<Segment> task_working;
    for (const Segment& s : *working) {
      if (s.task_id == c.current_task) task_working.push_back(s);
    }
    task = merged(std::move(task_working), *found, kPrimerCandidatesPerSection);
  }
  c.sections.push_back(std::move(task));

  storage::SearchFilters decisions;
  decisions.types = {storage::SegmentType::kDecision, storage::SegmentType::kSummary};
  Result<std::vector<Segment>> found = stashed_matching(store, project, decisions, kPrimerCandidatesPerSection);
  if (!found.ok()) return found.status();
  c.sections.push_back(std::move(found).value());
  return c;
}

// Fills in the text of stashed candidates (working ones came with it). Segments larger than the
// whole budget are fetched one at a time and keep only their title.
Status load_texts(storage::Store& store, const std::string& project, std::vector<Segment*>& stashed,
                  int64_t max_tokens) {
  std::vector<std::string> small;
  for (Segment* s : stashed) {
    if (s->tokens <= max_tokens) small.push_back(s->segment_id);
  }
  Result<storage::RetrieveOutcome> got = store.retrieve(project, small, false, 0);
  if (!got.ok()) return got.status();
  for (Segment* s : stashed) {
    if (s->tokens <= max_tokens) {
      for (const Segment& full : got->segments) {
        if (full.segment_id == s->segment_id) s->text = full.text;
      }
      continue;
    }
    Result<storage::RetrieveOutcome> one = store.retrieve(project, {s->segment_id}, false, 0);
    if (!one.ok()) return one.status();
    if (!one->segments.empty()) s->text = primer_title(one->segments.front().text);
  }
  return Status::ok_status();
}

int64_t rendered_tokens(Primer& p) {
  p.markdown = render_primer_markdown(p);
  return storage::estimate_tokens(p.markdown);
}

void remove_id(std::vector<std::string>& ids, const std::string& id) {
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
}

// Drops the last thing added until the markdown fits: an id, else a full text, else a header.
void shrink_to_fit(Primer& p) {
  while (rendered_tokens(p) > p.max_tokens) {
    std::set<std::string> headed;
    for (const PrimerSection& s : p.sections) {
      for (const PrimerEntry& e : s.entries) headed.insert(e.segment_id);
    }
    auto id = std::find_if(p.retrieve_ids.rbegin(), p.retrieve_ids.rend(),
                           [&](const std::string& i) { return headed.count(i) == 0; });
    if (id != p.retrieve_ids.rend()) {
      p.retrieve_ids.erase(std::next(id).base());
      ++p.unlisted;
      continue;
    }
    PrimerEntry* last_full = nullptr;
    PrimerSection* last_section = nullptr;
    for (PrimerSection& s : p.sections) {
      for (PrimerEntry& e : s.entries) {
        if (e.full_text) last_full = &e;
      }
      if (!s.entries.empty()) last_section = &s;
    }
    if (last_full != nullptr) {
      last_full->full_text = false;
      last_full->text.clear();
      if (last_full->tier == storage::Tier::kStashed) p.retrieve_ids.push_back(last_full->segment_id);
      continue;
    }
    if (last_section == nullptr) return;  // the bare skeleton: cannot shrink further
    remove_id(p.retrieve_ids, last_section->entries.back().segment_id);
    last_section->entries.pop_back();
    ++p.unlisted;
  }
}

void pack(Primer& p, const Candidates& c) {
  for (const char* name : kSectionNames) p.sections.push_back({name, {}});
  // Pass 1: headers while they take at most half the budget; the rest as ids to retrieve.
  bool headers_full = false;
  size_t headers = 0;
  for (size_t i = 0; i < c.sections.size(); ++i) {
    for (const Segment& s : c.sections[i]) {
      const bool stashed = s.tier == storage::Tier::kStashed;
      if (!headers_full) {
        p.sections[i].entries.push_back(
            {s.segment_id, s.type, s.task_id, s.tokens, primer_title(s.text), false, s.tier, ""});
        if (stashed) p.retrieve_ids.push_back(s.segment_id);
        // The first header may use the whole budget; the others stop at half of it.
        if (rendered_tokens(p) <= (headers == 0 ? p.max_tokens : p.max_tokens / 2)) {
          ++headers;
          continue;
        }
        p.sections[i].entries.pop_back();
        if (stashed) p.retrieve_ids.pop_back();
        headers_full = true;
      }
      if (stashed) {
        p.retrieve_ids.push_back(s.segment_id);
        if (rendered_tokens(p) <= p.max_tokens) continue;
        p.retrieve_ids.pop_back();
      }
      ++p.unlisted;
    }
  }
  // Pass 2: full text, in order, while it fits.
  for (size_t i = 0; i < c.sections.size(); ++i) {
    size_t next = 0;
    for (PrimerEntry& e : p.sections[i].entries) {
      while (c.sections[i][next].segment_id != e.segment_id) ++next;
      const Segment& s = c.sections[i][next];
      if (s.tokens > p.max_tokens || s.text.empty()) continue;
      auto at = std::find(p.retrieve_ids.begin(), p.retrieve_ids.end(), e.segment_id);
      const auto index = at - p.retrieve_ids.begin();
      const bool listed = at != p.retrieve_ids.end();
      if (listed) p.retrieve_ids.erase(at);
      e.full_text = true;
      e.text = s.text;
      if (rendered_tokens(p) <= p.max_tokens) continue;
      e.full_text = false;
      e.text.clear();
      if (listed) p.retrieve_ids.insert(p.retrieve_ids.begin() + index, e.segment_id);
    }
  }
  shrink_to_fit(p);
}

}  // namespace

Result<Primer> build_primer(storage::Store& store, const std::string& project, int64_t max_tokens) {
  if (Status s = storage::validate_project_id(project); !s.ok()) return s;
  if (max_tokens < kMinPrimerTokens || max_tokens > kMaxPrimerTokens) {
    return Status::invalid_argument("max_tokens: must be " + std::to_string(kMinPrimerTokens) + ".." +
                                    std::to_string(kMaxPrimerTokens));
  }
  Result<Candidates> gathered = gather(store, project);
  if (!gathered.ok()) return gathered.status();
  Candidates c = std::move(gathered).value();
  // Each segment once: the first section that has it wins.
  std::set<std::string> seen;
  std::vector<Segment*> stashed;
  for (std::vector<Segment>& section : c.sections) {
    std::vector<Segment> kept;
    for (Segment& s : section) {
      if (seen.insert(s.segment_id).second) kept.push_back(std::move(s));
    }
    section = std::move(kept);
  }
  for (std::vector<Segment>& section : c.sections) {
    for (Segment& s : section) {
      if (s.tier == storage::Tier::kStashed) stashed.push_back(&s);
    }
  }
  if (Status s = load_texts(store, project, stashed, max_tokens); !s.ok()) return s;

  Primer p;
  p.project_id = project;
  p.max_tokens = max_tokens;
  p.last_session = c.last_session.empty() ? "" : c.last_session.substr(std::string(kSessionTagPrefix).size());
  p.current_task = c.current_task;
  p.stashed_segments = c.stashed_total;
  pack(p, c);
  p.tokens = rendered_tokens(p);
  return p;
}

}  // namespace tools
