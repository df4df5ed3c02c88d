// ooc_make_big_store: writes a valid multi-GB snapshot (format 1.1, checksums included) quickly,
// to measure loading a big store (issue 10: a 3.5 GB snapshot must load in bounded memory).
//   ooc_make_big_store PATH --bytes N [--segment-bytes M]
// PATH is the snapshot file (storage.json); its journal must not exist. Segments are project "big",
// ids seg-000000001..., text of M bytes (default 1 MiB) drawn from a small vocabulary. Check the
// result with `ooc --storage PATH verify`; see bench/README.md for the measurement.
#include <xxhash.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "storage/segment.h"
#include "storage/segment_json.h"

namespace {

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return std::string(buf, 16);
}

// `bytes` of words from a small vocabulary (made once: the generator runs at disk speed).
std::string base_text(uint64_t bytes) {
  static const char* const kWords[] = {"journal", "snapshot", "segment", "compaction", "recovery", "checksum",
                                       "stream",  "parser",   "memory",  "context",    "project",  "session"};
  std::string text;
  text.reserve(bytes + 16);
  uint64_t x = 88172645463325252ull;
  while (text.size() < bytes) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    text += kWords[x % 12];
    text += x % 23 == 0 ? '\n' : ' ';
  }
  text.resize(bytes);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  uint64_t total = 0;
  uint64_t segment_bytes = 1u << 20;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--bytes" && i + 1 < argc) {
      total = std::stoull(argv[++i]);
    } else if (arg == "--segment-bytes" && i + 1 < argc) {
      segment_bytes = std::stoull(argv[++i]);
    } else if (path.empty() && arg.rfind("--", 0) != 0) {
      path = arg;
    } else {
      path.clear();
      break;
    }
  }
  if (path.empty() || total == 0 || segment_bytes == 0) {
    std::cerr << "usage: ooc_make_big_store PATH --bytes N [--segment-bytes M]\n";
    return 2;
  }
  std::FILE* out = std::fopen(path.c_str(), "wbx");  // never overwrites
  if (out == nullptr) {
    std::cerr << "ooc_make_big_store: " << path << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  XXH64_state_t* file_hash = XXH64_createState();
  XXH64_reset(file_hash, 0);
  uint64_t written = 0;
  const auto put = [&](const std::string& bytes) {
    XXH64_update(file_hash, bytes.data(), bytes.size());
    written += bytes.size();
    return std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
  };
  bool ok = put("{\"version\":\"1.1\",\"journal_seq\":0,\"projects\":{\n\"big\":{\"segments\":[");
  const std::string base = base_text(segment_bytes);
  std::string line;
  uint64_t n = 0;
  while (ok && (n == 0 || written < total)) {
    ++n;
    storage::Segment s;
    char id[32];
    std::snprintf(id, sizeof id, "seg-%09llu", static_cast<unsigned long long>(n));
    s.segment_id = id;
    s.text = std::string(id) + ": " + base;
    s.project_id = "big";
    s.created_at = "2026-01-01T00:00:00.000Z";
    s.last_touched_at = s.created_at;
    s.tokens = static_cast<int64_t>(segment_bytes / 4);
    s.tier = storage::Tier::kStashed;
    line = n == 1 ? "\n" : ",\n";
    const size_t start = line.size();
    storage::append_segment_json(s, line);
    line.pop_back();
    const uint64_t sum = XXH64(line.data() + start, line.size() - start, 0);
    line += ",\"xxh64\":\"" + hex64(sum) + "\"}";
    ok = put(line);
  }
  ok = ok && put("],\n\"indexes\":{\"by_task\":{},\"by_file\":{},\"by_tag\":{}}}},\n");
  const std::string trailer = "\"xxh64\":\"" + hex64(XXH64_digest(file_hash)) + "\"}\n";
  ok = ok && std::fwrite(trailer.data(), 1, trailer.size(), out) == trailer.size();
  XXH64_freeState(file_hash);
  if (std::fclose(out) != 0 || !ok) {
    std::cerr << "ooc_make_big_store: write " << path << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  std::cout << "wrote " << path << ": " << n << " segments, " << written + trailer.size() << " bytes\n";
  return 0;
}
