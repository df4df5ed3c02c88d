#include "tests/support/transcript.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <optional>
#include <string>

namespace testing {
namespace {

using mcp::Json;

struct Entry {
  size_t number;     // line number of the '>' or of the first line of the '<'
  char kind;         // '>', '<' or '!'
  std::string text;  // the request line, or the reply's JSON joined across its lines
};

bool ends_reply(const std::string& line) {
  return line.empty() || line[0] == '>' || line[0] == '<' || line[0] == '!' || line[0] == '#';
}

std::vector<Entry> load(const std::filesystem::path& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), path.string(), ": cannot be read");
  const std::string file = path.filename().string();
  std::vector<Entry> entries;
  bool in_reply = false;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (in_reply && !ends_reply(line)) {
      entries.back().text += "\n" + line;
      continue;
    }
    in_reply = false;
    if (line.empty() || line[0] == '#') continue;
    REQUIRE_MESSAGE((line[0] == '>' || line[0] == '<' || line[0] == '!'), file, ":", number,
                    ": a line must start with '>', '<', '!' or '#' (or continue a reply)");
    const size_t start = line.size() > 1 && line[1] == ' ' ? 2 : 1;
    entries.push_back(Entry{number, line[0], line.substr(start)});
    in_reply = line[0] == '<' || line[0] == '!';
  }
  return entries;
}

// If `expected` (one JSON-RPC message) writes content[0].text as the mirror placeholder, checks
// that `actual` mirrors its structuredContent there and copies the actual text into `expected`.
// Returns an error message, or nullopt.
std::optional<std::string> resolve_mirror(Json& expected, const Json& actual) {
  if (!expected.is_object() || !expected.contains("result")) return std::nullopt;
  Json& result = expected["result"];
  if (!result.is_object() || !result.contains("content") || !result["content"].is_array() ||
      result["content"].empty() || !result["content"][0].is_object()) {
    return std::nullopt;
  }
  Json& first = result["content"][0];
  if (!first.contains("text") || first["text"] != Json(kMirrorPlaceholder)) return std::nullopt;
  Json& text = first["text"];
  if (!result.contains("structuredContent")) {
    return "the mirror placeholder needs \"structuredContent\" in the expected result";
  }
  const Json* actual_text = nullptr;
  const Json* actual_structured = nullptr;
  if (actual.is_object() && actual.contains("result") && actual["result"].is_object()) {
    const Json& r = actual["result"];
    if (r.contains("structuredContent")) actual_structured = &r["structuredContent"];
    if (r.contains("content") && r["content"].is_array() && !r["content"].empty() &&
        r["content"][0].is_object() && r["content"][0].contains("text")) {
      actual_text = &r["content"][0]["text"];
    }
  }
  if (actual_text == nullptr || actual_structured == nullptr || !actual_text->is_string()) {
    return "expected a result with content[0].text and structuredContent";
  }
  const std::string& mirror = actual_text->get_ref<const std::string&>();
  const Json parsed = Json::parse(mirror, nullptr, false);
  if (parsed.is_discarded() || parsed != *actual_structured ||
      mirror != mcp::dump_compact(*actual_structured)) {
    return "content[0].text is not the compact JSON of structuredContent: " + mirror;
  }
  text = *actual_text;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> resolve_mirrors(Json& expected, const Json& actual) {
  if (!expected.is_array()) return resolve_mirror(expected, actual);
  for (size_t i = 0; i < expected.size(); ++i) {
    const Json none;
    const Json& element = actual.is_array() && i < actual.size() ? actual[i] : none;
    if (std::optional<std::string> error = resolve_mirror(expected[i], element)) {
      return "element " + std::to_string(i) + ": " + *error;
    }
  }
  return std::nullopt;
}

std::vector<std::filesystem::path> golden_transcripts(std::string_view prefix) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(OOC_TESTS_DIR "/golden")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".transcript") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

namespace {

// The '!' entries after entries[i] against what the server queued on its own; advances i past them.
void check_outgoing(const std::string& file, const std::vector<Entry>& entries, size_t& i,
                    mcp::Server& server, size_t request_line) {
  const std::vector<std::string> sent = server.take_outgoing();
  size_t matched = 0;
  while (i + 1 < entries.size() && entries[i + 1].kind == '!') {
    const Entry& expected = entries[++i];
    const Json want = Json::parse(expected.text, nullptr, false);
    REQUIRE_MESSAGE(!want.is_discarded(), file, ":", expected.number, ": expected is not JSON");
    if (matched >= sent.size()) {
      CHECK_MESSAGE(false, file, ":", expected.number, ": the server sent nothing more");
      continue;
    }
    const Json actual = Json::parse(sent[matched++]);
    CHECK_MESSAGE(actual == want, file, ":", expected.number, ":\n  expected ", want.dump(2),
                  "\n  actual   ", actual.dump(2));
  }
  for (; matched < sent.size(); ++matched) {
    CHECK_MESSAGE(false, file, ":", request_line, ": the server also sent ", sent[matched]);
  }
}

}  // namespace

// `actual` as a transcript writes it: each mirrored text replaced by the placeholder.
Json with_placeholders(Json actual) {
  auto one = [](Json& message) {
    if (!message.is_object() || !message.contains("result") || !message["result"].is_object()) return;
    Json& r = message["result"];
    if (!r.contains("structuredContent") || !r.contains("content") || !r["content"].is_array() || r["content"].empty()) return;
    Json& first = r["content"][0];
    if (first.is_object() && first.contains("text") && first["text"] == Json(mcp::dump_compact(r["structuredContent"]))) {
      first["text"] = std::string(kMirrorPlaceholder);
    }
  };
  if (actual.is_array()) {
    for (Json& element : actual) one(element);
  } else {
    one(actual);
  }
  return actual;
}

// Pretty-printed the way transcripts are written by hand: 2-space indent, and an object or array
// that fits in 100 columns on one line ({"a": 1, "b": [2]}).
std::string inline_json(const Json& value) {
  if (value.is_object()) {
    std::string out = "{";
    for (auto it = value.begin(); it != value.end(); ++it) {
      out += (it == value.begin() ? "" : ", ") + Json(it.key()).dump() + ": " + inline_json(it.value());
    }
    return out + "}";
  }
  if (value.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < value.size(); ++i) out += (i == 0 ? "" : ", ") + inline_json(value[i]);
    return out + "]";
  }
  return value.dump();
}

std::string pretty_json(const Json& value, size_t indent, size_t prefix) {
  const std::string one_line = inline_json(value);
  if (!value.is_structured() || value.empty() || indent + prefix + one_line.size() <= 100) return one_line;
  const std::string pad(indent + 2, ' ');
  std::string out = value.is_object() ? "{\n" : "[\n";
  size_t i = 0;
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it, ++i) {
      const std::string key = Json(it.key()).dump() + ": ";
      out += pad + key + pretty_json(it.value(), indent + 2, key.size()) + (i + 1 < value.size() ? ",\n" : "\n");
    }
  } else {
    for (const Json& item : value) {
      out += pad + pretty_json(item, indent + 2, 0) + (++i < value.size() ? ",\n" : "\n");
    }
  }
  return out + std::string(indent, ' ') + (value.is_object() ? "}" : "]");
}

// OOC_UPDATE_GOLDEN=1: the '<' replies that differ are rewritten in place (comments and requests
// kept), so a deliberate change of the wire is one run plus a review of the diff.
void rewrite_replies(const std::filesystem::path& path, const std::map<size_t, std::pair<size_t, std::string>>& replies) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  in.close();
  std::ostringstream out;
  for (size_t number = 1; number <= lines.size(); ++number) {
    const auto it = replies.find(number);
    if (it == replies.end()) {
      out << lines[number - 1] << "\n";
      continue;
    }
    out << "< " << it->second.second << "\n";
    number += it->second.first - 1;
  }
  std::ofstream(path, std::ios::trunc) << out.str();
}

void replay_transcript(const std::filesystem::path& path, mcp::Server& server) {
  const std::string file = path.filename().string();
  const std::vector<Entry> entries = load(path);
  const char* update_env = std::getenv("OOC_UPDATE_GOLDEN");
  const bool update = update_env != nullptr && std::string(update_env) == "1";
  std::map<size_t, std::pair<size_t, std::string>> rewritten;  // first line -> (lines, new reply)
  for (size_t i = 0; i < entries.size(); ++i) {
    const Entry& request = entries[i];
    REQUIRE_MESSAGE(request.kind == '>', file, ":", request.number,
                    ": '", request.kind, "' without a '>' before it");
    const std::optional<std::string> reply = server.handle(request.text);
    const bool expects = i + 1 < entries.size() && entries[i + 1].kind == '<';
    if (!expects) {
      CHECK_MESSAGE(!reply.has_value(), file, ":", request.number, ": unexpected reply ",
                    reply.value_or(""));
      check_outgoing(file, entries, i, server, request.number);
      continue;
    }
    const Entry& expected = entries[++i];
    if (!reply) {
      CHECK_MESSAGE(false, file, ":", request.number, ": no reply, expected ", expected.text);
      continue;
    }
    // stdio framing: one message per line, so a reply never contains a newline.
    CHECK_MESSAGE(reply->find('\n') == std::string::npos, file, ":", request.number,
                  ": the reply spans several lines");
    Json want = Json::parse(expected.text, nullptr, false);
    REQUIRE_MESSAGE(!want.is_discarded(), file, ":", expected.number, ": expected is not JSON");
    const Json actual = Json::parse(*reply);
    if (update) {
      Json wanted = want;
      if (resolve_mirrors(wanted, actual) || wanted != actual) {
        const size_t lines = static_cast<size_t>(std::count(expected.text.begin(), expected.text.end(), '\n')) + 1;
        rewritten[expected.number] = {lines, pretty_json(with_placeholders(actual), 0, 2)};
        check_outgoing(file, entries, i, server, request.number);
        continue;
      }
    }
    const std::optional<std::string> mirror = resolve_mirrors(want, actual);
    CHECK_MESSAGE(!mirror.has_value(), file, ":", expected.number, ": ", mirror.value_or(""),
                  "\n  actual ", *reply);
    if (mirror) continue;
    CHECK_MESSAGE(actual == want, file, ":", expected.number, ":\n  expected ", want.dump(2),
                  "\n  actual   ", actual.dump(2));
    check_outgoing(file, entries, i, server, request.number);
  }
  if (!rewritten.empty()) {
    rewrite_replies(path, rewritten);
    MESSAGE(file << ": rewrote " << rewritten.size() << " replies (OOC_UPDATE_GOLDEN=1)");
  }
}

}  // namespace testing
