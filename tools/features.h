// StoreFeatures: the MCP resources, prompts and completions of ooc (issue 8), over the Store —
// the tools/ side of mcp::Features (mcp/features.h). Names are fixed by the sessions design:
//   resources  ooc://primer/{project_id}                  text/markdown, the primer (default budget)
//              ooc://segments/{project_id}/{segment_id}   text/plain, a metadata block + the text
//   prompts    resume {project_id?, max_tokens?}          the primer + which ids to retrieve
//              checkpoint {project_id?, task_id?}         what to store and stash before compaction
//   completion project_id, segment_id, task_id, tag      prefix (case-insensitive), sorted
// resources.cpp, prompts.cpp and completions.cpp implement one group each.
//
// Contract: never throws; every store failure becomes a FeatureError (kInternal), bad client
// input kInvalidParams or kNotFound. Read-only: nothing here changes the store. The default
// project is read per call (ctx.default_project).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "mcp/features.h"
#include "tools/tool.h"

namespace tools {

inline constexpr const char* kPrimerUriPrefix = "ooc://primer/";
inline constexpr const char* kSegmentUriPrefix = "ooc://segments/";
inline constexpr const char* kPrimerTemplate = "ooc://primer/{project_id}";
inline constexpr const char* kSegmentTemplate = "ooc://segments/{project_id}/{segment_id}";
// Completion looks at the working set plus at most this many newest stashed segments per call
// (ids, tasks and tags), so a keystroke never scans a whole large store.
inline constexpr size_t kCompletionCandidates = 1000;

class StoreFeatures final : public mcp::Features {
 public:
  explicit StoreFeatures(ToolContext ctx) : ctx_(std::move(ctx)) {}

  mcp::FeatureResult<std::vector<mcp::ResourceInfo>> list_resources() override;
  std::vector<mcp::ResourceTemplate> resource_templates() const override;
  mcp::FeatureResult<mcp::ResourceContents> read_resource(const std::string& uri) override;

  std::vector<mcp::Prompt> prompts() const override;
  mcp::FeatureResult<mcp::PromptReply> get_prompt(
      const std::string& name, const std::map<std::string, std::string>& args) override;

  mcp::FeatureResult<mcp::Completion> complete(const mcp::CompletionRequest& request) override;

 private:
  ToolContext ctx_;
};

// The project ids a client may name: every project of the store plus the default one, sorted.
storage::Result<std::vector<std::string>> known_projects(const ToolContext& ctx);

// The leading block of a segment resource: "---", then one "key: value" line each for
// segment_id, project_id, type, task_id, file_path, tags, pinned, created_at, tokens, tier (absent
// optional ones left out), then "---".
std::string segment_metadata_block(const storage::Segment& segment);

}  // namespace tools
