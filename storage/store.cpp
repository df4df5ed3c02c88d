// Store: the API above the engines (store.h). Only what is the same on every engine lives here.
#include "storage/store.h"

#include <utility>

#include "storage/file_engine.h"

namespace storage {

std::string resolve_storage_path(const std::string& configured, const std::string& home) {
  if (configured.empty()) return (home.empty() ? std::string(".") : home) + "/.out_of_context/storage.json";
  if (configured.back() == '/') return configured + "storage.json";
  auto info = posix_file_system().stat(configured);
  if (info.ok() && info->exists && info->is_directory) return configured + "/storage.json";
  return configured;
}

std::unique_ptr<Store> Store::open(StoreOptions options) {
  return std::make_unique<Store>(FileEngine::open(std::move(options)));
}

Store::Store(std::unique_ptr<Engine> engine) : engine_(std::move(engine)) {}

Store::~Store() = default;

Status Store::store_segment(const SegmentDraft& draft, const std::string& project) {
  auto r = store_segments(project, {draft});
  return r.ok() ? Status::ok_status() : r.status();
}

Status Store::stash_segment(const SegmentDraft& draft, const std::string& project) {
  auto r = stash(project, {}, {draft}, false);
  return r.ok() ? Status::ok_status() : r.status();
}

Status Store::delete_segment(const std::string& id, const std::string& project) {
  auto r = delete_segments(project, {id}, std::nullopt, /*force=*/true);
  if (!r.ok()) return r.status();
  if (!r->not_found.empty()) return Status::not_found("no segment '" + id + "' in project '" + project + "'");
  return Status::ok_status();
}

VerifyReport Store::verify(const std::string& path, FileSystem& fs, const VerifyProgress& progress) {
  auto real = fs.real_path(path);
  return verify_files(real.ok() ? *real : path, fs, progress);
}

}  // namespace storage
