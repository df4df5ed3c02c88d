#include "tools/result_json.h"

#include <cmath>
#include <cstdio>

#include "storage/segment_json.h"

namespace tools {
namespace {

using Json = mcp::Json;

Json optional_string(const std::optional<std::string>& value) {
  return value ? Json(*value) : Json(nullptr);
}

// metadata when not empty; supersede links when there are any (issue 11 #3, #9).
void add_links_and_metadata(const storage::Segment& segment, Json& out) {
  if (!segment.metadata.empty()) out["metadata"] = storage::metadata_to_json(segment.metadata);
  if (!segment.supersedes.empty()) out["supersedes"] = segment.supersedes;
  if (segment.superseded_by) out["superseded_by"] = *segment.superseded_by;
}

}  // namespace

Json segment_to_json(const storage::Segment& segment, const SegmentView& view) {
  Json out = Json::object();
  out["segment_id"] = segment.segment_id;
  if (view.with_text) out["text"] = segment.text;
  out["type"] = std::string(storage::to_string(segment.type));
  if (view.verbose || view.with_project) out["project_id"] = segment.project_id;
  if (view.verbose || segment.task_id) out["task_id"] = optional_string(segment.task_id);
  if (view.verbose || segment.file_path) out["file_path"] = optional_string(segment.file_path);
  if (view.verbose || segment.topic_id) out["topic_id"] = optional_string(segment.topic_id);
  if (view.verbose || segment.line_range) {
    out["line_range"] = segment.line_range ? Json::array({segment.line_range->start, segment.line_range->end})
                                           : Json(nullptr);
  }
  if (view.verbose || !segment.tags.empty()) out["tags"] = segment.tags;
  out["created_at"] = segment.created_at;
  if (view.verbose || segment.last_touched_at != segment.created_at) out["last_touched_at"] = segment.last_touched_at;
  if (view.verbose || segment.pinned) out["pinned"] = segment.pinned;
  if (view.verbose) {
    out["generation"] = std::string(storage::to_string(segment.generation));
    out["gc_survival_count"] = segment.gc_survival_count;
    out["refcount"] = segment.refcount;
  }
  out["tokens"] = segment.tokens;
  if (view.verbose) out["tier"] = std::string(storage::to_string(segment.tier));
  out["revision"] = segment.revision;
  add_links_and_metadata(segment, out);
  return out;
}

Json hit_to_json(const storage::SearchHit& hit, bool with_project) {
  const storage::Segment& s = hit.segment;
  Json out = Json::object();
  out["segment_id"] = s.segment_id;
  if (with_project) out["project_id"] = s.project_id;
  out["score"] = std::round(hit.score * 1000.0) / 1000.0;
  out["snippet"] = hit.snippet;
  out["type"] = std::string(storage::to_string(s.type));
  if (s.task_id) out["task_id"] = *s.task_id;
  if (s.file_path) out["file_path"] = *s.file_path;
  if (!s.tags.empty()) out["tags"] = s.tags;
  if (s.pinned) out["pinned"] = true;
  out["tokens"] = s.tokens;
  out["created_at"] = s.created_at;
  add_links_and_metadata(s, out);
  return out;
}

namespace {

// Two decimals, cut rather than rounded: a near duplicate never shows as 1.00.
double two_decimals(double similarity) { return std::floor(similarity * 100.0 + 1e-9) / 100.0; }

}  // namespace

mcp::Json duplicates_to_json(const std::vector<storage::Duplicate>& duplicates) {
  mcp::Json out = mcp::Json::array();
  for (const storage::Duplicate& d : duplicates) {
    out.push_back({{"segment_id", d.segment_id},
                   {"tier", storage::to_string(d.tier)},
                   {"kind", storage::to_string(d.kind)},
                   {"similarity", two_decimals(d.similarity)}});
  }
  return out;
}

std::string duplicates_sentence(const std::vector<storage::StoredSegment>& written) {
  constexpr size_t kShown = 3;
  std::vector<std::string> pairs;
  size_t total = 0;
  std::string first_old;
  for (const storage::StoredSegment& s : written) {
    for (const storage::Duplicate& d : s.duplicates) {
      if (total++ >= kShown) continue;
      if (first_old.empty()) first_old = d.segment_id;
      const std::string where = std::string(storage::to_string(d.tier)) + " '" + d.segment_id + "'";
      if (d.kind == storage::Duplicate::Kind::kExact) {
        pairs.push_back("'" + s.segment_id + "' duplicates " + where + " (exact)");
      } else {
        char similarity[16];
        std::snprintf(similarity, sizeof similarity, "%.2f", two_decimals(d.similarity));
        pairs.push_back("'" + s.segment_id + "' is near " + where + " (" + similarity + ")");
      }
    }
  }
  if (pairs.empty()) return "";
  std::string out = " ";
  for (size_t i = 0; i < pairs.size(); ++i) out += (i > 0 ? "; " : "") + pairs[i];
  if (total > kShown) out += "; and " + std::to_string(total - kShown) + " more";
  return out + ": supersede the old one (supersedes: ['" + first_old + "']) or context_delete it.";
}

std::string with_commas(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string count_of(size_t count, std::string_view noun, std::string_view plural) {
  if (count == 1) return "1 " + std::string(noun);
  return std::to_string(count) + " " + (plural.empty() ? std::string(noun) + "s" : std::string(plural));
}

std::string quoted_list(const std::vector<std::string>& items, size_t max_shown) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max_shown; ++i) {
    if (i > 0) out += ", ";
    out += "'" + items[i] + "'";
  }
  if (items.size() > max_shown) out += " and " + std::to_string(items.size() - max_shown) + " more";
  return out;
}

std::string project_phrase(const std::string& project) {
  return project == "*" ? std::string("all projects") : "project '" + project + "'";
}

}  // namespace tools
