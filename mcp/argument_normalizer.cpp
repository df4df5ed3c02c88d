#include "mcp/argument_normalizer.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

namespace mcp {
namespace {

// A note shows at most this many bytes of each value: enough to recognise it, short enough that
// three notes fit in one line of a summary.
constexpr size_t kMaxShownBytes = 40;
constexpr size_t kMaxNotesInSentence = 3;

const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool wants_type(const Json& schema, std::string_view type) {
  const Json* t = member(schema, "type");
  if (t == nullptr) return false;
  if (t->is_string()) return t->get_ref<const std::string&>() == type;
  return t->is_array() && std::any_of(t->begin(), t->end(), [&](const Json& one) {
           return one.is_string() && one.get_ref<const std::string&>() == type;
         });
}

// The type when `type` names exactly one ("integer" or ["integer"]); empty otherwise.
std::string_view single_type(const Json& schema) {
  const Json* t = member(schema, "type");
  if (t != nullptr && t->is_array() && t->size() == 1) t = &(*t)[0];
  if (t == nullptr || !t->is_string()) return {};
  return t->get_ref<const std::string&>();
}

bool enum_holds(const Json& schema, const Json& value) {
  const Json* values = member(schema, "enum");
  return values != nullptr && values->is_array() &&
         std::find(values->begin(), values->end(), value) != values->end();
}

// Whether an array whose items follow `items` would take `text` as an item.
bool item_takes(const Json& items, const Json& text) {
  if (!items.is_object()) return false;
  if (items.contains("type") && !wants_type(items, "string")) return false;
  return !items.contains("enum") || enum_holds(items, text);
}

// ^-?[0-9]+$ within int64: std::from_chars takes exactly that (no '+', no blanks).
std::optional<Json> integer_from(const std::string& text) {
  std::int64_t n = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, n);
  if (error != std::errc() || stop != end) return std::nullopt;
  return Json(n);
}

// What the string `text` stands for where `schema` applies; nullopt when it stays a string.
std::optional<Json> reading_of(const std::string& text, const Json& schema) {
  // DESIGN §5: clients that stringify structured arguments.
  if ((wants_type(schema, "array") || wants_type(schema, "object")) &&
      !wants_type(schema, "string")) {
    Json parsed = Json::parse(text, nullptr, false);
    if (!parsed.is_discarded() && (parsed.is_array() || parsed.is_object())) return parsed;
  }
  const std::string_view type = single_type(schema);
  const Json as_json(text);
  if (type.empty() || type == "string" || enum_holds(schema, as_json)) return std::nullopt;
  if (type == "array") {
    const Json* items = member(schema, "items");
    if (items == nullptr || item_takes(*items, as_json)) return Json::array({as_json});
  } else if (type == "integer") {
    return integer_from(text);
  } else if (type == "boolean" && (text == "true" || text == "false")) {
    return Json(text == "true");
  }
  return std::nullopt;
}

// dump_compact, cut at a UTF-8 character boundary.
std::string shown(const Json& value) {
  std::string text = dump_compact(value);
  if (text.size() <= kMaxShownBytes) return text;
  size_t cut = kMaxShownBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "…";
}

void normalize(Json& value, const Json& schema, const std::string& path,
               std::vector<std::string>& notes) {
  if (!schema.is_object()) return;
  if (value.is_string()) {
    if (std::optional<Json> read = reading_of(value.get_ref<const std::string&>(), schema)) {
      notes.push_back((path.empty() ? "arguments" : path) + " " + shown(value) + " → " +
                      shown(*read));
      value = std::move(*read);
    }
  }
  const Json* props = member(schema, "properties");
  if (value.is_object() && props != nullptr) {
    for (auto& [key, child] : value.items()) {
      if (const Json* sub = member(*props, key)) {
        normalize(child, *sub, path.empty() ? key : path + "." + key, notes);
      }
    }
  }
  const Json* items = member(schema, "items");
  if (value.is_array() && items != nullptr && items->is_object()) {
    for (size_t i = 0; i < value.size(); ++i) {
      normalize(value[i], *items, path + "[" + std::to_string(i) + "]", notes);
    }
  }
}

}  // namespace

NormalizedArguments normalize_arguments(const Json& arguments, const Json& schema) {
  NormalizedArguments out{arguments, {}};
  normalize(out.value, schema, "", out.notes);
  return out;
}

std::string normalization_sentence(const std::vector<std::string>& notes) {
  if (notes.empty()) return "";
  std::string text = "Normalized: ";
  for (size_t i = 0; i < notes.size() && i < kMaxNotesInSentence; ++i) {
    text += (i == 0 ? "" : "; ") + notes[i];
  }
  if (notes.size() > kMaxNotesInSentence) {
    text += "; and " + std::to_string(notes.size() - kMaxNotesInSentence) + " more";
  }
  return text + ".";
}

}  // namespace mcp
