// The measurements of ooc_bench, each filling a JSON object with named figures (see README.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/corpus.h"
#include "storage/store.h"

namespace bench {

// out[<key>_p50_<unit>], _p99_ and _max_ of `samples` (engine_figures.cpp).
void put_percentiles(nlohmann::json& out, const std::string& key, const std::vector<double>& samples,
                     const std::string& unit);

// Engine side (engine_figures.cpp).
// Generates segments [0, n) and imports them with Store::import_stashed in batches, then compacts.
// Returns the open store (sync=never). Fills build_s, snapshot_bytes, journal_bytes, text_bytes.
std::unique_ptr<storage::Store> build_store(const Corpus& corpus, uint64_t n, size_t batch, const std::string& path,
                                            nlohmann::json& out);
// `ops` stashes of one small inline segment each, ids "<prefix>-<k>"; fills <key>_p50_us etc.
void time_stashes(storage::Store& store, const Corpus& corpus, size_t ops, const std::string& prefix,
                  const std::string& key, nlohmann::json& out);
// `ops` store_segments of one ~2 KB segment each (text of corpus segments from `first`, so new to
// the store), ids "store-2k-<k>", into the working set (memory only): mostly the cost of naming
// duplicates (issue 11 #5), which looks in the stash and the growing working set. Fills
// store_2kb_p50_us etc. and store_2kb_duplicates_named.
void time_stores(storage::Store& store, const Corpus& corpus, uint64_t first, size_t ops, nlohmann::json& out);

struct ProbeOptions {
  std::string path;
  size_t queries = 200;
  size_t always_ops = 200;
  uint64_t query_seed = 7;
};
// Runs inside a fresh process: open + load (time, RSS), first search, search latencies, then
// sync=always stashes. Returns the figures.
// 64 KB stashes (sync=always) until a background compaction has started and swapped in.
nlohmann::json time_writes_through_compaction(const Corpus& corpus, const std::string& path);
nlohmann::json run_probe(const Corpus& corpus, const ProbeOptions& options);

// Team store side (pg_figures.cpp, when built with the PostgreSQL engine: OOC_BENCH_WITH_POSTGRES).
struct PgBenchOptions {
  std::string url;   // OUT_OF_CONTEXT_STORAGE_URL's syntax; a migrated database
  std::string team;  // empty: the role's only team
};
// Imports segments [0, n) into the team store in batches, then times (in this process, on a new
// engine) the first search (the whole project read and indexed), `probe.queries` searches, stash
// commits, and searches that follow another engine's write (catching up). Fills pg_* figures.
nlohmann::json run_pg_size(const Corpus& corpus, uint64_t n, size_t batch, const ProbeOptions& probe, size_t stash_ops,
                           const PgBenchOptions& options);

// Stdio side (stdio_figures.cpp): the real `ooc` binary.
struct StdioOptions {
  std::string ooc;          // path of the ooc executable
  std::string storage_dir;  // OUT_OF_CONTEXT_STORAGE_PATH (a directory)
  std::string home;         // HOME for the child
  size_t startups = 5;      // spawns timed for the initialize reply
  size_t round_trips = 1000;
  bool first_search = false;  // time the first tools/call (search) after a start
  std::string query;
};
nlohmann::json run_stdio(const Corpus& corpus, const StdioOptions& options);

}  // namespace bench
