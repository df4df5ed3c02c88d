// Features: what a server offers besides tools — resources, prompts and argument completion (MCP
// 2024-11-05 server/resources, server/prompts, utilities/completion). mcp/ knows nothing of
// storage (DESIGN §1), so the content comes from this interface, implemented over the Store in
// tools/ (tools/features.h). The Server owns the protocol: methods, pagination, error codes per
// revision, capabilities, the 100-value cap of completions; a Features implementation only
// answers "what is there" in plain structs.
//
// Contract: implementations never throw (a throw becomes -32603) and are called from the one
// thread that calls Server::handle(). Static parts (templates, prompts) are read once per call.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mcp/json.h"

namespace mcp {

// Why a feature call failed. The Server maps it to a JSON-RPC error: kNotFound -> -32002 for a
// resource in legacy revisions, -32602 otherwise; kInvalidParams -> -32602; kInternal -> -32603.
struct FeatureError {
  enum class Kind { kNotFound, kInvalidParams, kInternal };
  Kind kind = Kind::kInternal;
  std::string message;
};

template <class T>
struct FeatureResult {
  std::optional<T> value;
  FeatureError error;  // meaningful when !value

  static FeatureResult ok(T v) { return FeatureResult{std::move(v), {}}; }
  static FeatureResult fail(FeatureError::Kind kind, std::string message) {
    return FeatureResult{std::nullopt, FeatureError{kind, std::move(message)}};
  }
};

struct ResourceInfo {  // one entry of resources/list
  std::string uri;
  std::string name;
  std::string title;        // omitted when empty (and before 2025-06-18)
  std::string description;  // omitted when empty
  std::string mime_type;    // omitted when empty
};

struct ResourceTemplate {  // one entry of resources/templates/list (RFC 6570 level 1)
  std::string uri_template;  // e.g. "ooc://segments/{project_id}/{segment_id}"
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
};

struct ResourceContents {  // the one entry of resources/read's contents
  std::string uri;
  std::string mime_type;
  std::string text;
  Json meta;  // the entry's _meta (2025-06-18+) when an object; omitted when null
};

struct PromptArgument {
  std::string name;
  std::string description;
  bool required = false;
};

struct Prompt {  // one entry of prompts/list
  std::string name;
  std::string title;
  std::string description;
  std::vector<PromptArgument> arguments;
};

struct PromptMessage {
  std::string role = "user";  // "user" or "assistant"
  std::string text;           // sent as a text content block
};

struct PromptReply {  // prompts/get
  std::string description;
  std::vector<PromptMessage> messages;
};

// What completion/complete asks: a prompt's argument or a resource template's variable.
struct CompletionRequest {
  bool is_prompt = true;     // ref/prompt (name) or ref/resource (uri = a uriTemplate)
  std::string ref;           // the prompt name or the uriTemplate
  std::string argument;      // argument.name
  std::string value;         // argument.value: the prefix typed so far
  std::map<std::string, std::string> context;  // context.arguments (2025-06-18), already resolved
};

struct Completion {
  std::vector<std::string> values;  // sorted; the Server sends at most 100
  size_t total = 0;                 // every match (>= values.size())
};

class Features {
 public:
  virtual ~Features() = default;

  // Concrete resources, in a stable order.
  virtual FeatureResult<std::vector<ResourceInfo>> list_resources() = 0;
  virtual std::vector<ResourceTemplate> resource_templates() const = 0;
  // kNotFound for a URI that names nothing (validate it: it is client input).
  virtual FeatureResult<ResourceContents> read_resource(const std::string& uri) = 0;

  virtual std::vector<Prompt> prompts() const = 0;
  // `name` is one of prompts(); required arguments are present (the Server checks both).
  virtual FeatureResult<PromptReply> get_prompt(const std::string& name,
                                                const std::map<std::string, std::string>& args) = 0;

  // `request.ref` is a known prompt or template (the Server checks). An argument it does not
  // complete gets no values.
  virtual FeatureResult<Completion> complete(const CompletionRequest& request) = 0;
};

}  // namespace mcp
