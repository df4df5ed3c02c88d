// The completions of StoreFeatures (tools/features.h): project ids, segment ids, task ids and tags
// for prompt arguments and resource template variables of those names.
#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/search/search_types.h"
#include "storage/segment.h"
#include "tools/features.h"

namespace tools {
namespace {

using mcp::FeatureError;
using mcp::FeatureResult;
using Answer = FeatureResult<mcp::Completion>;

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// Every candidate starting with `prefix`, sorted and unique; the Server caps what it sends.
mcp::Completion matching(const std::set<std::string>& candidates, const std::string& prefix) {
  mcp::Completion out;
  for (const std::string& value : candidates) {
    if (starts_with_ignoring_case(value, prefix)) out.values.push_back(value);
  }
  out.total = out.values.size();
  return out;
}

// The project a completion is about: the already-resolved project_id argument when valid, else
// the default project.
std::string project_of(const ToolContext& ctx, const mcp::CompletionRequest& request) {
  const auto it = request.context.find("project_id");
  if (it != request.context.end() && storage::validate_project_id(it->second).ok()) {
    return it->second;
  }
  return ctx.default_project->get();
}

// The working set plus the kCompletionCandidates newest stashed segments (metadata only).
storage::Result<std::vector<storage::Segment>> recent_segments(const ToolContext& ctx,
                                                               const std::string& project) {
  storage::Result<std::vector<storage::Segment>> working = ctx.store.load_segments(project);
  if (!working.ok()) return working.status();
  std::vector<storage::Segment> out = std::move(working).value();
  storage::SearchRequest request;
  request.project_id = project;
  request.limit = kCompletionCandidates;  // empty query: every segment, newest first
  storage::Result<storage::SearchPage> page = ctx.store.search_stashed(request);
  if (!page.ok()) return page.status();
  for (storage::SearchHit& hit : page->hits) out.push_back(std::move(hit.segment));
  return out;
}

}  // namespace

Answer StoreFeatures::complete(const mcp::CompletionRequest& request) {
  const std::string& name = request.argument;
  std::set<std::string> candidates;
  if (name == "project_id") {
    storage::Result<std::vector<std::string>> projects = known_projects(ctx_);
    if (!projects.ok()) return Answer::fail(FeatureError::Kind::kInternal, projects.status().message());
    candidates.insert(projects->begin(), projects->end());
  } else if (name == "segment_id" || name == "task_id" || name == "tag") {
    storage::Result<std::vector<storage::Segment>> segments =
        recent_segments(ctx_, project_of(ctx_, request));
    if (!segments.ok()) return Answer::fail(FeatureError::Kind::kInternal, segments.status().message());
    for (const storage::Segment& s : *segments) {
      if (name == "segment_id") candidates.insert(s.segment_id);
      if (name == "task_id" && s.task_id) candidates.insert(*s.task_id);
      if (name == "tag") candidates.insert(s.tags.begin(), s.tags.end());
    }
  }
  // Any other argument (max_tokens): nothing to suggest.
  return Answer::ok(matching(candidates, request.value));
}

}  // namespace tools
