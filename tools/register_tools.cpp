#include "tools/register_tools.h"

#include <map>
#include <string_view>

#include "schemas/embedded_schemas.h"

namespace tools {
namespace {

using ToolFunction = mcp::ToolResult (*)(const ToolContext&, const mcp::Json&);

// One line per tool, alphabetical (STYLE.md "Declaring a tool"). No static self-registration.
const std::map<std::string_view, ToolFunction>& handlers() {
  static const std::map<std::string_view, ToolFunction> all = {
      {"context_delete", &context_delete},
      {"context_get_working_set", &context_get_working_set},
      {"context_list_projects", &context_list_projects},
      {"context_retrieve_stashed", &context_retrieve_stashed},
      {"context_search_stashed", &context_search_stashed},
      {"context_stash", &context_stash},
      {"context_store", &context_store},
  };
  return all;
}

}  // namespace

std::string register_tools(mcp::ToolRegistry& registry, const ToolContext& ctx) {
  std::string errors;
  std::map<std::string_view, bool> used;
  for (const schemas::EmbeddedSchema& schema : schemas::tool_descriptors()) {
    auto handler = handlers().find(schema.name);
    if (handler == handlers().end()) {
      errors += "schema '" + std::string(schema.name) + "' has no handler; ";
      continue;
    }
    used[schema.name] = true;
    mcp::Json descriptor = mcp::Json::parse(schema.json, nullptr, /*allow_exceptions=*/false);
    if (descriptor.is_discarded()) {
      errors += "schema '" + std::string(schema.name) + "' is not valid JSON; ";
      continue;
    }
    ToolFunction function = handler->second;
    std::string error = registry.add(std::move(descriptor),
                                     [ctx, function](const mcp::Json& args) { return function(ctx, args); });
    if (!error.empty()) errors += "schema '" + std::string(schema.name) + "': " + error + "; ";
  }
  for (const auto& [name, function] : handlers()) {
    if (!used.count(name)) errors += "handler '" + std::string(name) + "' has no schema; ";
  }
  if (!errors.empty()) errors.resize(errors.size() - 2);
  return errors;
}

}  // namespace tools
