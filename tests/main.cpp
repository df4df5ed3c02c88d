// The test binary's entry point. doctest_discover_tests runs it once per TEST_CASE with a name
// filter; a filter that matches nothing (a name cut in two by a ';', a renamed case) would make
// doctest "pass" running zero cases. The listener below turns such a run into a failure, so a
// ctest entry can never silently vanish.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace {

bool g_run_ended = false;
unsigned g_cases_run = 0;

struct RunCounter : doctest::IReporter {
  explicit RunCounter(const doctest::ContextOptions& /*options*/) {}
  void report_query(const doctest::QueryData& /*data*/) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& stats) override {
    g_run_ended = true;
    g_cases_run = stats.numTestCasesPassingFilters;
  }
  void test_case_start(const doctest::TestCaseData& /*data*/) override {}
  void test_case_reenter(const doctest::TestCaseData& /*data*/) override {}
  void test_case_end(const doctest::CurrentTestCaseStats& /*stats*/) override {}
  void test_case_exception(const doctest::TestCaseException& /*e*/) override {}
  void subcase_start(const doctest::SubcaseSignature& /*signature*/) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData& /*data*/) override {}
  void log_message(const doctest::MessageData& /*data*/) override {}
  void test_case_skipped(const doctest::TestCaseData& /*data*/) override {}
};

REGISTER_LISTENER("run_counter", 1, RunCounter);

}  // namespace

int main(int argc, char** argv) {
  // Engine logs (recovery notes and the like) go to stderr and stay quiet unless a test fails.
  auto logger = spdlog::stderr_color_mt("ooc_tests");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::critical);
  doctest::Context context(argc, argv);
  const int status = context.run();
  if (status == 0 && g_run_ended && g_cases_run == 0 && !context.shouldExit()) {
    std::fprintf(stderr, "ooc_tests: no test case matched the filter: failing instead of passing "
                         "with zero cases (see tests/main.cpp)\n");
    return 1;
  }
  return status;
}
