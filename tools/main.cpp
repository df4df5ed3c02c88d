// ooc: the composition root. Logs go to stderr before anything else can log (stdout carries only
// MCP messages); then the command line decides between the MCP server and a human command.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "bench/bench.h"
#include "bench/bench_util.h"
#include "tools/cli.h"

int main(int argc, char** argv) {
  try {
    auto logger = spdlog::stderr_color_mt("ooc");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::warn);
    // `ooc bench [options]` is the benchmark of bench/ (DESIGN §8); it parses its own options.
    if (argc > 1 && std::string(argv[1]) == "bench") {
      const std::string self = bench::self_executable();
      return bench::run_bench(std::vector<std::string>(argv + 2, argv + argc), {self, "bench"}, self);
    }
    return tools::run_cli(argc, argv);
  } catch (const std::exception& e) {  // last resort: a bug, never a normal path
    std::cerr << "ooc: internal error: " << e.what() << "\n";
    return 70;
  }
}
