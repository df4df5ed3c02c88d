// Figures of the real `ooc` binary over stdio: spawn -> initialize reply, end of input -> exit
// (right after initialize, while loading; and after the round trips), first tools/call after a
// start, and tools/call round trips of a small inline context_stash.
#include <stdexcept>
#include <utility>
#include <vector>

#include "bench/child_process.h"
#include "bench/figures.h"

namespace bench {
namespace {

using nlohmann::json;

json request(int64_t id, const std::string& method, json params) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

json initialize_params() {
  return json{{"protocolVersion", "2025-11-25"},
              {"capabilities", json::object()},
              {"clientInfo", {{"name", "ooc_bench"}, {"version", "1.0"}}}};
}

// Sends one request and reads lines until its reply; throws on a JSON-RPC or tool error.
json call(ChildProcess& child, const json& message) {
  child.write_line(message.dump());
  for (;;) {
    json reply = json::parse(child.read_line());
    if (!reply.contains("id") || reply["id"] != message["id"]) continue;  // notifications
    if (reply.contains("error")) throw std::runtime_error("ooc answered an error: " + reply.dump());
    const json& result = reply["result"];
    if (result.contains("isError") && result["isError"].is_boolean() && result["isError"].get<bool>()) {
      throw std::runtime_error("tool error: " + reply.dump().substr(0, 500));
    }
    return reply;
  }
}

json stash_params(const storage::SegmentDraft& draft) {
  json segment{{"segment_id", *draft.segment_id}, {"text", draft.text}, {"task_id", *draft.task_id},
               {"tags", draft.tags}};
  return json{{"name", "context_stash"}, {"arguments", {{"segments", json::array({segment})}}}};
}

}  // namespace

json run_stdio(const Corpus& corpus, const StdioOptions& options) {
  const std::map<std::string, std::string> env = {{"HOME", options.home},
                                                  {"OUT_OF_CONTEXT_STORAGE_PATH", options.storage_dir + "/"},
                                                  {"OUT_OF_CONTEXT_SYNC", "never"},
                                                  {"OUT_OF_CONTEXT_PROJECT", corpus.options().project},
                                                  {"OUT_OF_CONTEXT_LOG_LEVEL", "warn"}};
  const std::string stderr_path = options.home + "/ooc-stderr.log";
  json out = json::object();
  std::vector<double> startups;
  std::vector<double> early_exits;
  for (size_t k = 0; k < options.startups; ++k) {
    const auto t0 = Clock::now();
    ChildProcess child({options.ooc}, env, options.home, stderr_path);
    call(child, request(1, "initialize", initialize_params()));
    startups.push_back(millis_since(t0));
    // End of input right after initialize: the store is still loading.
    const auto t1 = Clock::now();
    child.close_stdin();
    if (int status = child.wait(); status != 0) throw std::runtime_error("ooc exited with " + std::to_string(status));
    early_exits.push_back(millis_since(t1));
  }
  const Percentiles startup = percentiles(startups);
  out["startup_initialize_p50_ms"] = startup.p50;
  out["startup_initialize_max_ms"] = startup.max;
  const Percentiles early_exit = percentiles(early_exits);
  out["exit_while_loading_p50_ms"] = early_exit.p50;
  out["exit_while_loading_max_ms"] = early_exit.max;

  const auto t0 = Clock::now();
  ChildProcess child({options.ooc}, env, options.home, stderr_path);
  call(child, request(1, "initialize", initialize_params()));
  child.write_line(json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}.dump());
  int64_t id = 2;
  if (options.first_search) {
    call(child, request(id++, "tools/call",
                        json{{"name", "context_search_stashed"}, {"arguments", {{"query", options.query}}}}));
    out["first_search_after_start_ms"] = millis_since(t0);
  } else {
    call(child, request(id++, "ping", json::object()));
  }
  std::vector<double> samples;
  for (size_t k = 0; k < options.round_trips; ++k) {
    const json message = request(id++, "tools/call", stash_params(corpus.small_draft(k, "rt-" + std::to_string(k))));
    const auto t1 = Clock::now();
    call(child, message);
    samples.push_back(micros_since(t1));
  }
  const Percentiles rt = percentiles(samples);
  out["round_trip_stash_p50_us"] = rt.p50;
  out["round_trip_stash_p99_us"] = rt.p99;
  out["round_trip_stash_max_us"] = rt.max;
  if (options.first_search) {  // the CLI on the same store: a fresh process per command
    for (const auto& [key, args] : {std::pair<std::string, std::vector<std::string>>{"cli_stats_ms", {"stats"}},
                                    {"cli_search_ms", {"search", options.query}}}) {
      std::vector<std::string> argv = {options.ooc};
      argv.insert(argv.end(), args.begin(), args.end());
      const auto t3 = Clock::now();
      ChildProcess cli(argv, env, options.home, stderr_path);
      cli.close_stdin();
      cli.read_all();
      if (int status = cli.wait(); status != 0) throw std::runtime_error("ooc " + args[0] + " exited with " + std::to_string(status));
      out[key] = millis_since(t3);
    }
  }
  const auto t2 = Clock::now();
  child.close_stdin();
  if (int status = child.wait(); status != 0) throw std::runtime_error("ooc exited with " + std::to_string(status));
  out["exit_after_eof_ms"] = millis_since(t2);
  return out;
}

}  // namespace bench
