#include "tools/cli.h"

// scripts/release stamps "<version> (commit <sha>)" here (CMake OOC_GIT_COMMIT); else the version.
#ifndef OOC_VERSION_LINE
#define OOC_VERSION_LINE OOC_VERSION
#endif

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstddef>
#include <initializer_list>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "storage/store.h"
#include "tools/cli_capture.h"
#include "tools/cli_commands.h"
#include "tools/cli_terminal.h"
#include "tools/config.h"
#include "tools/db_command.h"
#include "tools/hook_claude_code.h"
#include "tools/project_id.h"
#include "tools/serve.h"
#include "tools/store_opener.h"

namespace tools {
namespace {

constexpr int kUsageError = kExitUsage;

struct Parsed {
  CommandLineOverrides flags;
  SearchOptions search;
  bool json = false;  // --json of stats, list, show
  std::string show_id;
  std::string export_file;
  std::string import_file;
  PrimerOptions primer;
  StashOptions stash;
  std::string hook_event;
  DbRequest db;
};

// Opens the store; a load that takes more than a moment shows its elapsed time when `progress`.
std::unique_ptr<storage::Store> open_store(const Config& config, std::ostream& err, bool progress) {
  storage::StoreOptions options;
  options.sync = config.sync;
  options.lock_timeout = std::chrono::milliseconds(static_cast<int64_t>(config.lock_timeout_ms));
  options.max_working_segments = config.max_working_segments;
  options.limits.max_segment_bytes = config.max_segment_bytes;
  options.compact_in_background = false;  // a one-shot command: its writes may as well compact
  storage::Result<std::unique_ptr<storage::Store>> opened = open_configured_store(config, std::move(options));
  if (!opened.ok()) {
    err << "ooc: cannot open the store at " << store_description(config) << ": " << opened.status().message() << "\n";
    return nullptr;
  }
  std::unique_ptr<storage::Store> store = std::move(opened).value();
  storage::Status status = storage::Status::ok_status();
  if (progress) {
    std::future<storage::Status> loaded = std::async(std::launch::async, [&store] { return store->wait_until_loaded(); });
    Progress shown(err, true, "");
    const auto start = std::chrono::steady_clock::now();
    while (loaded.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready) {
      const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
      const long long tenths = elapsed.count() / 100;
      shown.set_label("loading " + store_description(config) + "... " + std::to_string(tenths / 10) + "." +
                      std::to_string(tenths % 10) + " s");
    }
    status = loaded.get();
  } else {
    status = store->wait_until_loaded();
  }
  if (const storage::Status& s = status; !s.ok()) {
    err << "ooc: cannot open the store at " << store_description(config) << ": " << s.to_string() << "\n";
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

// The command, on the loaded store.
int run_on_store(const CLI::App& app, const Parsed& parsed, const Config& config, storage::Store& store,
                 bool progress);

int run_human(const CLI::App& app, const Parsed& parsed, const Config& config, bool progress) {
  if (app.got_subcommand("verify")) return run_verify(config.storage_path, std::cout, std::cerr, progress);
  if (app.got_subcommand("stash") && !parsed.stash.lines.empty() && parsed.stash.file.empty()) {
    std::cerr << "ooc stash: --lines needs --file\n";
    return kUsageError;
  }
  if (app.got_subcommand("hook") && !is_claude_code_event(parsed.hook_event)) {
    std::cerr << "ooc hook claude-code: unknown event '" << parsed.hook_event
              << "'; one of SessionStart, PreCompact, SessionEnd, Stop\n";
    return kUsageError;
  }
  std::unique_ptr<storage::Store> store = open_store(config, std::cerr, progress);
  if (!store) return kExitFailure;
  const int code = run_on_store(app, parsed, config, *store, progress);
  // End the process without tearing the store down (issue 9: freeing a big store's memory took
  // seconds). What the command wrote is durable, and its locks go with the process.
  std::cout.flush();
  std::cerr.flush();
  spdlog::default_logger()->flush();
  std::_Exit(code);
}

int run_on_store(const CLI::App& app, const Parsed& parsed, const Config& config, storage::Store& store,
                 bool progress) {
  if (app.got_subcommand("hook")) return run_claude_code_hook(store, parsed.hook_event, config.project, std::cin, std::cout, std::cerr);
  if (app.got_subcommand("primer") || app.got_subcommand("stash")) {
    CommandContext one{store, one_project(config), std::cout, std::cerr, false};
    if (app.got_subcommand("primer")) return run_primer(one, parsed.primer);
    return run_stash(one, parsed.stash, std::cin);
  }
  CommandContext ctx{store, human_project(config), std::cout, std::cerr, progress};
  if (app.got_subcommand("stats")) return run_stats(ctx, parsed.json);
  if (app.got_subcommand("list")) return run_list(ctx, parsed.json);
  if (app.got_subcommand("search")) return run_search(ctx, parsed.search);
  if (app.got_subcommand("show")) return run_show(ctx, parsed.show_id, parsed.json);
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
  app.set_version_flag("--version", std::string(OOC_VERSION_LINE));
  app.footer(
      "Exit status: 0 ok, 1 failure, 2 usage or configuration error, 3 damaged store (verify).\n"
      "Team store: ooc db migrate|status [--url URL] (OUT_OF_CONTEXT_STORAGE_URL; see storage/pg/SCHEMA.md).\n"
      "Benchmark: ooc bench [--sizes 10000,100000] [--json] (see bench/README.md).");
  app.require_subcommand(0, 1);
  app.fallthrough();

  app.add_subcommand("serve", "Run the MCP server on stdin/stdout (the default)");
  CLI::App* stats = app.add_subcommand("stats", "Show the store: files, sizes, projects");
  stats->add_flag("--json", parsed.json, "One JSON document instead");
  CLI::App* list = app.add_subcommand("list", "List the projects with their counts");
  list->add_flag("--json", parsed.json, "One JSON document instead");
  CLI::App* search = app.add_subcommand("search", "Search stashed segments; the query is the rest of the words");
  search->add_option("query", parsed.search.query, "Keywords, \"phrases\", -excluded words (no quotes needed)");
  search->add_flag("--json", parsed.search.json, "One JSON document instead");
  search->add_option("--task", parsed.search.task, "Only this task_id");
  search->add_option("--tag", parsed.search.tags, "Only segments with this tag (repeatable)");
  search->add_option("--limit", parsed.search.limit, "Results to show (1-100, default 20)")
      ->check(CLI::Range(1, 100));
  search->add_flag("--substring", parsed.search.substring, "Case-insensitive substring match");
  CLI::App* show = app.add_subcommand("show", "Print one stashed segment with its metadata");
  show->add_option("id", parsed.show_id, "Segment id")->required();
  show->add_flag("--json", parsed.json, "The segment as one JSON document (the export format)");
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
  app.add_subcommand("verify", "Check snapshot and journal; exit status 3 on damage");
  CLI::App* db = app.add_subcommand("db", "PostgreSQL team store: its schema (see storage/pg/SCHEMA.md)");
  db->require_subcommand(1);
  db->add_option("--url", parsed.db.url, "postgresql:// URL or libpq connection string (overrides OUT_OF_CONTEXT_STORAGE_URL)");
  db->add_subcommand("migrate", "Apply the pending schema versions (one transaction)");
  CLI::App* db_status = db->add_subcommand("status", "Show the schema version of the database and this ooc's");
  db_status->add_flag("--json", parsed.db.json, "One JSON document instead");
}

void route_logs_to_stderr(const std::string& level) {
  spdlog::set_level(spdlog::level::from_str(level));
}

bool is_one_of(const std::string& arg, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (arg == name) return true;
  }
  return false;
}

bool starts_with_one_of(const std::string& arg, std::initializer_list<const char*> prefixes) {
  for (const char* prefix : prefixes) {
    if (arg.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> gather_search_query(const std::vector<std::string>& args) {
  const auto common = {"--storage", "--project", "--log-level"};
  size_t at = 1;
  for (; at < args.size(); ++at) {
    if (is_one_of(args[at], common)) {
      ++at;
    } else if (args[at] == "search") {
      break;
    } else if (args[at].empty() || args[at][0] != '-') {
      return args;  // another command
    }
  }
  if (at >= args.size()) return args;
  std::vector<std::string> out(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(at) + 1);
  std::string query;
  for (size_t i = at + 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      for (++i; i < args.size(); ++i) query += (query.empty() ? "" : " ") + args[i];
    } else if (is_one_of(arg, {"--task", "--tag", "--limit", "--storage", "--project", "--log-level"})) {
      out.push_back(arg);
      if (i + 1 < args.size()) out.push_back(args[++i]);
    } else if (is_one_of(arg, {"--substring", "--json", "--help", "-h"}) ||
               starts_with_one_of(arg, {"--task=", "--tag=", "--limit=", "--storage=", "--project=", "--log-level="})) {
      out.push_back(arg);
    } else {
      query += (query.empty() ? "" : " ") + arg;
    }
  }
  if (!query.empty()) {
    out.push_back("--");
    out.push_back(query);
  }
  return out;
}

int run_cli(int argc, char** argv) {
  CLI::App app{"ooc: out of context - an MCP server that stashes, searches and retrieves agent context"};
  app.name("ooc");
  Parsed parsed;
  define_commands(app, parsed);
  // `ooc search refresh token -flaky`: the words become one query before CLI11 sees them.
  std::vector<std::string> args = gather_search_query(std::vector<std::string>(argv, argv + argc));
  std::reverse(args.begin(), args.end());
  args.pop_back();  // the program name
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    // Help and version go to stdout with status 0; usage errors to stderr with status 2.
    return app.exit(e) == 0 ? 0 : kUsageError;
  }

  if (CLI::App* db = app.get_subcommand("db"); db->parsed()) {
    // The team store's schema: no file store, so no OUT_OF_CONTEXT_STORAGE_PATH configuration.
    parsed.db.action = db->got_subcommand("migrate") ? "migrate" : "status";
    if (parsed.db.url.empty()) parsed.db.url = process_environment()("OUT_OF_CONTEXT_STORAGE_URL").value_or("");
    if (!parsed.flags.log_level.empty()) route_logs_to_stderr(parsed.flags.log_level);
    return run_db_command(parsed.db, std::cout, std::cerr);
  }
  const Terminal terminal = detect_terminal();
  const bool serving = app.get_subcommands().empty() || app.got_subcommand("serve");
  if (serving && shows_waiting_hint(terminal)) std::cerr << waiting_hint(self_path()) << std::endl;
  storage::Result<Config> config = load_config(process_environment(), parsed.flags);
  if (!config.ok()) {
    // A server still starts: its client shows the CONFIG_ERROR of every tool call to the user.
    if (serving) return serve_mcp_config_error(config.status().message());
    std::cerr << "ooc: " << config.status().message() << "\n";
    return kUsageError;
  }
  route_logs_to_stderr(config->log_level);
  if (serving) {
    std::string project = parsed.flags.project.empty() ? default_project_from_environment() : parsed.flags.project;
    return serve_mcp(*config, project);
  }
  return run_human(app, parsed, *config, terminal.stderr_tty);
}

}  // namespace tools
