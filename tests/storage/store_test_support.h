// Helpers for storage tests: a Store on a temp dir with a manual clock, and draft builders.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace testing {

inline storage::SegmentDraft draft(std::string id, std::string text) {
  storage::SegmentDraft d;
  d.segment_id = std::move(id);
  d.text = std::move(text);
  return d;
}

inline std::unique_ptr<storage::Store> open_store(const std::string& path, const storage::Clock* clock,
                                                  storage::FileSystem* fs = nullptr,
                                                  storage::SyncMode sync = storage::SyncMode::kAlways) {
  storage::StoreOptions options;
  options.path = path;
  options.clock = clock;
  options.fs = fs;
  options.sync = sync;
  return storage::Store::open(options);
}

// Ids of every stashed segment of `project`, sorted.
inline std::vector<std::string> stashed_ids(storage::Store& store, const std::string& project) {
  auto all = store.export_stashed(project);
  REQUIRE(all.ok());
  std::vector<std::string> ids;
  for (const auto& s : *all) ids.push_back(s.segment_id);
  return ids;
}

// Files in `dir` whose name contains `part` (moved-aside copies, tmp files, ...).
inline std::vector<std::string> files_containing(const std::string& dir, const std::string& part) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find(part) != std::string::npos) out.push_back(name);
  }
  return out;
}

}  // namespace testing
