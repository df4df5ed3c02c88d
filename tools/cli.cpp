#include "tools/cli.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "storage/store.h"
#include "tools/cli_capture.h"
#include "tools/cli_commands.h"
#include "tools/config.h"
#include "tools/hook_claude_code.h"
#include "tools/project_id.h"
#include "tools/serve.h"

namespace tools {
namespace {

constexpr int kUsageError = 2;

struct Parsed {
  CommandLineOverrides flags;
  SearchOptions search;
  std::string show_id;
  std::string export_file;
  std::string import_file;
  PrimerOptions primer;
  StashOptions stash;
  std::string hook_event;
};

std::unique_ptr<storage::Store> open_store(const Config& config, std::ostream& err) {
  storage::StoreOptions options;
  options.path = config.storage_path;
  options.sync = config.sync;
  options.lock_timeout = std::chrono::milliseconds(static_cast<int64_t>(config.lock_timeout_ms));
  options.max_working_segments = config.max_working_segments;
  options.limits.max_segment_bytes = config.max_segment_bytes;
  std::unique_ptr<storage::Store> store = storage::Store::open(std::move(options));
  if (storage::Status s = store->wait_until_loaded(); !s.ok()) {
    err << "ooc: cannot open the store at " << config.storage_path << ": " << s.to_string() << "\n";
    return nullptr;
  }
  return store;
}

// --project, else OUT_OF_CONTEXT_PROJECT (made valid), else every project.
std::string human_project(const Config& config) {
  if (!config.project.empty()) return default_project_id(config.project, "", [](const std::string&) { return false; });
  return "*";
}

// --project, else OUT_OF_CONTEXT_PROJECT, else the default project of the working directory: the
// commands that write or prime need one project.
std::string one_project(const Config& config) {
  return config.project.empty() ? default_project_from_environment() : human_project(config);
}

int run_human(const CLI::App& app, const Parsed& parsed, const Config& config) {
  if (app.got_subcommand("verify")) return run_verify(config.storage_path, std::cout, std::cerr);
  if (app.got_subcommand("stash") && !parsed.stash.lines.empty() && parsed.stash.file.empty()) {
    std::cerr << "ooc stash: --lines needs --file\n";
    return kUsageError;
  }
  if (app.got_subcommand("hook") && !is_claude_code_event(parsed.hook_event)) {
    std::cerr << "ooc hook claude-code: unknown event '" << parsed.hook_event
              << "'; one of SessionStart, PreCompact, SessionEnd, Stop\n";
    return kUsageError;
  }
  std::unique_ptr<storage::Store> store = open_store(config, std::cerr);
  if (!store) return 1;
  if (app.got_subcommand("hook")) return run_claude_code_hook(*store, parsed.hook_event, config.project, std::cin, std::cout, std::cerr);
  if (app.got_subcommand("primer") || app.got_subcommand("stash")) {
    CommandContext one{*store, one_project(config), std::cout, std::cerr};
    if (app.got_subcommand("primer")) return run_primer(one, parsed.primer);
    return run_stash(one, parsed.stash, std::cin);
  }
  CommandContext ctx{*store, human_project(config), std::cout, std::cerr};
  if (app.got_subcommand("stats")) return run_stats(ctx);
  if (app.got_subcommand("search")) return run_search(ctx, parsed.search);
  if (app.got_subcommand("show")) return run_show(ctx, parsed.show_id);
  if (app.got_subcommand("export")) return run_export(ctx, parsed.export_file);
  if (app.got_subcommand("import")) {
    storage::SegmentLimits limits;
    limits.max_segment_bytes = config.max_segment_bytes;
    return run_import(ctx, parsed.import_file, limits);
  }
  if (app.got_subcommand("compact")) return run_compact(ctx);
  std::cerr << "ooc: no command\n";
  return kUsageError;
}

void define_commands(CLI::App& app, Parsed& parsed) {
  app.add_option("--storage", parsed.flags.storage, "Store file or directory (overrides OUT_OF_CONTEXT_STORAGE_PATH)");
  app.add_option("--project", parsed.flags.project, "Project id (overrides OUT_OF_CONTEXT_PROJECT)");
  app.add_option("--log-level", parsed.flags.log_level, "trace|debug|info|warn|error|critical|off (default warn)");
  app.set_version_flag("--version", std::string(OOC_VERSION));
  app.footer("Benchmark: ooc bench [--sizes 10000,100000] [--json] (see bench/README.md).");
  app.require_subcommand(0, 1);
  app.fallthrough();

  app.add_subcommand("serve", "Run the MCP server on stdin/stdout (the default)");
  app.add_subcommand("stats", "Show the store: files, sizes, projects");
  CLI::App* search = app.add_subcommand("search", "Search stashed segments");
  search->add_option("query", parsed.search.query, "Keywords, \"phrases\", -excluded words");
  search->add_option("--task", parsed.search.task, "Only this task_id");
  search->add_option("--tag", parsed.search.tags, "Only segments with this tag (repeatable)");
  search->add_option("--limit", parsed.search.limit, "Results to show (1-100, default 20)")
      ->check(CLI::Range(1, 100));
  search->add_flag("--substring", parsed.search.substring, "Case-insensitive substring match");
  CLI::App* show = app.add_subcommand("show", "Print one stashed segment with its metadata");
  show->add_option("id", parsed.show_id, "Segment id")->required();
  CLI::App* exporter = app.add_subcommand("export", "Write stashed segments as JSON Lines");
  exporter->add_option("file", parsed.export_file, "Output file (default: stdout)");
  CLI::App* importer = app.add_subcommand("import", "Stash segments from JSON Lines (all or nothing)");
  importer->add_option("file", parsed.import_file, "JSON Lines file from ooc export; - for stdin")->required();
  CLI::App* primer = app.add_subcommand("primer", "Print the session primer of a project as Markdown");
  primer->add_option("--max-tokens", parsed.primer.max_tokens, "Token budget (100-20000, default 2000)")
      ->check(CLI::Range(kMinPrimerTokens, kMaxPrimerTokens));
  primer->add_flag("--json", parsed.primer.json, "The structured primer (as the context_primer tool) instead");
  CLI::App* stash = app.add_subcommand("stash", "Store and stash text from stdin or --file; prints its id");
  stash->add_option("--file", parsed.stash.file, "Read the text from this file (default: stdin)");
  stash->add_option("--lines", parsed.stash.lines, "Only lines A:B of --file (1-based, inclusive)");
  stash->add_option("--id", parsed.stash.id, "Segment id (default: generated; the same id replaces)");
  stash->add_option("--type", parsed.stash.type, "message|code|log|note|decision|summary (default note)")
      ->check(CLI::IsMember({"message", "code", "log", "note", "decision", "summary"}));
  stash->add_option("--task", parsed.stash.task, "task_id");
  stash->add_option("--tag", parsed.stash.tags, "Tag (repeatable)");
  stash->add_option("--file-path", parsed.stash.file_path, "file_path metadata (default: --file)");
  CLI::App* hook = app.add_subcommand("hook", "Run as an agent client's hook (payload JSON on stdin)");
  hook->require_subcommand(1);
  CLI::App* claude = hook->add_subcommand("claude-code", "Claude Code hooks; see README \"Sessions\"");
  claude->add_option("event", parsed.hook_event, "SessionStart|PreCompact|SessionEnd|Stop")->required();
  app.add_subcommand("compact", "Fold the journal into a new snapshot");
  app.add_subcommand("verify", "Check snapshot and journal; exit status 1 on damage");
}

void route_logs_to_stderr(const std::string& level) {
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"ooc: out of context - an MCP server that stashes, searches and retrieves agent context"};
  app.name("ooc");
  Parsed parsed;
  define_commands(app, parsed);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and version go to stdout with status 0; usage errors to stderr with status 2.
    return app.exit(e) == 0 ? 0 : kUsageError;
  }

  storage::Result<Config> config = load_config(process_environment(), parsed.flags);
  if (!config.ok()) {
    std::cerr << "ooc: " << config.status().message() << "\n";
    return kUsageError;
  }
  route_logs_to_stderr(config->log_level);
  const bool serving = app.get_subcommands().empty() || app.got_subcommand("serve");
  if (serving) {
    std::string project = parsed.flags.project.empty() ? default_project_from_environment() : parsed.flags.project;
    return serve_mcp(*config, project);
  }
  return run_human(app, parsed, *config);
}

}  // namespace tools
