#include "tools/project_id.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "storage/segment.h"

namespace tools {
namespace {

constexpr size_t kMaxProjectChars = 128;

bool allowed(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool alphanumeric(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::string base_name(const std::string& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  size_t slash = trimmed.rfind('/');
  return slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
}

std::string parent_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

std::string sanitize_project_id(std::string_view name) {
  std::string out;
  for (char raw : name) {
    auto byte = static_cast<unsigned char>(raw);
    if (byte >= 0x80 && byte < 0xC0) continue;  // UTF-8 continuation: already replaced
    char c = (raw >= 'A' && raw <= 'Z') ? static_cast<char>(raw - 'A' + 'a') : raw;
    out += allowed(c) ? c : '-';
  }
  size_t start = 0;
  while (start < out.size() && !alphanumeric(out[start])) ++start;
  out = out.substr(start, kMaxProjectChars);
  return out;
}

std::string default_project_id(const std::optional<std::string>& env_project, const std::string& cwd,
                               const std::function<bool(const std::string& dir)>& is_git_root) {
  if (env_project && !env_project->empty()) {
    if (storage::validate_project_id(*env_project).ok()) return *env_project;
    if (std::string clean = sanitize_project_id(*env_project); !clean.empty()) return clean;
  }
  std::string name;
  if (!cwd.empty()) {
    name = base_name(cwd);
    for (std::string dir = cwd;; dir = parent_of(dir)) {
      if (is_git_root(dir)) {
        name = base_name(dir);
        break;
      }
      if (dir == "/") break;
    }
  }
  std::string clean = sanitize_project_id(name);
  return clean.empty() ? std::string("default") : clean;
}

std::string default_project_from_environment() {
  const char* env = std::getenv("OUT_OF_CONTEXT_PROJECT");
  std::string cwd;
  char buffer[PATH_MAX];
  if (::getcwd(buffer, sizeof buffer) != nullptr) cwd = buffer;
  return default_project_id(env ? std::optional<std::string>(env) : std::nullopt, cwd,
                            [](const std::string& dir) {
                              std::error_code error;
                              return std::filesystem::exists(dir + (dir == "/" ? ".git" : "/.git"), error);
                            });
}

}  // namespace tools
