// context_edit: edit a stashed segment in place, append or replace lines, guarded by its revision
// (issue 11 #4). The Store checks the revision under the exclusive file lock after catching up, so
// two processes editing one segment never lose an edit: the second gets CONFLICT.
#include "tools/arguments.h"
#include "tools/result_json.h"
#include "tools/tools.h"

namespace tools {
namespace {

using storage::Result;
using storage::Status;

struct ContextEditArgs {
  std::optional<std::string> project_id;
  std::string segment_id;
  int64_t revision = 1;
  storage::EditChange change;  // exactly one of append, replace_lines
};

struct ContextEditReply {
  std::string project;
  storage::EditOutcome outcome;
};

Status decode_replace_lines(const Fields& in, std::optional<storage::LineReplacement>& out) {
  const mcp::Json* value = in.find("replace_lines");
  if (value == nullptr) return Status::ok_status();
  if (!value->is_object()) return field_error(in.name("replace_lines"), "must be an object {start, end, text}");
  const Fields lines = in.object("replace_lines", *value);
  std::optional<int64_t> start;
  std::optional<int64_t> end;
  std::optional<std::string> text;
  if (Status s = lines.read_int("start", 1, start); !s.ok()) return s;
  if (Status s = lines.read_int("end", 1, end); !s.ok()) return s;
  if (Status s = lines.read_string("text", text); !s.ok()) return s;
  if (!start || !end || !text) return field_error(in.name("replace_lines"), "needs start, end and text");
  if (*end < *start) {
    return field_error(in.name("replace_lines"), "end " + std::to_string(*end) + " is before start " +
                                                     std::to_string(*start));
  }
  out = storage::LineReplacement{*start, *end, std::move(*text)};
  return Status::ok_status();
}

Result<ContextEditArgs> decode(const Fields& in) {
  ContextEditArgs args;
  Result<std::optional<std::string>> project = decode_project(in, ProjectUse::kWrite);
  if (!project.ok()) return project.status();
  args.project_id = *project;
  std::optional<std::string> id;
  if (Status s = in.read_string("segment_id", id); !s.ok()) return s;
  if (!id) return field_error("segment_id", "required: the stashed segment to edit");
  if (Status s = storage::validate_segment_id(*id); !s.ok()) return s;
  args.segment_id = std::move(*id);
  std::optional<int64_t> revision;
  if (Status s = in.read_int("revision", 1, revision); !s.ok()) return s;
  if (!revision) {
    return field_error("revision", "required: the revision you last saw (context_retrieve_stashed shows it)");
  }
  args.revision = *revision;
  if (Status s = in.read_string("append", args.change.append); !s.ok()) return s;
  if (Status s = decode_replace_lines(in, args.change.replace_lines); !s.ok()) return s;
  if (args.change.append && args.change.append->empty()) return field_error("append", "must not be empty");
  return args;
}

Result<ContextEditReply> run(const ToolContext& ctx, const ContextEditArgs& args) {
  if (args.change.append.has_value() == args.change.replace_lines.has_value()) {
    return Status::invalid_argument("pass exactly one of append (text to add) or replace_lines ({start, end, text})");
  }
  ContextEditReply reply{project_or_default(ctx, args.project_id), {}};
  Result<storage::EditOutcome> outcome = ctx.store.edit(reply.project, args.segment_id, args.revision, args.change);
  if (!outcome.ok()) return outcome.status();
  reply.outcome = std::move(outcome).value();
  return reply;
}

mcp::Json encode(const ContextEditReply& reply) {
  const storage::EditOutcome& o = reply.outcome;
  std::string summary = "Edited '" + o.segment_id + "' in " + project_phrase(reply.project) + ": now revision " +
                        std::to_string(o.revision) + ", " + count_of(static_cast<size_t>(o.lines), "line") + ", " +
                        with_commas(o.tokens) + " tokens. Pass revision " + std::to_string(o.revision) +
                        " to edit it again.";
  return {{"project_id", reply.project},
          {"segment_id", o.segment_id},
          {"revision", o.revision},
          {"tokens", o.tokens},
          {"summary", std::move(summary)}};
}

}  // namespace

ToolBinding context_edit_tool() { return bind_tool<&decode, &run, &encode>("context_edit"); }

}  // namespace tools
