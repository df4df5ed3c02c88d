// Project ids match case-insensitively (ASCII letters) and are stored as first written: a call
// naming `mywebapp` after segments were written as `MyWebApp` reads and writes `MyWebApp`.
//
// A store written before this rule may hold projects that differ only by case. Both stay
// reachable by their exact id; any other spelling goes to the first of them in byte order (upper
// case sorts first). Nothing is renamed or merged on disk (FORMAT.md "Project ids").
#pragma once

#include <string>
#include <vector>

#include "storage/catalog.h"
#include "storage/journal_codec.h"

namespace storage {

// The id under which `catalog` keeps `requested`: `requested` itself when a project of exactly
// that id has segments (or when none matches), else the first project, in id order, with
// segments and the same id ignoring ASCII case. "*" is returned as is.
std::string match_project(const Catalog& catalog, const std::string& requested);

// Sets the project of every put in `ops` (an import) by match_project() against the projects the
// store already has. Spellings new to the store are kept as they are, so an export of a store that
// holds two ids differing only by case imports into an empty store unchanged.
void match_import_projects(const Catalog& catalog, std::vector<JournalOp>& ops);

// True when `a` and `b` are equal ignoring ASCII case.
bool same_project_id(const std::string& a, const std::string& b);

// The project argument of an engine call: a valid id, or "*" (every project) where `allow_all`
// (reads only). With `ids`: each a valid segment id too.
Status check_project(const std::string& project, bool allow_all);
Status check_project_and_ids(const std::string& project, const std::vector<std::string>& ids);

}  // namespace storage
