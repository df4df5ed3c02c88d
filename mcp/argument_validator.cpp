#include "mcp/argument_validator.h"

#include <algorithm>
#include <exception>
#include <map>
#include <utility>

// valijson aborts the process on a bad schema unless exceptions are on; the valijson CMake
// target defines this, but this file must be safe however it is compiled.
#ifndef VALIJSON_USE_EXCEPTIONS
#define VALIJSON_USE_EXCEPTIONS 1
#endif
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace mcp {
namespace {

const Json* member(const Json* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  const auto it = object->find(key);
  return it == object->end() ? nullptr : &*it;
}

std::string with_article(const std::string& type) {
  if (type == "null") return "null";
  if (type == "integer" || type == "array" || type == "object") return "an " + type;
  return "a " + type;
}

std::string scalar_text(const Json& v) {
  return v.is_string() ? v.get<std::string>() : dump_compact(v);
}

std::string join(const Json& values, std::string_view sep) {
  std::string out;
  for (const Json& v : values) {
    if (!out.empty()) out += sep;
    out += scalar_text(v);
  }
  return out;
}

// What valijson's description says failed. Aggregates (anyOf/oneOf) outrank the child errors
// reported at the same path; containers ("item #2 failed") only wrap deeper errors.
enum class Kind { kAggregate, kType, kRequired, kAdditional, kLeaf, kContainer };

Kind classify(const std::string& d) {
  auto starts = [&](std::string_view p) { return d.rfind(p, 0) == 0; };
  if (starts("Failed to validate against any schemas allowed by anyOf") ||
      starts("Failed to validate against any child schemas allowed by oneOf") ||
      starts("Failed to validate against exactly one child schema")) {
    return Kind::kAggregate;
  }
  if (starts("Value type not permitted")) return Kind::kType;
  if (starts("Missing required property")) return Kind::kRequired;
  if (starts("Object contains a property that could not be validated")) return Kind::kAdditional;
  if (starts("Failed to validate item #") || starts("Cannot validate item #") ||
      starts("Failed to validate against schema associated with") ||
      starts("Failed to validate against additional properties schema") ||
      starts("Failed to validate against a conditional schema") ||
      starts("Failed to validate against dependent schema")) {
    return Kind::kContainer;
  }
  return Kind::kLeaf;
}

// The quoted name in "Missing required property 'x'." / "... constraints: 'x'.".
std::string quoted_name(const std::string& d) {
  const size_t end = d.rfind('\'');
  if (end == std::string::npos || end == 0) return "";
  const size_t begin = d.rfind('\'', end - 1);
  if (begin == std::string::npos) return "";
  return d.substr(begin + 1, end - begin - 1);
}

std::string own_reason(const std::string& d, Kind kind, const Json* schema, const Json* value) {
  auto starts = [&](std::string_view p) { return d.rfind(p, 0) == 0; };
  const Json* s = schema;
  if (kind == Kind::kType && member(s, "type") != nullptr) {
    const Json& t = *member(s, "type");
    std::string want;
    for (const Json& one : t.is_array() ? t : Json::array({t})) {
      if (!want.empty()) want += " or ";
      want += with_article(scalar_text(one));
    }
    return "must be " + want + (value ? std::string(", got ") + value->type_name() : "");
  }
  if (kind == Kind::kAggregate) {
    const Json* alts = member(s, "anyOf") ? member(s, "anyOf") : member(s, "oneOf");
    std::string want;
    if (alts != nullptr && alts->is_array()) {
      for (const Json& alt : *alts) {
        const Json* t = member(&alt, "type");
        if (t == nullptr || !t->is_string()) return "does not match any of the allowed forms";
        if (!want.empty()) want += " or ";
        want += with_article(t->get<std::string>());
      }
      if (!want.empty()) return "must be " + want;
    }
    return "does not match any of the allowed forms";
  }
  if (starts("Failed to match against any enum values") && member(s, "enum")) {
    return "must be one of " + join(*member(s, "enum"), ", ");
  }
  if (starts("Failed to match expected value set by 'const'") && member(s, "const")) {
    return "must be " + scalar_text(*member(s, "const"));
  }
  if (starts("Expected number less than or equal") && member(s, "maximum")) {
    return "must be at most " + dump_compact(*member(s, "maximum"));
  }
  if (starts("Expected number less than") && member(s, "maximum")) {
    return "must be less than " + dump_compact(*member(s, "maximum"));
  }
  if (starts("Expected number greater than or equal") && member(s, "minimum")) {
    return "must be at least " + dump_compact(*member(s, "minimum"));
  }
  if (starts("Expected number greater than") && member(s, "minimum")) {
    return "must be greater than " + dump_compact(*member(s, "minimum"));
  }
  if (starts("String should be no more than") && member(s, "maxLength")) {
    return "must be at most " + dump_compact(*member(s, "maxLength")) + " characters long";
  }
  if (starts("String should be no fewer than") && member(s, "minLength")) {
    const Json& n = *member(s, "minLength");
    if (n.is_number_integer() && n.get<long long>() == 1) return "must not be empty";
    return "must be at least " + dump_compact(n) + " characters long";
  }
  if (starts("Array should contain no more than") && member(s, "maxItems")) {
    return "must have at most " + dump_compact(*member(s, "maxItems")) + " items";
  }
  if (starts("Array should contain no fewer than") && member(s, "minItems")) {
    return "must have at least " + dump_compact(*member(s, "minItems")) + " item(s)";
  }
  if (starts("Failed to match regex") && member(s, "pattern")) {
    return "must match the pattern " + scalar_text(*member(s, "pattern"));
  }
  if (starts("Elements at indexes")) return "must not contain duplicate items";
  if (starts("Object should have no more than") && member(s, "maxProperties")) {
    return "must have at most " + dump_compact(*member(s, "maxProperties")) + " properties";
  }
  // Fallback: valijson's own words, as a lower-case clause.
  std::string text = d;
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] + 32);
  return text;
}

struct Located {
  std::string path;  // "segments[2].type"; empty at the root
  const Json* value = nullptr;
  const Json* schema = nullptr;
};

// Follows valijson's context ["<root>", "[segments]", "[2]", "[type]"] through the value and the
// schema (properties / additionalProperties / items). Unresolvable schema parts become nullptr.
Located locate(const std::vector<std::string>& context, const Json& value, const Json& schema) {
  Located at{"", &value, &schema};
  for (size_t i = 1; i < context.size(); ++i) {
    std::string token = context[i];
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    const bool digits = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
      return c >= '0' && c <= '9';
    });
    if (at.value != nullptr && at.value->is_array() && digits) {
      const size_t index = std::stoul(token);
      at.path += "[" + token + "]";
      at.value = index < at.value->size() ? &(*at.value)[index] : nullptr;
      const Json* items = member(at.schema, "items");
      if (items != nullptr && items->is_array()) {
        at.schema = index < items->size() ? &(*items)[index] : nullptr;
      } else {
        at.schema = items;
      }
    } else {
      at.path += (at.path.empty() ? "" : ".") + token;
      at.value = member(at.value, token);
      const Json* props = member(at.schema, "properties");
      const Json* prop = member(props, token);
      const Json* extra = member(at.schema, "additionalProperties");
      at.schema = prop != nullptr ? prop : (extra != nullptr && extra->is_object() ? extra : nullptr);
    }
  }
  return at;
}

struct Problem {
  size_t depth;
  Kind kind;
  std::string path;
  std::string reason;
};

std::string allowed_properties(const Json* schema) {
  const Json* props = member(schema, "properties");
  if (props == nullptr || props->empty()) return "this object takes no properties";
  std::string names;
  for (const auto& [name, ignored] : props->items()) {
    names += (names.empty() ? "" : ", ") + name;
  }
  return "allowed properties are " + names;
}

}  // namespace

ArgumentValidator::ArgumentValidator(Json schema, std::unique_ptr<valijson::Schema> compiled)
    : schema_(std::move(schema)), compiled_(std::move(compiled)) {}

ArgumentValidator::~ArgumentValidator() = default;

std::unique_ptr<ArgumentValidator> ArgumentValidator::compile(const Json& schema,
                                                              std::string& error) {
  try {
    auto compiled = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, *compiled);
    return std::unique_ptr<ArgumentValidator>(new ArgumentValidator(schema, std::move(compiled)));
  } catch (const std::exception& e) {
    error = std::string("inputSchema cannot be loaded: ") + e.what();
    return nullptr;
  }
}

std::vector<std::string> ArgumentValidator::validate(const Json& arguments,
                                                     size_t max_errors) const {
  valijson::ValidationResults results;
  try {
    valijson::Validator validator;
    valijson::adapters::NlohmannJsonAdapter adapter(arguments);
    if (validator.validate(*compiled_, adapter, &results)) return {};
  } catch (const std::exception& e) {
    return {std::string("arguments could not be validated: ") + e.what()};
  }
  // One problem per path; the best-ranked kind wins (aggregate > type > the rest).
  std::map<std::string, Problem> by_path;
  std::vector<std::string> order;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    const Kind kind = classify(error.description);
    if (kind == Kind::kContainer) continue;
    const Located at = locate(error.context, arguments, schema_);
    Problem p{error.context.size(), kind, at.path, ""};
    if (kind == Kind::kRequired || kind == Kind::kAdditional) {
      p.path += (p.path.empty() ? "" : ".") + quoted_name(error.description);
      p.depth += 1;
      p.reason = kind == Kind::kRequired
                     ? "is required"
                     : "unknown property; " + allowed_properties(at.schema);
    } else {
      p.reason = own_reason(error.description, kind, at.schema, at.value);
    }
    if (p.path.empty()) p.path = "arguments";
    auto [it, inserted] = by_path.try_emplace(p.path, p);
    if (inserted) {
      order.push_back(p.path);
    } else if (static_cast<int>(kind) < static_cast<int>(it->second.kind)) {
      it->second = p;
    }
  }
  std::vector<Problem> problems;
  for (const std::string& path : order) problems.push_back(by_path.at(path));
  std::stable_sort(problems.begin(), problems.end(),
                   [](const Problem& a, const Problem& b) { return a.depth > b.depth; });
  std::vector<std::string> out;
  for (size_t i = 0; i < problems.size() && i < max_errors; ++i) {
    out.push_back(problems[i].path + ": " + problems[i].reason);
  }
  if (problems.size() > max_errors) {
    out.push_back("(" + std::to_string(problems.size() - max_errors) + " more problems)");
  }
  if (out.empty()) out.push_back("arguments: do not match the tool's inputSchema");
  return out;
}

}  // namespace mcp
