// See index_file.h. Layout (FORMAT.md "Index file"), little-endian:
//
//   "OOCINDEX" | u32 format (1) | u32 0x01020304 (byte order) | u64 snapshot checksum |
//   u64 snapshot size | u64 journal_seq | u32 projects |
//   per project: u32 id size, id bytes, u64 blob size, blob (RankedIndex::encode) |
//   u64 XXH3-64 of every byte before it
#include "storage/index_file.h"

#include "storage/pid_files.h"

#include <xxhash.h>

#include <cerrno>
#include <cstring>

namespace storage {
namespace {

constexpr std::string_view kMagic = "OOCINDEX";
constexpr uint32_t kFormat = 1;
constexpr uint32_t kByteOrder = 0x01020304;
constexpr size_t kHeaderBytes = 8 + 4 + 4 + 8 + 8 + 8 + 4;

template <typename T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <typename T>
bool get(std::string_view bytes, size_t& pos, T& value) {
  if (bytes.size() - pos < sizeof(T)) return false;
  std::memcpy(&value, bytes.data() + pos, sizeof(T));
  pos += sizeof(T);
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

Result<IndexIdentity> identity_of_snapshot(std::string_view bytes, uint64_t journal_seq) {
  // The last line is `"xxh64":"<16 hex>"}` (then '\n').
  std::string_view tail = bytes;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.remove_suffix(1);
  if (tail.size() < 19 || tail.substr(tail.size() - 2) != "\"}") return Status::corruption("no snapshot trailer");
  const std::string_view hex = tail.substr(tail.size() - 18, 16);
  uint64_t checksum = 0;
  for (char c : hex) {
    const int v = hex_value(c);
    if (v < 0) return Status::corruption("no snapshot trailer");
    checksum = checksum << 4 | static_cast<uint64_t>(v);
  }
  return IndexIdentity{checksum, bytes.size(), journal_seq};
}

IndexFile::Prepared IndexFile::prepare() const {
  Prepared out;
  auto mapped = fs_.map_file(path_);
  if (!mapped.ok()) {
    out.status = mapped.status();
    return out;
  }
  const std::string_view bytes = (*mapped)->bytes();
  auto damaged = [&](const std::string& what) {
    out.projects.clear();
    out.status = Status::corruption(path_ + ": " + what);
    return std::move(out);
  };
  if (bytes.size() < kHeaderBytes + 8 || bytes.substr(0, kMagic.size()) != kMagic) {
    return damaged("not an index file, or cut short");
  }
  uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
  if (XXH3_64bits(bytes.data(), bytes.size() - 8) != stored) return damaged("checksum mismatch (torn or damaged)");
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  size_t pos = kMagic.size();
  uint32_t format = 0;
  uint32_t order = 0;
  uint32_t projects = 0;
  get(body, pos, format);
  get(body, pos, order);
  get(body, pos, out.identity.snapshot_checksum);
  get(body, pos, out.identity.snapshot_size);
  get(body, pos, out.identity.journal_seq);
  get(body, pos, projects);
  if (format != kFormat || order != kByteOrder) return damaged("format " + std::to_string(format) + " is not this ooc's");
  for (uint32_t k = 0; k < projects; ++k) {
    uint32_t id_size = 0;
    uint64_t blob_size = 0;
    if (!get(body, pos, id_size) || body.size() - pos < id_size) return damaged("cut short");
    std::string id(body.substr(pos, id_size));
    pos += id_size;
    if (!get(body, pos, blob_size) || body.size() - pos < blob_size) return damaged("cut short");
    RankedIndex ranked;
    if (Status st = ranked.decode(body.substr(pos, blob_size)); !st.ok()) {
      return damaged("project '" + id + "': " + st.message());
    }
    pos += blob_size;
    out.projects.emplace_back(std::move(id), std::move(ranked));
  }
  if (pos != body.size()) return damaged("bytes after the last project");
  return out;
}

Status IndexFile::install(Prepared prepared, const IndexIdentity& identity, Catalog& catalog) const {
  if (!prepared.status.ok()) return prepared.status;
  auto damaged = [this](const std::string& what) { return Status::corruption(path_ + ": " + what); };
  if (!(prepared.identity == identity)) return damaged("stale: it describes another snapshot");
  size_t expected = 0;
  for (const auto& [id, project] : catalog.projects()) {
    if (!project.stashed.empty()) ++expected;
  }
  if (prepared.projects.size() != expected) return damaged("its projects are not the snapshot's");
  for (auto& [id, ranked] : prepared.projects) {
    auto it = catalog.projects().find(id);
    if (it == catalog.projects().end() || it->second.stashed.empty()) {
      return damaged("project '" + id + "' is not in the snapshot");
    }
    ProjectState& project = catalog.project(id);
    const SegmentMap& stashed = project.stashed;
    Status st = ranked.bind(stashed.size(), [&stashed](std::string_view segment_id) -> const Segment* {
      auto found = stashed.find(std::string(segment_id));
      return found == stashed.end() ? nullptr : &found->second;
    });
    if (!st.ok()) return damaged("project '" + id + "': " + st.message());
    project.ranked = std::move(ranked);
  }
  return Status::ok_status();
}

Status IndexFile::save(const IndexIdentity& identity, const Catalog& catalog) {
  if (Status st = check_replaceable(); !st.ok()) return st;
  remove_dead_pid_files(fs_, path_ + ".tmp-");
  const std::string staging = own_pid_file(path_ + ".tmp-");
  if (Status st = write_to(staging, identity, catalog); !st.ok()) return st;
  if (Status st = fs_.rename_unsynced(staging, path_); !st.ok()) {
    (void)fs_.remove(staging);
    return st;
  }
  return Status::ok_status();
}

Status IndexFile::check_replaceable() const {
  // Never replace a file this store did not write. Ours start with the magic, unless a power loss
  // cut one short after its (unsynced) rename: then it is empty or starts with zero bytes.
  auto info = fs_.stat(path_);
  if (!info.ok() || !info->exists) return info.ok() ? Status::ok_status() : info.status();
  auto head = fs_.read_range(path_, 0, kMagic.size());
  if (!head.ok()) return head.status();
  if (*head != kMagic && head->find_first_not_of('\0') != std::string::npos) {
    return Status::io_error(path_ + " is not an ooc index file: left untouched");
  }
  return Status::ok_status();
}

Status IndexFile::write_to(const std::string& file, const IndexIdentity& identity, const Catalog& catalog) const {
  std::string out;
  out.append(kMagic);
  put(out, kFormat);
  put(out, kByteOrder);
  put(out, identity.snapshot_checksum);
  put(out, identity.snapshot_size);
  put(out, identity.journal_seq);
  uint32_t projects = 0;
  for (const auto& [id, project] : catalog.projects()) {
    if (!project.stashed.empty()) ++projects;
  }
  put(out, projects);
  for (const auto& [id, project] : catalog.projects()) {
    if (project.stashed.empty()) continue;
    put(out, static_cast<uint32_t>(id.size()));
    out.append(id);
    const std::string blob = project.ranked.encode();
    put(out, static_cast<uint64_t>(blob.size()));
    out.append(blob);
  }
  put(out, static_cast<uint64_t>(XXH3_64bits(out.data(), out.size())));
  if (Status st = fs_.remove(file); !st.ok()) return st;
  if (Status st = fs_.append(file, out, false); !st.ok()) {
    (void)fs_.remove(file);
    return st;
  }
  return Status::ok_status();
}

}  // namespace storage
