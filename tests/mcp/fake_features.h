// A fake mcp::Features for the mcp_resources* transcripts and server tests: fixed resources,
// one template, two prompts and completions, plus the roots the client reported (so a transcript
// can show that a roots/list response arrived).
#pragma once

#include <string>
#include <vector>

#include "mcp/features.h"
#include "mcp/server.h"

namespace mcp_test {

// resources: "fake://notes/readme" (text/plain "Read me.") and "fake://roots/<n>" per reported
// root; template "fake://notes/{name}"; prompts "greet" {who (required), style} -> "Hello, <who>!"
// (style "loud": upper case) and "plain" (no arguments); completion of "who" from Ada, Alan, Grace
// (prefix, case-insensitive) and of "number" from "n000".."n149" (more than the 100 cap).
class FakeFeatures final : public mcp::Features {
 public:
  mcp::FeatureResult<std::vector<mcp::ResourceInfo>> list_resources() override;
  std::vector<mcp::ResourceTemplate> resource_templates() const override;
  mcp::FeatureResult<mcp::ResourceContents> read_resource(const std::string& uri) override;
  std::vector<mcp::Prompt> prompts() const override;
  mcp::FeatureResult<mcp::PromptReply> get_prompt(
      const std::string& name, const std::map<std::string, std::string>& args) override;
  mcp::FeatureResult<mcp::Completion> complete(const mcp::CompletionRequest& request) override;

  std::vector<std::string> roots;  // set by the config of make_features_config()
};

// make_config() plus list_page_size 2 and on_roots storing the URIs into `features.roots`.
mcp::ServerConfig make_features_config(FakeFeatures& features);

}  // namespace mcp_test
