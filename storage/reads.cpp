#include "storage/reads.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <utility>

#include "storage/search/snippet.h"
#include "storage/time_format.h"

namespace storage {
namespace {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool contains_ci(std::string_view haystack, const std::string& needle_lower) {
  if (needle_lower.empty()) return true;
  const auto it = std::search(haystack.begin(), haystack.end(), needle_lower.begin(), needle_lower.end(),
                              [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it != haystack.end();
}

// Newest first, then id.
bool newer(const Segment* a, const Segment* b) {
  if (a->created_at != b->created_at) return a->created_at > b->created_at;
  if (a->segment_id != b->segment_id) return a->segment_id < b->segment_id;
  return a->project_id < b->project_id;
}

struct Candidate {
  const Segment* segment;
  double score;
};

// Every segment of `p` matching the request, unsorted.
void collect(const ProjectState& p, const SearchRequest& req, const ParsedQuery& parsed, std::vector<Candidate>& out) {
  const auto accept = [&](const Segment& s) {
    return (req.include_superseded || !s.superseded_by) && req.filters.accepts(s);
  };
  if (req.mode == SearchMode::kRanked && !parsed.empty()) {
    // Scores must be exact as deep as the page reaches (phrase boosts are verified lazily).
    const size_t depth = req.offset + req.limit < req.offset ? SIZE_MAX : req.offset + req.limit;
    for (const RankedMatch& m : p.ranked.search(parsed, accept, depth)) out.push_back({m.segment, m.score});
    return;
  }
  const std::string needle = ascii_lower(req.query);
  const bool substring = req.mode == SearchMode::kSubstring && !needle.empty();
  // A ranked query of exclusions only ("-draft") lists everything else, newest first.
  std::vector<std::string> excluded;
  if (req.mode == SearchMode::kRanked) {
    for (const auto& word : parsed.excluded) excluded.push_back(ascii_lower(word));
  }
  const auto consider = [&](const Segment& s) {
    if (!accept(s)) return;
    if (substring && !contains_ci(s.text, needle) && !contains_ci(s.segment_id, needle)) return;
    for (const auto& word : excluded) {
      if (contains_ci(s.text, word)) return;
    }
    out.push_back({&s, 0.0});
  };
  if (const auto* candidates = p.metadata.candidates(req.filters)) {
    for (const Segment* s : *candidates) consider(*s);
  } else {
    for (const auto& [id, s] : p.stashed) consider(s);
  }
}

}  // namespace

SearchPage search(const Catalog& catalog, const SearchRequest& req) {
  ParsedQuery parsed = parse_query(req.query);
  // The clock of relative dates in the query ("yesterday", "last week").
  parsed.now = format_rfc3339_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch()).count());
  std::vector<Candidate> matches;
  for (const auto& [id, p] : catalog.projects()) {
    if (req.project_id == "*" || id == req.project_id) collect(p, req, parsed, matches);
  }
  const bool ranked = req.mode == SearchMode::kRanked && !parsed.empty();
  // Only the requested page needs ordering: a partial sort of the first offset+limit under a total
  // order (score, then recency, id, project) gives the same page as a full sort.
  const size_t end = std::min(matches.size(), req.offset + req.limit);
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(end), matches.end(),
                    [&](const Candidate& a, const Candidate& b) {
                      if (ranked && a.score != b.score) return a.score > b.score;
                      return newer(a.segment, b.segment);
                    });
  SearchPage page;
  page.total_matches = matches.size();
  for (size_t i = req.offset; i < end; ++i) {
    const Segment& s = *matches[i].segment;
    page.hits.push_back({metadata_only(s), matches[i].score, make_snippet(s.text, parsed)});
  }
  if (matches.empty() && req.project_id != "*") {
    for (const auto& [id, p] : catalog.projects()) {
      if (id == req.project_id) continue;
      std::vector<Candidate> other;
      collect(p, req, parsed, other);
      if (!other.empty()) page.other_projects_with_matches.push_back(id);
    }
  }
  return page;
}

RetrieveOutcome retrieve(Catalog& catalog, const SegmentFactory& factory, const std::string& project,
                         const std::vector<std::string>& ids, bool restore, int64_t max_tokens) {
  RetrieveOutcome out;
  bool stopped = false;
  for (const std::string& id : ids) {
    const Segment* found = catalog.find_stashed(project, id);
    if (found == nullptr) {
      out.not_found.push_back(id);
      continue;
    }
    if (stopped || (max_tokens > 0 && out.tokens + found->tokens > max_tokens)) {
      stopped = true;  // stop before exceeding: later ids are left out too, in order
      out.omitted.push_back(id);
      continue;
    }
    out.tokens += found->tokens;
    out.segments.push_back(*found);
  }
  if (restore) {
    for (const Segment& s : out.segments) {
      Segment copy = s;
      copy.last_touched_at = factory.now();
      catalog.put_working(std::move(copy));
    }
  }
  if (project != "*") out.active_tokens = catalog.project(project).active_tokens;
  return out;
}

std::vector<ProjectInfo> list_projects(const Catalog& catalog) {
  std::vector<ProjectInfo> out;
  for (const auto& [id, p] : catalog.projects()) {
    if (p.working.empty() && p.stashed.empty()) continue;
    ProjectInfo info{id, p.working.size(), p.active_tokens, p.stashed.size(), p.stashed_tokens, "", p.root_path};
    for (const auto* map : {&p.working, &p.stashed}) {
      for (const auto& [sid, s] : *map) info.last_updated = std::max(info.last_updated, s.last_touched_at);
    }
    out.push_back(std::move(info));
  }
  return out;
}

StoreStats catalog_stats(const Catalog& catalog) {
  StoreStats s;
  s.journal_seq = catalog.last_seq();
  for (const auto& [id, p] : catalog.projects()) {
    if (p.working.empty() && p.stashed.empty()) continue;
    ++s.projects;
    s.stashed_segments += p.stashed.size();
    s.stashed_tokens += p.stashed_tokens;
    s.active_segments += p.working.size();
    s.index_postings += p.ranked.posting_count();
    s.index_bytes += p.ranked.memory_bytes();
  }
  return s;
}

std::vector<Segment> export_stashed(const Catalog& catalog, const std::string& project) {
  std::vector<Segment> out;
  for (const auto& [id, p] : catalog.projects()) {
    if (project != "*" && id != project) continue;
    for (const auto& [sid, s] : p.stashed) out.push_back(s);
  }
  return out;
}

}  // namespace storage
