#include "tools/register_tools.h"

#include <map>
#include <string>
#include <string_view>

#include "schemas/embedded_schemas.h"

namespace tools {

// One line per tool, alphabetical (STYLE.md "Declaring a tool"). No static self-registration.
const std::vector<ToolBinding>& tool_bindings() {
  static const std::vector<ToolBinding> all = {
      context_delete_tool(),
      context_edit_tool(),
      context_get_working_set_tool(),
      context_list_projects_tool(),
      context_primer_tool(),
      context_retrieve_stashed_tool(),
      context_search_stashed_tool(),
      context_stash_tool(),
      context_store_tool(),
  };
  return all;
}

storage::Status register_tools(mcp::ToolRegistry& registry, const ToolContext& ctx) {
  std::map<std::string_view, const ToolBinding*> unused;
  for (const ToolBinding& tool : tool_bindings()) unused[tool.name] = &tool;
  std::string errors;
  for (const schemas::EmbeddedSchema& schema : schemas::tool_descriptors()) {
    auto tool = unused.find(schema.name);
    if (tool == unused.end()) {
      errors += "schema '" + std::string(schema.name) + "' has no handler; ";
      continue;
    }
    const auto call = tool->second->call;
    unused.erase(tool);
    mcp::Json descriptor = mcp::Json::parse(schema.json, nullptr, /*allow_exceptions=*/false);
    if (descriptor.is_discarded()) {
      errors += "schema '" + std::string(schema.name) + "' is not valid JSON; ";
      continue;
    }
    std::string error = registry.add(std::move(descriptor), [ctx, call](const mcp::Json& args) { return call(ctx, args); });
    if (!error.empty()) errors += "schema '" + std::string(schema.name) + "': " + error + "; ";
  }
  for (const auto& [name, tool] : unused) errors += "handler '" + std::string(name) + "' has no schema; ";
  if (errors.empty()) return storage::Status::ok_status();
  errors.resize(errors.size() - 2);
  return storage::Status::invalid_argument(errors);
}

}  // namespace tools
