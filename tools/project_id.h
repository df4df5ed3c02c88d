// The default project of a server (DESIGN §6): OUT_OF_CONTEXT_PROJECT, else the name of the
// working directory's git root (or of the working directory), made into a valid project id,
// else "default". Pure functions of their inputs, so they are unit-tested without touching the
// real environment; default_project_from_environment() is the thin shell.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tools {

// Lower-cases, replaces each character outside [a-z0-9._-] (a whole UTF-8 sequence counts as one)
// with '-', drops leading characters that are not [a-z0-9], keeps at most 128 characters. Empty
// when nothing usable remains.
std::string sanitize_project_id(std::string_view name);

// `env_project`: OUT_OF_CONTEXT_PROJECT (nullopt or empty when unset). Used as is when it is a
// valid project id, else sanitized. `cwd`: an absolute directory path. `is_git_root(dir)`: whether
// `dir` contains .git.
std::string default_project_id(const std::optional<std::string>& env_project, const std::string& cwd,
                               const std::function<bool(const std::string& dir)>& is_git_root);

// Reads OUT_OF_CONTEXT_PROJECT, the working directory and the file system.
std::string default_project_from_environment();

}  // namespace tools
