#include "mcp/tool_registry.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <utility>

#include "mcp/argument_normalizer.h"
#include "mcp/argument_validator.h"

namespace mcp {

struct ToolRegistry::Impl {
  struct Entry {
    Json descriptor;
    ToolHandler handler;
    std::unique_ptr<ArgumentValidator> validator;
    Json listed;  // what tools/list shows (x-listed applied)
  };
  std::map<std::string, Entry, std::less<>> tools;  // sorted by name: tools/list order
  std::vector<Json> descriptors;
};

namespace {

bool is_object_schema(const Json& descriptor, const char* key) {
  const auto it = descriptor.find(key);
  if (it == descriptor.end()) return false;
  const auto type = it->find("type");
  return it->is_object() && type != it->end() && *type == "object";
}

// The descriptor as tools/list shows it: every object carrying "x-listed" is replaced by that
// member's value (recursively), and the keyword itself never appears. With `listed` false the
// keyword is only dropped: the complete schema the arguments are validated against.
Json apply_listed(const Json& value, bool listed) {
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& item : value) out.push_back(apply_listed(item, listed));
    return out;
  }
  if (!value.is_object()) return value;
  if (listed) {
    if (const auto it = value.find("x-listed"); it != value.end()) return apply_listed(*it, true);
  }
  Json out = Json::object();
  for (const auto& [key, member] : value.items()) {
    if (key != "x-listed") out[key] = apply_listed(member, listed);
  }
  return out;
}

// A success whose arguments were normalized says so in its summary, so the model sees what was
// read and can send the precise form next time. Other results are left as the handler made them.
ToolResult with_notes(ToolResult result, const std::vector<std::string>& notes) {
  if (notes.empty() || result.is_error || !result.structured.is_object()) return result;
  const auto it = result.structured.find("summary");
  if (it == result.structured.end() || !it->is_string()) return result;
  std::string& summary = it->get_ref<std::string&>();
  summary += (summary.empty() ? "" : " ") + normalization_sentence(notes);
  return result;
}

Json text_result(std::string text, bool is_error) {
  Json result = Json::object();
  result["content"] = Json::array({Json{{"type", "text"}, {"text", std::move(text)}}});
  if (is_error) result["isError"] = true;
  return result;
}

}  // namespace

Json to_call_tool_result(const ToolResult& r) {
  if (r.is_error) {
    return text_result(r.error_code.empty() ? r.message : r.error_code + ": " + r.message, true);
  }
  Json result = text_result(dump_compact(r.structured), false);
  result["structuredContent"] = r.structured;
  return result;
}

ToolRegistry::ToolRegistry() : impl_(std::make_unique<Impl>()) {}
ToolRegistry::~ToolRegistry() = default;
ToolRegistry::ToolRegistry(ToolRegistry&&) noexcept = default;
ToolRegistry& ToolRegistry::operator=(ToolRegistry&&) noexcept = default;

std::string ToolRegistry::add(Json descriptor, ToolHandler handler) {
  if (!descriptor.is_object()) return "tool descriptor must be a JSON object";
  const auto name_it = descriptor.find("name");
  if (name_it == descriptor.end() || !name_it->is_string() || name_it->empty()) {
    return "tool descriptor needs a non-empty string \"name\"";
  }
  const std::string name = name_it->get<std::string>();
  if (impl_->tools.count(name) != 0) return "duplicate tool name '" + name + "'";
  // MCP 2025-06-18..2025-11-25 tools: inputSchema (required) and outputSchema have root "object".
  if (!is_object_schema(descriptor, "inputSchema")) {
    return "tool '" + name + "': inputSchema must be a schema with \"type\": \"object\"";
  }
  if (descriptor.contains("outputSchema") && !is_object_schema(descriptor, "outputSchema")) {
    return "tool '" + name + "': outputSchema must be a schema with \"type\": \"object\"";
  }
  if (!handler) return "tool '" + name + "': handler is empty";
  std::string error;
  Json listed = apply_listed(descriptor, true);
  descriptor = apply_listed(descriptor, false);
  auto validator = ArgumentValidator::compile(descriptor.at("inputSchema"), error);
  if (!validator) return "tool '" + name + "': " + error;
  impl_->tools.emplace(name, Impl::Entry{std::move(descriptor), std::move(handler),
                                         std::move(validator), std::move(listed)});
  impl_->descriptors.clear();
  for (const auto& [ignored, entry] : impl_->tools) impl_->descriptors.push_back(entry.listed);
  return "";
}

const std::vector<Json>& ToolRegistry::descriptors() const { return impl_->descriptors; }

bool ToolRegistry::has(std::string_view name) const {
  return impl_->tools.find(name) != impl_->tools.end();
}

std::optional<Json> ToolRegistry::call(std::string_view name, const Json& arguments) const {
  const auto it = impl_->tools.find(name);
  if (it == impl_->tools.end()) return std::nullopt;
  const Impl::Entry& entry = it->second;
  const NormalizedArguments normalized =
      normalize_arguments(arguments, entry.descriptor.at("inputSchema"));
  const Json& args = normalized.value;
  const std::vector<std::string> problems = entry.validator->validate(args);
  if (!problems.empty()) {
    std::string text;
    for (const std::string& p : problems) text += (text.empty() ? "" : "; ") + p;
    return to_call_tool_result(ToolResult::failure(
        "INVALID_ARGUMENT", text + " (see the tool's inputSchema; fix the arguments and retry)"));
  }
  try {
    return to_call_tool_result(with_notes(entry.handler(args), normalized.notes));
  } catch (const std::exception& e) {
    spdlog::error("tool {} threw: {}", it->first, e.what());
  } catch (...) {
    spdlog::error("tool {} threw a non-standard exception", it->first);
  }
  return to_call_tool_result(ToolResult::failure(
      "INTERNAL_ERROR", "internal error in " + it->first +
                            " (a bug in ooc; details are in the server log on stderr)"));
}

}  // namespace mcp
