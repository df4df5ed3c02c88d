// The default project from the client's roots (tools/roots_project.h) and its effect on the
// tools, which read the default project per call.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/tools/tool_test_support.h"
#include "tools/roots_project.h"

namespace {

bool git_at(const std::set<std::string>& roots, const std::string& dir) { return roots.count(dir) > 0; }

}  // namespace

TEST_CASE("roots: a file URI becomes a local path with escapes decoded") {
  CHECK(tools::path_of_file_uri("file:///home/me/My%20Repo/") == "/home/me/My Repo");
  CHECK(tools::path_of_file_uri("file://localhost/srv/api") == "/srv/api");
  CHECK_FALSE(tools::path_of_file_uri("file://otherhost/srv/api"));
  CHECK_FALSE(tools::path_of_file_uri("https://example.com/api"));
  CHECK_FALSE(tools::path_of_file_uri("file:///bad%2"));
  CHECK_FALSE(tools::path_of_file_uri("file:///nul%00byte"));
}

TEST_CASE("roots: the git top level is the nearest directory with .git at or above the root") {
  const std::set<std::string> repos = {"/work/api"};
  const auto is_git = [&repos](const std::string& dir) { return git_at(repos, dir); };
  CHECK(tools::git_top_level("/work/api/src/lexer", is_git) == "/work/api");
  CHECK(tools::git_top_level("/work/api", is_git) == "/work/api");
  CHECK(tools::git_top_level("/tmp/loose", is_git) == "/tmp/loose");
}

TEST_CASE("roots: the first file root names the default project and the tools see it at once") {
  tools_test::ToolHarness h;
  auto project = std::make_shared<tools::DefaultProject>("proj");
  const auto is_git = [](const std::string& dir) { return dir == "/srv/Payment API"; };
  const std::vector<std::string> uris = {"https://example.com/x",
                                         "file:///srv/Payment%20API/services/billing",
                                         "file:///srv/other"};
  CHECK(tools::apply_roots(h.store(), *project, uris, is_git) == "payment-api");
  CHECK(project->get() == "payment-api");
  // A context sharing the holder stores into the new default.
  const tools::ToolContext ctx{h.store(), project};
  CHECK(tools::project_or_default(ctx, std::nullopt) == "payment-api");
  CHECK(tools::project_or_default(ctx, std::string("explicit")) == "explicit");
}

TEST_CASE("roots: no usable root keeps the current default project") {
  tools_test::ToolHarness h;
  tools::DefaultProject project("proj");
  const auto never = [](const std::string&) { return false; };
  CHECK(tools::apply_roots(h.store(), project, {}, never) == "proj");
  CHECK(tools::apply_roots(h.store(), project, {"https://example.com/", "file://host/x"}, never) ==
        "proj");
  CHECK(tools::apply_roots(h.store(), project, {"file:///"}, never) == "proj");
  CHECK(project.get() == "proj");
}
