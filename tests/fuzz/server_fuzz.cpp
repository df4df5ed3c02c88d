// libFuzzer target: mcp::Server::handle over the real tools, resources and prompts (tools/), on a
// Store in a fresh temp directory ($TMPDIR or /tmp, never ~/.out_of_context) with a ManualClock,
// sync=never and compaction inside the write (no fork). Each input is split at '\n' and every
// line goes to handle() in order, so one input can be a whole session (initialize, then calls).
//
// Asserts: no crash, no sanitizer report, no hang; every reply is one line of JSON (the wire
// contract of mcp/server.h: compact JSON, no newline).
//
// The store is built once per process and kept across inputs (as a serving process keeps it);
// every kInputsPerStore inputs it is replaced by an empty one in a new directory so that a long
// campaign's stash cannot grow without bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "mcp/server.h"
#include "mcp/tool_registry.h"
#include "storage/clock.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"
#include "tools/features.h"
#include "tools/register_tools.h"
#include "tools/serve.h"

namespace {

constexpr size_t kInputsPerStore = 50000;

struct Harness {
  testing::TempDir dir;  // removed with the harness
  storage::ManualClock clock;
  std::unique_ptr<storage::Store> store;
  mcp::ToolRegistry registry;
  std::unique_ptr<tools::StoreFeatures> features;
  std::unique_ptr<mcp::Server> server;

  Harness() {
    storage::StoreOptions options;
    options.path = dir.file("storage.json");  // explicit: never the user's store
    options.sync = storage::SyncMode::kNever;
    options.clock = &clock;
    options.compact_in_background = false;
    options.limits.max_segment_bytes = 64 << 10;
    store = storage::Store::open(std::move(options));
    const tools::ToolContext ctx{*store, "proj"};
    if (!tools::register_tools(registry, ctx).ok()) std::abort();
    features = std::make_unique<tools::StoreFeatures>(ctx);
    mcp::ServerConfig config;
    config.version = "fuzz";
    config.instructions = tools::server_instructions();
    config.tools_page_size = 3;  // several pages, so cursors are reachable
    config.list_page_size = 2;
    server = std::make_unique<mcp::Server>(std::move(config), registry, features.get());
  }
  ~Harness() {
    server.reset();  // the server and features refer to the registry and store
    features.reset();
  }
};

std::unique_ptr<Harness>& harness() {
  static std::unique_ptr<Harness> h;
  return h;
}

void check_reply(const std::string& reply) {
  if (reply.empty() || reply.find('\n') != std::string::npos) std::abort();
  if (!nlohmann::json::accept(reply)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // the tools' error logs would flood the fuzzer's output
  harness() = std::make_unique<Harness>();
  std::atexit([] { harness().reset(); });  // removes the temp directory on a normal end
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static size_t inputs = 0;
  if (++inputs % kInputsPerStore == 0) {
    harness().reset();
    harness() = std::make_unique<Harness>();
  }
  mcp::Server& server = *harness()->server;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t begin = 0;
  while (begin <= input.size()) {
    size_t end = input.find('\n', begin);
    if (end == std::string_view::npos) end = input.size();
    if (std::optional<std::string> reply = server.handle(input.substr(begin, end - begin))) check_reply(*reply);
    for (const std::string& outgoing : server.take_outgoing()) check_reply(outgoing);
    begin = end + 1;
  }
  return 0;
}
