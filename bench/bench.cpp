// ooc_bench driver: options, the run over store sizes, the table and the JSON (see README.md).
#include "bench/bench.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <thread>

#include <CLI/CLI.hpp>

#include "bench/child_process.h"
#include "bench/figures.h"

namespace bench {
namespace {

using nlohmann::json;

struct Options {
  std::vector<uint64_t> sizes = {10000, 100000};
  CorpusOptions corpus;
  size_t batch = 5000;
  size_t stash_ops = 1000;
  ProbeOptions probe;
  size_t round_trips = 1000;
  size_t store_round_trips = 200;
  size_t startups = 5;
  std::string ooc;
  bool json = false;
  bool skip_stdio = false;
  std::string output;
  std::string keep;  // a directory to move each size's store into instead of removing it
  PgBenchOptions pg;  // url empty: no team store figures
};

struct Row {
  const char* label;
  const char* target;
  const char* key;
  double scale;
  int decimals;
};

// label, DESIGN §8 target, JSON key, scale, decimals.
constexpr Row kRows[] = {
    {"stashed segments", "10k/100k/1M", "segments", 1, 0},
    {"text MB (generated)", "", "text_bytes", 1e-6, 1},
    {"snapshot MB", "", "snapshot_bytes", 1e-6, 1},
    {"journal KB at load", "", "journal_bytes_at_load", 1e-3, 1},
    {"generate s", "", "generate_s", 1, 2},
    {"import_stashed s", "", "import_s", 1, 2},
    {"compact s (ooc compact)", "", "compact_s", 1, 2},
    {"write during compaction max ms", "< 50", "write_through_compaction_max_ms", 1, 1},
    {"writes until it swapped in", "", "write_through_compaction_writes", 1, 0},
    {"load, index file ms", "", "load_ms", 1, 1},
    {"load, index file CPU ms", "", "load_cpu_ms", 1, 1},
    {"load MB/s of snapshot", "", "load_mb_per_s", 1, 1},
    {"load, no index file ms", "", "rebuild_load_ms", 1, 1},
    {"rebuild MB/s of snapshot", ">= 250", "rebuild_mb_per_s", 1, 1},
    {"first search after open ms", "50/200/1000", "first_search_ms", 1, 1},
    {"search top-10 p50 ms", "< 5 at 1M", "search_p50_ms", 1, 2},
    {"search top-10 p99 ms", "< 50 at 1M", "search_p99_ms", 1, 2},
    {"search mixed top-10 p50 ms", "< 5 at 1M", "search_mixed_limit10_p50_ms", 1, 2},
    {"search mixed top-10 p99 ms", "< 50 at 1M", "search_mixed_limit10_p99_ms", 1, 2},
    {"search mixed top-100 p50 ms", "<= 2x top-10", "search_mixed_limit100_p50_ms", 1, 2},
    {"search mean total_matches", "", "search_mean_matches", 1, 0},
    {"stash engine never p50 us", "< 50", "stash_never_p50_us", 1, 1},
    {"stash engine never p99 us", "", "stash_never_p99_us", 1, 1},
    {"store 2 KB engine p50 us", "< 1000", "store_2kb_p50_us", 1, 1},
    {"store 2 KB engine p99 us", "", "store_2kb_p99_us", 1, 1},
    {"stash engine always p50 us", "", "stash_always_p50_us", 1, 1},
    {"stash engine always p99 us", "", "stash_always_p99_us", 1, 1},
    {"ooc spawn->initialize p50 ms", "< 20", "startup_initialize_p50_ms", 1, 2},
    {"ooc spawn->first search ms", "50/200/1000", "first_search_after_start_ms", 1, 1},
    {"ooc exit, EOF while loading ms", "< 100", "exit_while_loading_max_ms", 1, 1},
    {"ooc exit, EOF after calls ms", "< 100", "exit_after_eof_ms", 1, 1},
    {"tools/call stash rt p50 us", "< 200", "round_trip_stash_p50_us", 1, 1},
    {"tools/call stash rt p99 us", "", "round_trip_stash_p99_us", 1, 1},
    {"ooc stats (CLI) ms", "< 1000 at 1M", "cli_stats_ms", 1, 1},
    {"ooc search (CLI) ms", "< 1000 at 1M", "cli_search_ms", 1, 1},
    {"RSS after load / snapshot", "< 1.5 at 1M", "rss_ratio", 1, 2},
    {"peak RSS / snapshot", "< 2 at 1M", "peak_rss_ratio", 1, 2},
    {"team store: import_stashed s", "", "pg_import_s", 1, 2},
    {"team store: first search ms", "", "pg_first_search_ms", 1, 1},
    {"team store: search top-10 p50 ms", "", "pg_search_p50_ms", 1, 2},
    {"team store: search top-10 p99 ms", "< 50 at 100k", "pg_search_p99_ms", 1, 2},
    {"team store: search after a write p50", "", "pg_search_after_write_p50_ms", 1, 2},
    {"team store: search after a write p99", "", "pg_search_after_write_p99_ms", 1, 2},
    {"team store: stash commit p50 us", "", "pg_stash_p50_us", 1, 1},
    {"team store: stash commit p99 us", "", "pg_stash_p99_us", 1, 1},
};

void print_table(const json& result, std::ostream& os) {
  std::vector<std::pair<std::string, const json*>> columns;
  if (result.contains("stdio_empty")) columns.emplace_back("empty", &result["stdio_empty"]);
  for (const auto& [size, figures] : result["sizes"].items()) columns.emplace_back(size, &figures);
  char cell[64];
  std::snprintf(cell, sizeof cell, "%-34s %-15s", "figure", "target");
  os << cell;
  for (const auto& column : columns) {
    std::snprintf(cell, sizeof cell, " %12s", column.first.c_str());
    os << cell;
  }
  os << "\n" << std::string(50 + 13 * columns.size(), '-') << "\n";
  for (const Row& row : kRows) {
    std::snprintf(cell, sizeof cell, "%-34s %-15s", row.label, row.target);
    os << cell;
    for (const auto& column : columns) {
      const json& figures = *column.second;
      if (figures.contains(row.key)) {
        std::snprintf(cell, sizeof cell, " %12.*f", row.decimals, figures[row.key].get<double>() * row.scale);
      } else {
        std::snprintf(cell, sizeof cell, " %12s", "-");
      }
      os << cell;
    }
    os << "\n";
  }
}

void log(const std::string& message) { std::cerr << "ooc_bench: " << message << std::endl; }

json probe_in_child(const Options& options, const std::vector<std::string>& self, const std::string& path,
                    const std::string& home) {
  std::vector<std::string> argv = self;
  for (const std::string& arg :
       {std::string("--probe"), path, std::string("--seed"), std::to_string(options.corpus.seed),
        std::string("--vocabulary"), std::to_string(options.corpus.vocabulary), std::string("--zipf"),
        std::to_string(options.corpus.zipf_s), std::string("--queries"), std::to_string(options.probe.queries),
        std::string("--always-ops"), std::to_string(options.probe.always_ops)}) {
    argv.push_back(arg);
  }
  ChildProcess child(argv, {{"HOME", home}}, home, home + "/probe-stderr.log");
  child.close_stdin();
  const std::string text = child.read_all();
  if (int status = child.wait(); status != 0) throw std::runtime_error("probe exited with " + std::to_string(status));
  return json::parse(text);
}

json run_size(const Options& options, const Corpus& corpus, uint64_t n, const std::vector<std::string>& self,
              const TempDir& root, const std::string& home) {
  const std::string dir = root.path() + "/n" + std::to_string(n);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/storage.json";
  json figures = json::object();
  figures["segments"] = n;
  log("size " + std::to_string(n) + ": generating and importing");
  {
    auto store = build_store(corpus, n, options.batch, path, figures);
    log("size " + std::to_string(n) + ": engine stash timings (sync=never)");
    time_stashes(*store, corpus, options.stash_ops, "stash-never", "stash_never", figures);
    log("size " + std::to_string(n) + ": engine store timings (2 KB segments, naming duplicates)");
    time_stores(*store, corpus, n, options.stash_ops, figures);
  }
  log("size " + std::to_string(n) + ": load, search, sync=always stash in a fresh process");
  figures.update(probe_in_child(options, self, path, home));
  const double snapshot = figures["snapshot_bytes"].get<double>();
  figures["load_mb_per_s"] = snapshot / 1e6 / (figures["load_ms"].get<double>() / 1000.0);
  figures["load_cpu_mb_per_s"] = snapshot / 1e6 / (figures["load_cpu_ms"].get<double>() / 1000.0);
  figures["rebuild_mb_per_s"] = snapshot / 1e6 / (figures["rebuild_load_ms"].get<double>() / 1000.0);
  figures["peak_rss_ratio"] = figures["peak_rss_bytes"].get<double>() / snapshot;
  figures["rss_ratio"] = figures["rss_after_load_bytes"].get<double>() / snapshot;
  figures["rss_growth_ratio"] =
      (figures["rss_after_load_bytes"].get<double>() - figures["rss_before_open_bytes"].get<double>()) / snapshot;
  if (!options.skip_stdio) {
    log("size " + std::to_string(n) + ": ooc over stdio");
    StdioOptions stdio{options.ooc, dir, home, options.startups, options.store_round_trips, true,
                       corpus.queries(1, options.probe.query_seed).front()};
    figures.update(run_stdio(corpus, stdio));
  }
  log("size " + std::to_string(n) + ": writes through a background compaction");
  figures.update(time_writes_through_compaction(corpus, path));
  if (!options.pg.url.empty()) {
#ifdef OOC_BENCH_WITH_POSTGRES
    log("size " + std::to_string(n) + ": the team store (PostgreSQL)");
    figures.update(run_pg_size(corpus, n, options.batch, options.probe, options.probe.always_ops, options.pg));
#else
    throw std::runtime_error("--pg-url: this build has no PostgreSQL engine");
#endif
  }
  if (!options.keep.empty()) {
    const std::string kept = options.keep + "/n" + std::to_string(n);
    std::filesystem::create_directories(options.keep);
    std::filesystem::remove_all(kept);
    std::filesystem::copy(dir, kept, std::filesystem::copy_options::recursive);
    log("size " + std::to_string(n) + ": store kept in " + kept);
  }
  std::filesystem::remove_all(dir);
  return figures;
}

}  // namespace

int run_bench(const std::vector<std::string>& args, const std::vector<std::string>& self,
              const std::string& default_ooc) {
  Options options;
  options.ooc = default_ooc;
  std::string probe_path;
  CLI::App app{"ooc_bench: reproducible benchmarks of the ooc storage engine and server (DESIGN §8)"};
  app.add_option("--sizes", options.sizes, "Store sizes in segments")->delimiter(',');
  app.add_option("--seed", options.corpus.seed, "Corpus seed");
  app.add_option("--vocabulary", options.corpus.vocabulary, "Vocabulary size")->check(CLI::Range(200, 10000000));
  app.add_option("--zipf", options.corpus.zipf_s, "Zipf exponent");
  app.add_option("--batch", options.batch, "Segments per import_stashed batch")->check(CLI::PositiveNumber);
  app.add_option("--stash-ops", options.stash_ops, "Engine stashes timed with sync=never");
  app.add_option("--always-ops", options.probe.always_ops, "Engine stashes timed with sync=always");
  app.add_option("--queries", options.probe.queries, "Search queries timed");
  app.add_option("--round-trips", options.round_trips, "tools/call round trips on the empty store");
  app.add_option("--store-round-trips", options.store_round_trips, "tools/call round trips on each sized store");
  app.add_option("--startups", options.startups, "Spawns timed to the initialize reply")->check(CLI::PositiveNumber);
  app.add_option("--ooc", options.ooc, "The ooc binary to time over stdio");
  app.add_flag("--skip-stdio", options.skip_stdio, "Skip the figures of the ooc binary");
  app.add_flag("--json", options.json, "Print the figures as JSON on stdout (the table goes to stderr)");
  app.add_option("--output", options.output, "Also write the JSON figures to this file");
  app.add_option("--keep", options.keep, "Keep each size's store in DIR/n<size> (for profiling)");
  app.add_option("--pg-url", options.pg.url,
                 "Also measure the team store on this migrated PostgreSQL database (a throwaway one: each "
                 "size writes project bench-n<size>-<pid> there)");
  app.add_option("--pg-team", options.pg.team, "The team for --pg-url (default: the role's only team)");
  app.add_option("--probe", probe_path, "Internal: measure loading of this store in this process")->group("");
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    const Corpus corpus(options.corpus);
    if (!probe_path.empty()) {
      options.probe.path = probe_path;
      std::cout << run_probe(corpus, options.probe).dump() << std::endl;
      return 0;
    }
    const TempDir root("ooc-bench");
    const std::string home = root.path() + "/home";
    std::filesystem::create_directories(home);
    json result = {{"machine", {{"hardware_threads", std::thread::hardware_concurrency()}}},
                   {"corpus", {{"seed", options.corpus.seed}, {"vocabulary", options.corpus.vocabulary},
                               {"zipf_s", options.corpus.zipf_s}, {"words", {options.corpus.min_words, options.corpus.max_words}},
                               {"tasks", options.corpus.tasks}, {"files", options.corpus.files}, {"tags", options.corpus.tags}}},
                   {"sizes", json::object()}};
    const auto t0 = Clock::now();
    if (!options.skip_stdio) {
      if (!std::filesystem::exists(options.ooc)) throw std::runtime_error("no ooc binary at '" + options.ooc + "' (use --ooc)");
      log("ooc over stdio, empty store");
      std::filesystem::create_directories(root.path() + "/empty");
      StdioOptions stdio{options.ooc, root.path() + "/empty", home, options.startups, options.round_trips, false, ""};
      result["stdio_empty"] = run_stdio(corpus, stdio);
    }
    for (uint64_t n : options.sizes) result["sizes"][std::to_string(n)] = run_size(options, corpus, n, self, root, home);
    result["total_s"] = millis_since(t0) / 1000.0;
    print_table(result, options.json ? std::cerr : std::cout);
    if (options.json) std::cout << result.dump(2) << std::endl;
    if (!options.output.empty()) std::ofstream(options.output) << result.dump(2) << "\n";
    log("done in " + std::to_string(result["total_s"].get<double>()) + " s");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "ooc_bench: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace bench
