#include <doctest/doctest.h>

#include <set>

#include "tools/project_id.h"

using tools::default_project_id;
using tools::sanitize_project_id;

namespace {

auto git_roots(std::set<std::string> roots) {
  return [roots = std::move(roots)](const std::string& dir) { return roots.count(dir) > 0; };
}

}  // namespace

TEST_CASE("default project: OUT_OF_CONTEXT_PROJECT wins, as is when valid") {
  CHECK(default_project_id(std::string("My.Proj_1"), "/home/u/repo", git_roots({})) == "My.Proj_1");
  CHECK(default_project_id(std::string("has space!"), "/home/u/repo", git_roots({})) == "has-space-");
  CHECK(default_project_id(std::string(""), "/home/u/repo", git_roots({})) == "repo");
  CHECK(default_project_id(std::string("***"), "/home/u/repo", git_roots({})) == "repo");
}

TEST_CASE("default project: the git root's name, else the working directory's") {
  CHECK(default_project_id(std::nullopt, "/home/u/My Repo/src/deep", git_roots({"/home/u/My Repo"})) == "my-repo");
  CHECK(default_project_id(std::nullopt, "/home/u/Work", git_roots({})) == "work");
  CHECK(default_project_id(std::nullopt, "/work/main", git_roots({"/work/main"})) == "main");
  CHECK(default_project_id(std::nullopt, "/", git_roots({})) == "default");
  CHECK(default_project_id(std::nullopt, "", git_roots({})) == "default");
  CHECK(default_project_id(std::nullopt, "/tmp/.hidden", git_roots({})) == "hidden");
  CHECK(default_project_id(std::nullopt, "/tmp/___", git_roots({})) == "default");
}

TEST_CASE("default project: sanitizing lower-cases, replaces, trims to 128 and starts alphanumeric") {
  CHECK(sanitize_project_id("Hello World") == "hello-world");
  CHECK(sanitize_project_id("café") == "caf-");
  CHECK(sanitize_project_id("-_.x") == "x");
  CHECK(sanitize_project_id("a.b_c-d") == "a.b_c-d");
  CHECK(sanitize_project_id(std::string(300, 'A')) == std::string(128, 'a'));
  CHECK(sanitize_project_id("") == "");
}
