#include "storage/project_match.h"

namespace storage {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool has_segments(const ProjectState& p) { return !p.stashed.empty() || !p.working.empty(); }

}  // namespace

bool same_project_id(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string match_project(const Catalog& catalog, const std::string& requested) {
  if (requested == "*") return requested;
  const auto& projects = catalog.projects();
  if (auto exact = projects.find(requested); exact != projects.end() && has_segments(exact->second)) return requested;
  for (const auto& [id, state] : projects) {
    if (has_segments(state) && same_project_id(id, requested)) return id;
  }
  return requested;
}

void match_import_projects(const Catalog& catalog, std::vector<JournalOp>& ops) {
  for (JournalOp& op : ops) {
    if (op.kind == JournalOp::Kind::kPut) op.segment.project_id = match_project(catalog, op.segment.project_id);
  }
}

Status check_project(const std::string& project, bool allow_all) {
  if (allow_all && project == "*") return Status::ok_status();
  if (project == "*") return Status::invalid_argument("project_id '*' is only allowed for reads; name one project");
  return validate_project_id(project);
}

Status check_project_and_ids(const std::string& project, const std::vector<std::string>& ids) {
  if (Status st = check_project(project, false); !st.ok()) return st;
  for (const auto& id : ids) {
    if (Status st = validate_segment_id(id); !st.ok()) return st;
  }
  return Status::ok_status();
}

}  // namespace storage
