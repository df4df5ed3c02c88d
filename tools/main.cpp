// ooc: the composition root. Logs go to stderr before anything else can log (stdout carries only
// MCP messages); then the command line decides between the MCP server and a human command.
#include <exception>
#include <iostream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "tools/cli.h"

int main(int argc, char** argv) {
  try {
    auto logger = spdlog::stderr_color_mt("ooc");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::warn);
    return tools::run_cli(argc, argv);
  } catch (const std::exception& e) {  // last resort: a bug, never a normal path
    std::cerr << "ooc: internal error: " << e.what() << "\n";
    return 70;
  }
}
