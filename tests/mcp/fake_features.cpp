#include "fake_features.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "fake_tools.h"

namespace mcp_test {
namespace {

using mcp::FeatureError;

bool has_prefix(const std::string& value, const std::string& prefix) {
  if (prefix.size() > value.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), value.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

}  // namespace

mcp::FeatureResult<std::vector<mcp::ResourceInfo>> FakeFeatures::list_resources() {
  std::vector<mcp::ResourceInfo> out = {
      {"fake://notes/readme", "readme", "Read me", "The fake read-me", "text/plain"}};
  for (size_t i = 0; i < roots.size(); ++i) {
    out.push_back({"fake://roots/" + std::to_string(i), "root-" + std::to_string(i), "",
                   "Root " + roots[i], ""});
  }
  return mcp::FeatureResult<std::vector<mcp::ResourceInfo>>::ok(std::move(out));
}

std::vector<mcp::ResourceTemplate> FakeFeatures::resource_templates() const {
  return {{"fake://notes/{name}", "note", "A note", "Any note by name", "text/plain"}};
}

mcp::FeatureResult<mcp::ResourceContents> FakeFeatures::read_resource(const std::string& uri) {
  if (uri == "fake://notes/readme") {
    return mcp::FeatureResult<mcp::ResourceContents>::ok(
        {uri, "text/plain", "Read me.", mcp::Json{{"words", 2}}});
  }
  if (uri == "fake://notes/broken") {
    return mcp::FeatureResult<mcp::ResourceContents>::fail(FeatureError::Kind::kInternal,
                                                           "the fake store is broken");
  }
  return mcp::FeatureResult<mcp::ResourceContents>::fail(FeatureError::Kind::kNotFound,
                                                         "Resource not found: '" + uri + "'");
}

std::vector<mcp::Prompt> FakeFeatures::prompts() const {
  return {{"greet", "Greeting", "Greets someone",
           {{"who", "Whom to greet", true}, {"style", "quiet or loud", false}}},
          {"plain", "", "No arguments", {}}};
}

mcp::FeatureResult<mcp::PromptReply> FakeFeatures::get_prompt(
    const std::string& name, const std::map<std::string, std::string>& args) {
  if (name == "plain") {
    return mcp::FeatureResult<mcp::PromptReply>::ok({"", {{"user", "Plain."}}});
  }
  std::string text = "Hello, " + args.at("who") + "!";
  const auto style = args.find("style");
  if (style != args.end() && style->second == "loud") {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  } else if (style != args.end() && style->second != "quiet") {
    return mcp::FeatureResult<mcp::PromptReply>::fail(FeatureError::Kind::kInvalidParams,
                                                      "Invalid params: style must be quiet or loud");
  }
  return mcp::FeatureResult<mcp::PromptReply>::ok({"A greeting", {{"user", text}}});
}

mcp::FeatureResult<mcp::Completion> FakeFeatures::complete(const mcp::CompletionRequest& request) {
  std::vector<std::string> candidates;
  if (request.argument == "who") candidates = {"Ada", "Alan", "Grace"};
  if (request.argument == "number") {
    for (int i = 0; i < 150; ++i) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "n%03d", i);
      candidates.emplace_back(buffer);
    }
  }
  mcp::Completion out;
  for (const std::string& value : candidates) {
    if (has_prefix(value, request.value)) out.values.push_back(value);
  }
  out.total = out.values.size();
  return mcp::FeatureResult<mcp::Completion>::ok(std::move(out));
}

mcp::ServerConfig make_features_config(FakeFeatures& features) {
  mcp::ServerConfig config = make_config();
  config.list_page_size = 2;
  config.on_roots = [&features](const std::vector<std::string>& uris) { features.roots = uris; };
  return config;
}

}  // namespace mcp_test
