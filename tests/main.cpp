#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

int main(int argc, char** argv) {
  // Engine logs (recovery notes and the like) go to stderr and stay quiet unless a test fails.
  auto logger = spdlog::stderr_color_mt("ooc_tests");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::critical);
  doctest::Context context(argc, argv);
  return context.run();
}
