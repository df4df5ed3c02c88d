#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>
#include <utility>

#include "bench/figures.h"

namespace bench {
namespace {

void check(const storage::Status& status, const std::string& what) {
  if (!status.ok()) throw std::runtime_error(what + ": " + status.to_string());
}

}  // namespace

void put_percentiles(nlohmann::json& out, const std::string& key, const std::vector<double>& samples,
                     const std::string& unit) {
  const Percentiles p = percentiles(samples);
  out[key + "_p50_" + unit] = p.p50;
  out[key + "_p99_" + unit] = p.p99;
  out[key + "_max_" + unit] = p.max;
}

std::unique_ptr<storage::Store> build_store(const Corpus& corpus, uint64_t n, size_t batch, const std::string& path,
                                            nlohmann::json& out) {
  storage::StoreOptions options;
  options.path = path;
  options.sync = storage::SyncMode::kNever;
  auto store = storage::Store::open(options);
  check(store->wait_until_loaded(), "open " + path);
  double generate_s = 0, import_s = 0;
  uint64_t text_bytes = 0, tokens = 0;
  for (uint64_t start = 0; start < n; start += batch) {
    const auto t0 = Clock::now();
    std::vector<storage::Segment> segments;
    for (uint64_t i = start; i < std::min<uint64_t>(n, start + batch); ++i) {
      segments.push_back(corpus.segment(i));
      text_bytes += segments.back().text.size();
      tokens += static_cast<uint64_t>(segments.back().tokens);
    }
    const auto t1 = Clock::now();
    auto imported = store->import_stashed(std::move(segments));
    check(imported.status(), "import_stashed");
    generate_s += std::chrono::duration<double>(t1 - t0).count();
    import_s += std::chrono::duration<double>(Clock::now() - t1).count();
  }
  const auto t2 = Clock::now();
  check(store->compact(), "compact");
  out["generate_s"] = generate_s;
  out["import_s"] = import_s;
  out["compact_s"] = millis_since(t2) / 1000.0;
  out["text_bytes"] = text_bytes;
  out["tokens"] = tokens;
  auto stats = store->stats();
  check(stats.status(), "stats");
  out["snapshot_bytes"] = stats->snapshot_bytes;
  out["journal_bytes_after_compact"] = stats->journal_bytes;
  out["index_postings"] = stats->index_postings;
  out["index_bytes"] = stats->index_bytes;
  return store;
}

void time_stashes(storage::Store& store, const Corpus& corpus, size_t ops, const std::string& prefix,
                  const std::string& key, nlohmann::json& out) {
  std::vector<double> samples;
  samples.reserve(ops);
  for (size_t k = 0; k < ops; ++k) {
    std::vector<storage::SegmentDraft> drafts;
    drafts.push_back(corpus.small_draft(k, prefix + "-" + std::to_string(k)));
    const auto t0 = Clock::now();
    auto outcome = store.stash(corpus.options().project, {}, std::move(drafts));
    samples.push_back(micros_since(t0));
    check(outcome.status(), "stash");
  }
  put_percentiles(out, key, samples, "us");
}

void time_stores(storage::Store& store, const Corpus& corpus, uint64_t first, size_t ops, nlohmann::json& out) {
  constexpr size_t kBytes = 2048;
  std::vector<double> samples;
  samples.reserve(ops);
  size_t named = 0;
  uint64_t next = first;
  for (size_t k = 0; k < ops; ++k) {
    std::string text;
    while (text.size() < kBytes) text += corpus.segment(next++).text + "\n";
    const size_t cut = text.rfind(' ', kBytes);
    text.resize(cut == std::string::npos ? kBytes : cut);
    storage::SegmentDraft draft;
    draft.segment_id = "store-2k-" + std::to_string(k);
    draft.text = std::move(text);
    std::vector<storage::SegmentDraft> drafts;
    drafts.push_back(std::move(draft));
    const auto t0 = Clock::now();
    auto outcome = store.store_segments(corpus.options().project, std::move(drafts));
    samples.push_back(micros_since(t0));
    check(outcome.status(), "store");
    named += outcome->stored.front().duplicates.size();
  }
  put_percentiles(out, "store_2kb", samples, "us");
  out["store_2kb_duplicates_named"] = named;
}

// Writes through a compaction (issue 9: no write waits for one): 64 KB stashes on the store at
// `path` until the journal outgrows half the snapshot (one write forks the compaction), then until
// a write swaps its snapshot in (the snapshot's inode changes). Every write's latency counts.
nlohmann::json time_writes_through_compaction(const Corpus& corpus, const std::string& path) {
  nlohmann::json out = nlohmann::json::object();
  storage::StoreOptions store_options;
  store_options.path = path;
  store_options.sync = storage::SyncMode::kAlways;
  auto store = storage::Store::open(store_options);
  check(store->wait_until_loaded(), "open " + path);
  auto inode = [&path] {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_ino) : uint64_t{0};
  };
  const uint64_t before = inode();
  std::string filler;
  for (size_t w = 0; filler.size() < 64 * 1024; ++w) filler += corpus.small_draft(w, "f").text + "\n";
  std::vector<double> through;
  size_t slowest = 0;
  for (size_t k = 0; k < 200000; ++k) {
    storage::SegmentDraft big;
    big.segment_id = "through-" + std::to_string(k);
    big.text = std::to_string(k) + " " + filler;
    const auto t1 = Clock::now();
    auto outcome = store->stash(corpus.options().project, {}, {std::move(big)});
    through.push_back(millis_since(t1));
    check(outcome.status(), "stash through a compaction");
    if (through.back() > through[slowest]) slowest = k;
    if (inode() != before) break;  // swapped in
  }
  put_percentiles(out, "write_through_compaction", through, "ms");
  out["write_through_compaction_writes"] = through.size();
  out["write_through_compaction_slowest_from_end"] = through.size() - 1 - slowest;  // 0: the swap
  return out;
}

nlohmann::json run_probe(const Corpus& corpus, const ProbeOptions& options) {
  nlohmann::json out = nlohmann::json::object();
  const std::vector<std::string> queries = corpus.queries(options.queries, options.query_seed);
  storage::StoreOptions store_options;
  store_options.path = options.path;
  store_options.sync = storage::SyncMode::kAlways;
  const uint64_t rss_before = resident_bytes();
  const double cpu0 = cpu_seconds();
  const auto t0 = Clock::now();
  auto store = storage::Store::open(store_options);
  check(store->wait_until_loaded(), "open " + options.path);
  out["load_ms"] = millis_since(t0);
  out["load_cpu_ms"] = (cpu_seconds() - cpu0) * 1000.0;
  const uint64_t rss_after = resident_bytes();
  storage::SearchRequest request;
  request.project_id = corpus.options().project;
  request.query = queries.empty() ? std::string("store") : queries.front();
  check(store->search_stashed(request).status(), "first search");
  out["first_search_ms"] = millis_since(t0);
  out["rss_before_open_bytes"] = rss_before;
  out["rss_after_load_bytes"] = rss_after;

  std::vector<double> latencies;
  uint64_t matches = 0;
  for (const std::string& query : queries) {
    request.query = query;
    const auto t1 = Clock::now();
    auto page = store->search_stashed(request);
    latencies.push_back(millis_since(t1));
    check(page.status(), "search '" + query + "'");
    matches += page->total_matches;
  }
  put_percentiles(out, "search", latencies, "ms");
  out["search_mean_matches"] = queries.empty() ? 0.0 : static_cast<double>(matches) / static_cast<double>(queries.size());
  // Mixed queries (issue 9): the same words, every third with its first two words as a quoted
  // phrase, every fifth filtered by a task and every fifth (another) by type; at limit 10 and 100.
  for (const size_t limit : {size_t{10}, size_t{100}}) {
    std::vector<double> mixed;
    for (size_t k = 0; k < queries.size(); ++k) {
      storage::SearchRequest mixed_request;
      mixed_request.project_id = corpus.options().project;
      mixed_request.limit = limit;
      mixed_request.query = queries[k];
      if (const size_t space = queries[k].find(' '); k % 3 == 1 && space != std::string::npos) {
        const size_t end = queries[k].find(' ', space + 1);
        mixed_request.query = "\"" + queries[k].substr(0, end) + "\"" +
                              (end == std::string::npos ? std::string() : queries[k].substr(end));
      }
      if (k % 5 == 2) mixed_request.filters.task_id = corpus.segment(k).task_id;
      if (k % 5 == 4) mixed_request.filters.types = {storage::SegmentType::kCode};
      const auto t1 = Clock::now();
      auto page = store->search_stashed(mixed_request);
      mixed.push_back(millis_since(t1));
      check(page.status(), "search '" + mixed_request.query + "'");
    }
    put_percentiles(out, "search_mixed_limit" + std::to_string(limit), mixed, "ms");
  }
  out["peak_rss_bytes"] = peak_resident_bytes();
  out["journal_bytes_at_load"] = file_bytes(options.path + ".journal");
  time_stashes(*store, corpus, options.always_ops, "probe-always", "stash_always", out);
  // The same load without the index file: every segment analysed again (the file is rewritten).
  store.reset();
  std::error_code ec;
  std::filesystem::remove(options.path + ".index", ec);
  const auto t2 = Clock::now();
  auto rebuilt = storage::Store::open(store_options);
  check(rebuilt->wait_until_loaded(), "open " + options.path + " without its index file");
  out["rebuild_load_ms"] = millis_since(t2);
  auto stats = rebuilt->stats();
  check(stats.status(), "stats");
  out["rebuild_source"] = stats->ranked_index_source;
  return out;
}

}  // namespace bench
