#include "mcp/protocol_versions.h"

#include <algorithm>

namespace mcp::protocol {

const std::vector<std::string>& legacy_versions() {
  static const std::vector<std::string> versions = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                    "2024-11-05"};
  return versions;
}

const std::vector<std::string>& modern_versions() {
  static const std::vector<std::string> versions = {"2026-07-28"};
  return versions;
}

std::vector<std::string> all_versions() {
  std::vector<std::string> all = modern_versions();
  all.insert(all.end(), legacy_versions().begin(), legacy_versions().end());
  return all;
}

bool is_legacy(std::string_view version) {
  const auto& v = legacy_versions();
  return std::find(v.begin(), v.end(), version) != v.end();
}

bool is_modern(std::string_view version) {
  const auto& v = modern_versions();
  return std::find(v.begin(), v.end(), version) != v.end();
}

std::string negotiate_legacy(const Json& requested) {
  if (requested.is_string() && is_legacy(requested.get_ref<const std::string&>())) {
    return requested.get<std::string>();
  }
  return std::string(kLatestLegacy);
}

}  // namespace mcp::protocol
