// The default project from the client's roots (issue 8): the first root that is a file:// URI,
// taken to its git top level (walking up for .git), named like project_id.h names a directory,
// and claimed in the store so that two different root paths never share a project silently.
// OUT_OF_CONTEXT_PROJECT / --project and an explicit project_id argument still win: serve.cpp only
// applies roots when neither pinned the default.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "storage/status.h"
#include "storage/store.h"
#include "tools/default_project.h"

namespace tools {

// The local path of a file:// URI ("file:///a/b%20c" -> "/a/b c", "file://localhost/a" -> "/a"),
// or nullopt for other schemes, other hosts or malformed escapes.
std::optional<std::string> path_of_file_uri(const std::string& uri);

// The nearest directory at or above `path` for which is_git_root() is true, else `path` itself.
std::string git_top_level(const std::string& path,
                          const std::function<bool(const std::string& dir)>& is_git_root);

// The project of the directory `path`: realpath -> git top level -> sanitize_project_id(basename)
// -> Store::claim_project, which binds the id to that root path (a second root with a taken name
// gets a distinct id). Waits for the store to load; a write the first time a root is seen.
storage::Result<std::string> project_for_directory(
    storage::Store& store, const std::string& path, const std::function<bool(const std::string& dir)>& is_git_root);

// Applies the client's roots to `project`: the first file:// root -> project_for_directory. No
// usable root, or a failed claim (logged): `project` is left as it was. Returns the project now in
// effect.
std::string apply_roots(storage::Store& store, DefaultProject& project,
                        const std::vector<std::string>& uris,
                        const std::function<bool(const std::string& dir)>& is_git_root);

// is_git_root over the real file system (a .git file or directory in `dir`).
bool has_git_entry(const std::string& dir);

}  // namespace tools
