#include "tools/serve.h"

#include <signal.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <thread>

#include <spdlog/spdlog.h>

#include "mcp/server.h"
#include "mcp/tool_registry.h"
#include "mcp/transport.h"
#include "storage/store.h"
#include "schemas/embedded_schemas.h"
#include "tools/features.h"
#include "tools/register_tools.h"
#include "tools/roots_project.h"
#include "tools/session_id.h"
#include "tools/store_opener.h"

namespace tools {
namespace {

// Set by SIGTERM/SIGINT/SIGHUP; mcp::serve checks it between lines. Installed without SA_RESTART so a
// blocked read() returns EINTR and the loop sees the flag.
volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int) {
  g_stop = 1;
  storage::cancel_lock_waits();  // a call waiting for another process's lock gives up at once
}

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);  // the terminal or the client's session went away
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, nullptr);  // a gone client shows up as a failed write, not a kill
}

// MCP logging/setLevel sends RFC 5424 names.
void set_level_from_rfc5424(const std::string& level) {
  using spdlog::level::level_enum;
  level_enum mapped = level_enum::warn;
  if (level == "debug") mapped = level_enum::debug;
  else if (level == "info" || level == "notice") mapped = level_enum::info;
  else if (level == "warning") mapped = level_enum::warn;
  else if (level == "error") mapped = level_enum::err;
  else if (level == "critical" || level == "alert" || level == "emergency") mapped = level_enum::critical;
  spdlog::set_level(mapped);
}

}  // namespace

const std::string& server_instructions() {
  static const std::string text =
      "ooc moves context out of your window and gives it back on demand.\n"
      "- At the start of a session, call context_primer: what earlier sessions left for this project.\n"
      "- context_store what you may need later (decisions, code read, logs, notes) with task_id/file_path/tags.\n"
      "- What you context_store is kept: unstashed segments move to the stash when the session ends.\n"
      "- When your context grows, context_stash what you no longer need verbatim; it stays durable across sessions.\n"
      "- Before re-reading files or re-deriving facts, context_search_stashed by keywords, ids, task or file,\n"
      "  then context_retrieve_stashed the ids you need (restore: true puts them back in the working set).\n"
      "- context_edit fixes a stashed segment (pass its revision); a new segment with supersedes: [ids] retires old ones.\n"
      "- context_delete drops segments from the working set (tier stashed/all for durable copies; pins need force).\n"
      "- Replies show usage_percent of your window; at 60/80/90 % they name what to stash. context_list_projects lists projects.";
  return text;
}

int serve_mcp(const Config& config, const std::string& default_project) {
  install_signal_handlers();
  storage::StoreOptions options;
  options.sync = config.sync;
  options.lock_timeout = std::chrono::milliseconds(static_cast<int64_t>(config.lock_timeout_ms));
  options.max_working_segments = config.max_working_segments;
  options.limits.max_segment_bytes = config.max_segment_bytes;
  options.session_id = new_session_id();
  const std::string session = options.session_id;
  storage::Result<std::unique_ptr<storage::Store>> opened = open_configured_store(config, std::move(options));
  if (!opened.ok()) return serve_mcp_config_error(opened.status().message());
  std::unique_ptr<storage::Store> store = std::move(opened).value();
  spdlog::info("serving project '{}' from {} (session {})", default_project, store_description(config), session);

  mcp::ToolRegistry registry;
  ToolContext ctx{*store, default_project};
  ctx.token_limit = config.token_limit;
  if (storage::Status s = register_tools(registry, ctx); !s.ok()) {
    spdlog::critical("tool registration failed: {}", s.message());
    return 1;
  }
  mcp::ServerConfig server_config;
  server_config.name = "ooc";
  server_config.version = OOC_VERSION;
  server_config.instructions = server_instructions();
  server_config.on_set_log_level = set_level_from_rfc5424;
  // Issue 8: the client's first root names the default project unless --project or
  // OUT_OF_CONTEXT_PROJECT pinned it (config.project is set only by those).
  if (config.project.empty()) {
    server_config.on_roots = [ctx](const std::vector<std::string>& uris) {
      apply_roots(ctx.store, *ctx.default_project, uris, has_git_entry);
    };
  }
  // The working directory's project is claimed for its root path too (issue 8: two directories
  // with one name never share a project silently). In the background: it waits for the store to
  // load, and roots arriving first win (replace() only changes the initial value).
  std::thread claim_working_directory;
  if (config.project.empty()) {
    claim_working_directory = std::thread([ctx, initial = default_project] {
      std::error_code error;
      const std::filesystem::path cwd = std::filesystem::current_path(error);
      if (error) return;
      storage::Result<std::string> claimed = project_for_directory(ctx.store, cwd.string(), has_git_entry);
      if (claimed.ok()) {
        ctx.default_project->replace(initial, *claimed);
      } else {
        spdlog::warn("cannot claim project '{}' for {}: {}", initial, cwd.string(), claimed.status().message());
      }
    });
  }
  StoreFeatures features(ctx);
  mcp::Server server(std::move(server_config), registry, &features);
  mcp::FdTransport transport(0, 1);
  const int status = mcp::serve(server, transport, &g_stop);
  if (g_stop != 0) spdlog::info("stopped by signal");
  // However serving ended (end of input, a signal, a vanished client), the working set goes to the
  // stash now; returns at once when nothing was stored, even while the store is still loading.
  if (auto ended = store->end_session(); !ended.ok()) {
    spdlog::error("cannot move the working set of session {} to the stash: {}", session, ended.status().to_string());
  } else if (*ended > 0) {
    spdlog::info("session {} ended: {} working segments moved to the stash", session, *ended);
  }
  // Exit now (issue 9: within 100 ms of end of input or a stop signal, at any store size). Every
  // acknowledged write is on disk, and the store is safe at any crash point (FORMAT.md "Crash
  // safety"), so neither a load still running (the claim thread waits for it) nor freeing a big
  // store's memory (seconds at a million segments) is worth the client's wait.
  store->abandon_background_compaction();  // a half-written next snapshot is of no use to anyone
  spdlog::default_logger()->flush();
  std::fflush(nullptr);
  std::_Exit(status);
}

int serve_mcp_config_error(const std::string& problem) {
  install_signal_handlers();
  spdlog::error("configuration error: {}; serving only CONFIG_ERROR replies until restarted", problem);
  const std::string message = problem + "; fix the setting in your MCP client's env and restart";
  mcp::ToolRegistry registry;
  for (const schemas::EmbeddedSchema& schema : schemas::tool_descriptors()) {
    mcp::Json descriptor = mcp::Json::parse(schema.json, nullptr, /*allow_exceptions=*/false);
    if (descriptor.is_discarded()) continue;  // register_tools' test proves every descriptor parses
    registry.add(std::move(descriptor), [message](const mcp::Json&) { return mcp::ToolResult::failure("CONFIG_ERROR", message); });
  }
  mcp::ServerConfig server_config;
  server_config.name = "ooc";
  server_config.version = OOC_VERSION;
  server_config.instructions = server_instructions();
  server_config.on_set_log_level = set_level_from_rfc5424;
  mcp::Server server(std::move(server_config), registry);
  mcp::FdTransport transport(0, 1);
  return mcp::serve(server, transport, &g_stop);
}

}  // namespace tools
