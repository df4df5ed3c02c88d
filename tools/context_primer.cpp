// context_primer: what a fresh window should know about a project, packed to a token budget
// (issue 8; the packing is tools/primer.h, shared with the resource, prompt, CLI and hook).
#include "tools/arguments.h"
#include "tools/primer.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

using storage::Result;
using storage::Status;

struct ContextPrimerArgs {
  std::optional<std::string> project_id;
  int64_t max_tokens = kDefaultPrimerTokens;
};

Result<ContextPrimerArgs> decode(const Fields& in) {
  ContextPrimerArgs args;
  Result<std::optional<std::string>> project = decode_project(in, ProjectUse::kWrite);
  if (!project.ok()) return project.status();
  args.project_id = *project;
  std::optional<int64_t> max_tokens;
  if (Status s = in.read_int("max_tokens", kMinPrimerTokens, max_tokens); !s.ok()) return s;
  args.max_tokens = max_tokens.value_or(kDefaultPrimerTokens);
  if (args.max_tokens > kMaxPrimerTokens) {
    return Status::invalid_argument("max_tokens: at most " + std::to_string(kMaxPrimerTokens));
  }
  return args;
}

Result<Primer> run(const ToolContext& ctx, const ContextPrimerArgs& args) {
  return build_primer(ctx.store, project_or_default(ctx, args.project_id), args.max_tokens);
}

}  // namespace

mcp::Json primer_to_json(const Primer& p) {
  mcp::Json sections = mcp::Json::array();
  size_t shown = 0;
  size_t full = 0;
  for (const PrimerSection& section : p.sections) {
    mcp::Json entries = mcp::Json::array();
    for (const PrimerEntry& e : section.entries) {
      mcp::Json entry = {{"segment_id", e.segment_id},
                         {"type", storage::to_string(e.type)},
                         {"tokens", e.tokens},
                         {"title", e.title},
                         {"full_text", e.full_text}};
      if (e.task_id) entry["task_id"] = *e.task_id;
      if (e.tier == storage::Tier::kWorking) entry["working_set"] = true;
      entries.push_back(std::move(entry));
      ++shown;
      if (e.full_text) ++full;
    }
    sections.push_back({{"name", section.name}, {"entries", std::move(entries)}});
  }
  std::string summary;
  if (shown == 0 && p.retrieve_ids.empty()) {
    summary = "Primer of " + project_phrase(p.project_id) + ": nothing pinned, no task, decisions or summaries yet (" +
              with_commas(p.tokens) + " tokens).";
  } else {
    summary = "Primer of " + project_phrase(p.project_id) + ": " + count_of(shown, "segment") + " (" +
              std::to_string(full) + " with full text), " + with_commas(p.tokens) + " of " +
              with_commas(p.max_tokens) + " tokens." +
              (p.retrieve_ids.empty() ? "" : " Get the rest with context_retrieve_stashed(retrieve_ids).");
  }
  return {{"project_id", p.project_id},
          {"tokens", p.tokens},
          {"max_tokens", p.max_tokens},
          {"sections", std::move(sections)},
          {"retrieve_ids", p.retrieve_ids},
          {"markdown", p.markdown},
          {"summary", std::move(summary)}};
}


ToolBinding context_primer_tool() { return bind_tool<&decode, &run, &primer_to_json>("context_primer"); }

}  // namespace tools
