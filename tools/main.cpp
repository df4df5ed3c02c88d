// ooc: the composition root. Logs go to stderr before anything else can log (stdout carries only
// MCP messages); then the command line decides between the MCP server and a human command.
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "tools/cli.h"
#ifdef OOC_WITH_POSTGRES
#include "tools/db_postgres.h"
#include "tools/store_postgres.h"
#endif

namespace {

// `ooc bench [options]` runs the benchmark of bench/ (DESIGN §8), a separate program built by the
// developer preset: the product does not link benchmark code. It is looked for beside this binary
// (an install) and in the build tree's bench/ folder.
int exec_bench(int argc, char** argv) {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::filesystem::path dir = ec ? std::filesystem::path(".") : self.parent_path();
  for (const std::filesystem::path& candidate : {dir / "ooc_bench", dir / "bench" / "ooc_bench"}) {
    if (::access(candidate.c_str(), X_OK) != 0) continue;
    std::vector<char*> args{const_cast<char*>(candidate.c_str())};
    for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
    args.push_back(nullptr);
    ::execv(candidate.c_str(), args.data());
    std::cerr << "ooc bench: cannot run " << candidate.string() << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  std::cerr << "ooc bench: the benchmark is not built (no ooc_bench beside " << dir.string()
            << "/ooc); build it with: cmake --preset dev && cmake --build --preset dev\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // Over `ulimit -f` a write fails with EFBIG, which every command reports as a storage error;
  // SIGXFSZ's default action would kill the process instead.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    // NO_COLOR (https://no-color.org): plain log lines even on a terminal.
    const char* no_color = std::getenv("NO_COLOR");
    auto logger = no_color != nullptr && no_color[0] != '\0' ? spdlog::stderr_logger_mt("ooc") : spdlog::stderr_color_mt("ooc");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::warn);
    if (argc > 1 && std::string(argv[1]) == "bench") return exec_bench(argc, argv);
#ifdef OOC_WITH_POSTGRES
    tools::set_db_command(&tools::run_postgres_db_command);  // `ooc db ...` (issue 14)
    tools::set_team_store_opener(&tools::open_postgres_store);  // OUT_OF_CONTEXT_STORAGE_URL (issue 14)
#endif
    return tools::run_cli(argc, argv);
  } catch (const std::exception& e) {  // last resort: a bug, never a normal path
    std::cerr << "ooc: internal error: " << e.what() << "\n";
    return 70;
  }
}
