// The resources of StoreFeatures (tools/features.h): the primer of each project and stashed (or
// working) segments by project and id.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/segment.h"
#include "tools/features.h"
#include "tools/primer.h"

namespace tools {
namespace {

using mcp::FeatureError;
using mcp::FeatureResult;

// RFC 3986 percent-decoding of one URI path segment (an RFC 6570 simple expansion encodes
// reserved characters); nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int high = hex(text[i + 1]);
    const int low = hex(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

FeatureResult<mcp::ResourceContents> not_found(const std::string& uri, const std::string& why) {
  return FeatureResult<mcp::ResourceContents>::fail(
      FeatureError::Kind::kNotFound,
      "Resource not found: '" + uri + "' (" + why +
          "); resources/list names the primers, resources/templates/list the URI forms");
}

FeatureResult<mcp::ResourceContents> read_primer(const ToolContext& ctx, const std::string& uri,
                                                 const std::string& project) {
  storage::Result<std::vector<std::string>> projects = known_projects(ctx);
  if (!projects.ok()) {
    return FeatureResult<mcp::ResourceContents>::fail(FeatureError::Kind::kInternal,
                                                      projects.status().message());
  }
  if (std::find(projects->begin(), projects->end(), project) == projects->end()) {
    return not_found(uri, "no project '" + project + "'");
  }
  storage::Result<Primer> primer = build_primer(ctx.store, project, kDefaultPrimerTokens);
  if (!primer.ok()) {
    return FeatureResult<mcp::ResourceContents>::fail(FeatureError::Kind::kInternal,
                                                      primer.status().message());
  }
  mcp::ResourceContents contents{uri, "text/markdown", primer->markdown, mcp::Json()};
  contents.meta = mcp::Json{{"project_id", project},
                            {"tokens", primer->tokens},
                            {"max_tokens", primer->max_tokens},
                            {"retrieve_ids", primer->retrieve_ids}};
  return FeatureResult<mcp::ResourceContents>::ok(std::move(contents));
}

FeatureResult<mcp::ResourceContents> read_segment(const ToolContext& ctx, const std::string& uri,
                                                  const std::string& project,
                                                  const std::string& id) {
  // The stash is what outlives a session; a segment still in this process's working set is
  // served too, so a URI never depends on whether it was stashed yet.
  for (storage::Tier tier : {storage::Tier::kStashed, storage::Tier::kWorking}) {
    storage::Result<std::optional<storage::Segment>> found = ctx.store.get(project, id, tier);
    if (!found.ok()) {
      return FeatureResult<mcp::ResourceContents>::fail(FeatureError::Kind::kInternal,
                                                        found.status().message());
    }
    if (!found->has_value()) continue;
    const storage::Segment& segment = **found;
    mcp::ResourceContents contents{uri, "text/plain",
                                   segment_metadata_block(segment) + segment.text, mcp::Json()};
    contents.meta = mcp::Json{{"segment_id", segment.segment_id},
                              {"project_id", segment.project_id},
                              {"type", std::string(storage::to_string(segment.type))},
                              {"tags", segment.tags},
                              {"created_at", segment.created_at},
                              {"tokens", segment.tokens},
                              {"tier", std::string(storage::to_string(segment.tier))}};
    if (segment.task_id) contents.meta["task_id"] = *segment.task_id;
    return FeatureResult<mcp::ResourceContents>::ok(std::move(contents));
  }
  return not_found(uri, "no segment '" + id + "' in project '" + project + "'");
}

}  // namespace

storage::Result<std::vector<std::string>> known_projects(const ToolContext& ctx) {
  storage::Result<std::vector<storage::ProjectInfo>> listed = ctx.store.list_projects();
  if (!listed.ok()) return listed.status();
  std::vector<std::string> ids;
  for (const storage::ProjectInfo& info : *listed) ids.push_back(info.project_id);
  ids.push_back(ctx.default_project->get());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::string segment_metadata_block(const storage::Segment& segment) {
  std::string block = "---\nsegment_id: " + segment.segment_id + "\nproject_id: " +
                      segment.project_id + "\ntype: " + std::string(storage::to_string(segment.type)) +
                      "\n";
  if (segment.task_id) block += "task_id: " + *segment.task_id + "\n";
  if (segment.file_path) block += "file_path: " + *segment.file_path + "\n";
  if (!segment.tags.empty()) {
    block += "tags:";
    for (size_t i = 0; i < segment.tags.size(); ++i) block += (i == 0 ? " " : ", ") + segment.tags[i];
    block += "\n";
  }
  if (segment.pinned) block += "pinned: true\n";
  block += "created_at: " + segment.created_at + "\ntokens: " + std::to_string(segment.tokens) +
           "\ntier: " + std::string(storage::to_string(segment.tier)) + "\n---\n";
  return block;
}

FeatureResult<std::vector<mcp::ResourceInfo>> StoreFeatures::list_resources() {
  storage::Result<std::vector<std::string>> projects = known_projects(ctx_);
  if (!projects.ok()) {
    return FeatureResult<std::vector<mcp::ResourceInfo>>::fail(FeatureError::Kind::kInternal,
                                                               projects.status().message());
  }
  std::vector<mcp::ResourceInfo> out;
  for (const std::string& project : *projects) {
    out.push_back({kPrimerUriPrefix + project, "primer-" + project, "Primer of " + project,
                   "What a fresh context window should know about project '" + project +
                       "': pinned segments, the last session's unstashed ones, the current task, "
                       "decisions and summaries (about 2,000 tokens).",
                   "text/markdown"});
  }
  return FeatureResult<std::vector<mcp::ResourceInfo>>::ok(std::move(out));
}

std::vector<mcp::ResourceTemplate> StoreFeatures::resource_templates() const {
  return {
      {kPrimerTemplate, "primer", "Session primer",
       "The session primer of a project: pinned, last session's unstashed, current task, "
       "decisions and summaries, packed to about 2,000 tokens, with the ids to retrieve.",
       "text/markdown"},
      {kSegmentTemplate, "segment", "Stored segment",
       "One segment by project and id (stashed, else in this session's working set): a "
       "metadata block, then the text.",
       "text/plain"},
  };
}

FeatureResult<mcp::ResourceContents> StoreFeatures::read_resource(const std::string& uri) {
  // Resource URIs are client input (MCP 2024-11-05 server/resources: servers MUST validate them):
  // only our two forms, percent-decoded, with valid project and segment ids.
  if (starts_with(uri, kPrimerUriPrefix)) {
    const std::optional<std::string> project =
        percent_decode(std::string_view(uri).substr(std::string_view(kPrimerUriPrefix).size()));
    if (!project || !storage::validate_project_id(*project).ok()) {
      return not_found(uri, "not a valid project id");
    }
    return read_primer(ctx_, uri, *project);
  }
  if (starts_with(uri, kSegmentUriPrefix)) {
    const std::string_view rest = std::string_view(uri).substr(std::string_view(kSegmentUriPrefix).size());
    const size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return not_found(uri, "expected " + std::string(kSegmentTemplate));
    const std::optional<std::string> project = percent_decode(rest.substr(0, slash));
    const std::optional<std::string> id = percent_decode(rest.substr(slash + 1));
    if (!project || !id || !storage::validate_project_id(*project).ok() ||
        !storage::validate_segment_id(*id).ok()) {
      return not_found(uri, "not a valid project id and segment id");
    }
    return read_segment(ctx_, uri, *project, *id);
  }
  return not_found(uri, "not an ooc:// resource");
}

}  // namespace tools
