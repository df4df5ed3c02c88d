#include "mcp/feature_methods.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mcp/cursor.h"
#include "mcp/jsonrpc.h"

namespace mcp::methods {
namespace {

struct Page {
  size_t begin = 0;
  size_t end = 0;
};

// MCP 2024-11-05 utilities/pagination: opaque cursors; an invalid one SHOULD be -32602. A null
// cursor means none. Shared by the three list methods here (tools/list has its own in methods.cpp).
std::optional<Page> page_of(std::string_view scope, const char* method, size_t size,
                            const Json& params, size_t page_size, Outcome& failure) {
  size_t offset = 0;
  if (const auto it = params.find("cursor"); it != params.end() && !it->is_null()) {
    std::optional<size_t> decoded;
    if (it->is_string()) decoded = decode_cursor(scope, it->get<std::string>());
    if (!decoded || (*decoded >= size && *decoded != 0)) {
      failure = Outcome::fail(jsonrpc::kInvalidParams,
                              std::string("Invalid params: unknown cursor; pass the nextCursor of a "
                                          "previous ") +
                                  method + " result, or omit it to start from the beginning");
      return std::nullopt;
    }
    offset = *decoded;
  }
  return Page{offset, std::min(size, offset + std::max<size_t>(page_size, 1))};
}

void set_if(Json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}

Outcome fail(const FeatureError& error, int not_found_code) {
  switch (error.kind) {
    case FeatureError::Kind::kNotFound: return Outcome::fail(not_found_code, error.message);
    case FeatureError::Kind::kInvalidParams:
      return Outcome::fail(jsonrpc::kInvalidParams, error.message);
    case FeatureError::Kind::kInternal: break;
  }
  return Outcome::fail(jsonrpc::kInternalError, error.message);
}

// A string member of params, or nullopt when absent or not a string.
std::optional<std::string> string_param(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// prompts/get arguments and completion context.arguments: an object of strings (MCP schema
// `{ [key: string]: string }`). nullopt when it is something else.
std::optional<std::map<std::string, std::string>> string_map(const Json& params, const char* key) {
  std::map<std::string, std::string> out;
  const auto it = params.find(key);
  if (it == params.end() || it->is_null()) return out;
  if (!it->is_object()) return std::nullopt;
  for (const auto& [name, value] : it->items()) {
    if (!value.is_string()) return std::nullopt;
    out[name] = value.get<std::string>();
  }
  return out;
}

const Prompt* find_prompt(const std::vector<Prompt>& prompts, const std::string& name) {
  for (const Prompt& prompt : prompts) {
    if (prompt.name == name) return &prompt;
  }
  return nullptr;
}

}  // namespace

Outcome resources_list(Features& features, const Json& params, const protocol::Revision& revision,
                       size_t page_size) {
  FeatureResult<std::vector<ResourceInfo>> listed = features.list_resources();
  if (!listed.value) return fail(listed.error, jsonrpc::kInternalError);
  const std::vector<ResourceInfo>& all = *listed.value;
  Outcome failure;
  const std::optional<Page> page = page_of("resources", "resources/list", all.size(), params,
                                           page_size, failure);
  if (!page) return failure;
  Json list = Json::array();
  for (size_t i = page->begin; i < page->end; ++i) {
    Json entry{{"uri", all[i].uri}, {"name", all[i].name}};
    if (revision.titles) set_if(entry, "title", all[i].title);
    set_if(entry, "description", all[i].description);
    set_if(entry, "mimeType", all[i].mime_type);
    list.push_back(std::move(entry));
  }
  Json result{{"resources", std::move(list)}};
  if (page->end < all.size()) result["nextCursor"] = encode_cursor("resources", page->end);
  return Outcome::ok(std::move(result));
}

Outcome resource_templates_list(const Features& features, const Json& params,
                                const protocol::Revision& revision, size_t page_size) {
  const std::vector<ResourceTemplate> all = features.resource_templates();
  Outcome failure;
  const std::optional<Page> page = page_of("templates", "resources/templates/list", all.size(),
                                           params, page_size, failure);
  if (!page) return failure;
  Json list = Json::array();
  for (size_t i = page->begin; i < page->end; ++i) {
    Json entry{{"uriTemplate", all[i].uri_template}, {"name", all[i].name}};
    if (revision.titles) set_if(entry, "title", all[i].title);
    set_if(entry, "description", all[i].description);
    set_if(entry, "mimeType", all[i].mime_type);
    list.push_back(std::move(entry));
  }
  Json result{{"resourceTemplates", std::move(list)}};
  if (page->end < all.size()) result["nextCursor"] = encode_cursor("templates", page->end);
  return Outcome::ok(std::move(result));
}

Outcome resources_read(Features& features, const Json& params, const protocol::Revision& revision) {
  const std::optional<std::string> uri = string_param(params, "uri");
  if (!uri) {
    return Outcome::fail(jsonrpc::kInvalidParams,
                         "Invalid params: resources/read needs \"uri\", a string from "
                         "resources/list or a resources/templates/list template");
  }
  // MCP 2024-11-05 .. 2025-11-25 server/resources: unknown resource -> -32002 "Resource not
  // found"; MCP 2026-07-28: -32602, never an empty contents array (revision table, column nf).
  FeatureResult<ResourceContents> read = features.read_resource(*uri);
  if (!read.value) {
    Outcome outcome = fail(read.error, revision.resource_not_found);
    if (read.error.kind == FeatureError::Kind::kNotFound) outcome.error->data = Json{{"uri", *uri}};
    return outcome;
  }
  const ResourceContents& contents = *read.value;
  Json entry{{"uri", contents.uri}, {"text", contents.text}};
  set_if(entry, "mimeType", contents.mime_type);
  if (revision.titles && contents.meta.is_object()) entry["_meta"] = contents.meta;
  return Outcome::ok(Json{{"contents", Json::array({std::move(entry)})}});
}

Outcome prompts_list(const Features& features, const Json& params,
                     const protocol::Revision& revision, size_t page_size) {
  const std::vector<Prompt> all = features.prompts();
  Outcome failure;
  const std::optional<Page> page =
      page_of("prompts", "prompts/list", all.size(), params, page_size, failure);
  if (!page) return failure;
  Json list = Json::array();
  for (size_t i = page->begin; i < page->end; ++i) {
    Json entry{{"name", all[i].name}};
    if (revision.titles) set_if(entry, "title", all[i].title);
    set_if(entry, "description", all[i].description);
    Json arguments = Json::array();
    for (const PromptArgument& argument : all[i].arguments) {
      Json arg{{"name", argument.name}, {"required", argument.required}};
      set_if(arg, "description", argument.description);
      arguments.push_back(std::move(arg));
    }
    if (!arguments.empty()) entry["arguments"] = std::move(arguments);
    list.push_back(std::move(entry));
  }
  Json result{{"prompts", std::move(list)}};
  if (page->end < all.size()) result["nextCursor"] = encode_cursor("prompts", page->end);
  return Outcome::ok(std::move(result));
}

Outcome prompts_get(Features& features, const Json& params) {
  const std::optional<std::string> name = string_param(params, "name");
  if (!name) {
    return Outcome::fail(jsonrpc::kInvalidParams,
                         "Invalid params: prompts/get needs \"name\", a prompt from prompts/list");
  }
  // MCP 2024-11-05 server/prompts errors: invalid prompt name and missing required arguments
  // -> -32602.
  const std::vector<Prompt> prompts = features.prompts();
  const Prompt* prompt = find_prompt(prompts, *name);
  if (prompt == nullptr) {
    return Outcome::fail(jsonrpc::kInvalidParams,
                         "Unknown prompt: '" + *name + "'; call prompts/list for the prompts");
  }
  const std::optional<std::map<std::string, std::string>> args = string_map(params, "arguments");
  if (!args) {
    return Outcome::fail(jsonrpc::kInvalidParams,
                         "Invalid params: prompts/get \"arguments\" must map names to strings");
  }
  for (const PromptArgument& argument : prompt->arguments) {
    if (argument.required && args->find(argument.name) == args->end()) {
      return Outcome::fail(jsonrpc::kInvalidParams, "Invalid params: prompt '" + *name +
                                                        "' needs the argument '" + argument.name +
                                                        "'");
    }
  }
  FeatureResult<PromptReply> reply = features.get_prompt(*name, *args);
  if (!reply.value) return fail(reply.error, jsonrpc::kInvalidParams);
  Json messages = Json::array();
  for (const PromptMessage& message : reply.value->messages) {
    messages.push_back(Json{{"role", message.role},
                            {"content", Json{{"type", "text"}, {"text", message.text}}}});
  }
  Json result{{"messages", std::move(messages)}};
  set_if(result, "description", reply.value->description);
  return Outcome::ok(std::move(result));
}

Outcome complete(Features& features, const Json& params) {
  const auto ref = params.find("ref");
  const auto argument = params.find("argument");
  const std::optional<std::string> type =
      ref != params.end() && ref->is_object() ? string_param(*ref, "type") : std::nullopt;
  if (!type || (*type != "ref/prompt" && *type != "ref/resource") || argument == params.end() ||
      !argument->is_object() || !string_param(*argument, "name") ||
      !string_param(*argument, "value")) {
    return Outcome::fail(jsonrpc::kInvalidParams,
                         "Invalid params: completion/complete needs \"ref\" ({type: "
                         "\"ref/prompt\", name} or {type: \"ref/resource\", uri}) and "
                         "\"argument\" {name, value}");
  }
  CompletionRequest request;
  request.is_prompt = *type == "ref/prompt";
  request.argument = *string_param(*argument, "name");
  request.value = *string_param(*argument, "value");
  // MCP 2024-11-05 utilities/completion errors: invalid prompt name -> -32602 (likewise a
  // resource reference that is none of our templates).
  if (request.is_prompt) {
    std::optional<std::string> name = string_param(*ref, "name");
    const std::vector<Prompt> prompts = features.prompts();
    if (!name || find_prompt(prompts, *name) == nullptr) {
      return Outcome::fail(jsonrpc::kInvalidParams,
                           "Unknown prompt: '" + name.value_or("") +
                               "'; call prompts/list for the prompts");
    }
    request.ref = std::move(*name);
  } else {
    std::optional<std::string> uri = string_param(*ref, "uri");
    const std::vector<ResourceTemplate> templates = features.resource_templates();
    const bool known = uri && std::any_of(templates.begin(), templates.end(),
                                          [&](const ResourceTemplate& t) {
                                            return t.uri_template == *uri;
                                          });
    if (!known) {
      return Outcome::fail(jsonrpc::kInvalidParams,
                           "Unknown resource template: '" + uri.value_or("") +
                               "'; call resources/templates/list for the templates");
    }
    request.ref = std::move(*uri);
  }
  // MCP 2025-06-18 utilities/completion: context.arguments holds already-resolved arguments.
  if (const auto context = params.find("context"); context != params.end() && context->is_object()) {
    std::optional<std::map<std::string, std::string>> resolved = string_map(*context, "arguments");
    if (!resolved) {
      return Outcome::fail(jsonrpc::kInvalidParams,
                           "Invalid params: context.arguments must map names to strings");
    }
    request.context = std::move(*resolved);
  }
  FeatureResult<Completion> completion = features.complete(request);
  if (!completion.value) return fail(completion.error, jsonrpc::kInvalidParams);
  std::vector<std::string>& values = completion.value->values;
  const size_t total = std::max(completion.value->total, values.size());
  if (values.size() > kMaxCompletionValues) values.resize(kMaxCompletionValues);
  Json body{{"values", values}, {"total", total}, {"hasMore", total > values.size()}};
  return Outcome::ok(Json{{"completion", std::move(body)}});
}

}  // namespace mcp::methods
