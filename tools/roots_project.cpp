#include "tools/roots_project.h"

#include <spdlog/spdlog.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "tools/project_id.h"

namespace tools {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string parent_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_name(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// realpath(3) when the path exists (symlinks resolved, so one directory has one root path).
std::string real_path(const std::string& path) {
  char buffer[PATH_MAX];
  if (::realpath(path.c_str(), buffer) != nullptr) return buffer;
  return path;
}

}  // namespace

std::optional<std::string> path_of_file_uri(const std::string& uri) {
  // RFC 8089: file://<host>/<path>; the host is empty or "localhost" for a local file.
  constexpr std::string_view kScheme = "file://";
  if (uri.size() < kScheme.size() || uri.compare(0, kScheme.size(), kScheme) != 0) return std::nullopt;
  std::string_view rest = std::string_view(uri).substr(kScheme.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view host = rest.substr(0, slash);
  if (!host.empty() && host != "localhost") return std::nullopt;
  rest = rest.substr(slash);
  std::string path;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '?' || rest[i] == '#') break;
    if (rest[i] != '%') {
      path += rest[i];
      continue;
    }
    if (i + 2 >= rest.size()) return std::nullopt;
    const int high = hex_value(rest[i + 1]);
    const int low = hex_value(rest[i + 2]);
    if (high < 0 || low < 0 || (high == 0 && low == 0)) return std::nullopt;
    path += static_cast<char>(high * 16 + low);
    i += 2;
  }
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::string git_top_level(const std::string& path,
                          const std::function<bool(const std::string& dir)>& is_git_root) {
  for (std::string dir = path;; dir = parent_of(dir)) {
    if (is_git_root(dir)) return dir;
    if (dir == "/" || dir.empty()) break;
  }
  return path;
}

storage::Result<std::string> project_for_directory(
    storage::Store& store, const std::string& path, const std::function<bool(const std::string& dir)>& is_git_root) {
  const std::string root = git_top_level(real_path(path), is_git_root);
  const std::string wanted = sanitize_project_id(base_name(root));
  if (wanted.empty()) return storage::Status::invalid_argument("no usable project name in " + root);
  return store.claim_project(wanted, root);
}

std::string apply_roots(storage::Store& store, DefaultProject& project,
                        const std::vector<std::string>& uris,
                        const std::function<bool(const std::string& dir)>& is_git_root) {
  for (const std::string& uri : uris) {
    const std::optional<std::string> path = path_of_file_uri(uri);
    if (!path || path->empty() || path->front() != '/') continue;
    storage::Result<std::string> claimed = project_for_directory(store, *path, is_git_root);
    if (!claimed.ok()) {
      spdlog::warn("roots: no project for {}: {}; keeping '{}'", *path, claimed.status().message(), project.get());
      return project.get();
    }
    spdlog::info("roots: default project '{}' (root {})", *claimed, *path);
    project.set(*claimed);
    return *claimed;
  }
  spdlog::debug("roots: no file:// root; keeping the default project '{}'", project.get());
  return project.get();
}

bool has_git_entry(const std::string& dir) {
  std::error_code error;
  return std::filesystem::exists(std::filesystem::path(dir) / ".git", error);
}

}  // namespace tools
