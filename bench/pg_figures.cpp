// The team store's figures (issue 14): the PostgreSQL engine on the database of --pg-url, beside
// the file engine's at the same size and corpus. Built when the build has the engine.
#include <unistd.h>

#include <stdexcept>
#include <utility>

#include "bench/figures.h"
#include "storage/pg/pg_engine.h"
#include "storage/pg/storage_url.h"

namespace bench {
namespace {

void check(const storage::Status& status, const std::string& what) {
  if (!status.ok()) throw std::runtime_error("team store: " + what + ": " + status.to_string());
}

std::unique_ptr<storage::Store> open_team_store(const PgBenchOptions& options) {
  auto url = storage::pg::parse_storage_url(options.url);
  check(url.status(), "--pg-url");
  storage::pg::PgEngineOptions engine_options;
  engine_options.url = *url;
  engine_options.team = options.team;
  auto engine = storage::pg::PgEngine::open(std::move(engine_options));
  check(engine.status(), "open");
  return std::make_unique<storage::Store>(std::move(engine).value());
}

}  // namespace

nlohmann::json run_pg_size(const Corpus& corpus, uint64_t n, size_t batch, const ProbeOptions& probe, size_t stash_ops,
                           const PgBenchOptions& options) {
  nlohmann::json out = nlohmann::json::object();
  // A project of this run and size of its own, so that sizes and runs never mix.
  const std::string project = "bench-n" + std::to_string(n) + "-" + std::to_string(::getpid());
  {
    auto store = open_team_store(options);
    const auto t0 = Clock::now();
    for (uint64_t start = 0; start < n; start += batch) {
      std::vector<storage::Segment> segments;
      for (uint64_t i = start; i < std::min<uint64_t>(n, start + batch); ++i) {
        segments.push_back(corpus.segment(i));
        segments.back().project_id = project;
      }
      check(store->import_stashed(std::move(segments)).status(), "import_stashed");
    }
    out["pg_import_s"] = millis_since(t0) / 1000.0;
  }
  const std::vector<std::string> queries = corpus.queries(probe.queries, probe.query_seed);
  storage::SearchRequest request;
  request.project_id = project;
  request.query = queries.empty() ? std::string("store") : queries.front();
  // A process's first call reads the whole project from the database and indexes it.
  auto store = open_team_store(options);
  const auto t1 = Clock::now();
  check(store->search_stashed(request).status(), "first search");
  out["pg_first_search_ms"] = millis_since(t1);
  std::vector<double> latencies;
  for (const std::string& query : queries) {
    request.query = query;
    const auto t2 = Clock::now();
    check(store->search_stashed(request).status(), "search '" + query + "'");
    latencies.push_back(millis_since(t2));
  }
  put_percentiles(out, "pg_search", latencies, "ms");
  // Stashes, each one committed transaction (synchronous_commit = on).
  std::vector<double> stashes;
  for (size_t k = 0; k < stash_ops; ++k) {
    std::vector<storage::SegmentDraft> drafts;
    drafts.push_back(corpus.small_draft(k, "pg-stash-" + std::to_string(::getpid()) + "-" + std::to_string(k)));
    const auto t3 = Clock::now();
    check(store->stash(project, {}, std::move(drafts)).status(), "stash");
    stashes.push_back(micros_since(t3));
  }
  put_percentiles(out, "pg_stash", stashes, "us");
  // Another process writes; this one's next search catches up from the changes log.
  auto other = open_team_store(options);
  std::vector<double> caught_up;
  for (size_t k = 0; k < std::min<size_t>(queries.size(), 100); ++k) {
    std::vector<storage::SegmentDraft> drafts;
    drafts.push_back(corpus.small_draft(k, "pg-other-" + std::to_string(::getpid()) + "-" + std::to_string(k)));
    check(other->stash(project, {}, std::move(drafts)).status(), "stash by another process");
    request.query = queries[k];
    const auto t4 = Clock::now();
    check(store->search_stashed(request).status(), "search after another's write");
    caught_up.push_back(millis_since(t4));
  }
  put_percentiles(out, "pg_search_after_write", caught_up, "ms");
  return out;
}

}  // namespace bench
