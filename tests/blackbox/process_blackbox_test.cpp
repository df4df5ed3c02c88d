// The ooc process itself (storage/huge_pages.h): it runs with glibc's malloc in huge pages and one
// arena, set by executing itself once, and a user's own setting of the tunable wins.
#include <fstream>
#include <iterator>
#include <string>

#include <doctest/doctest.h>

#include "tests/blackbox/ooc_process.h"
#include "tests/support/temp_dir.h"

namespace blackbox {
namespace {

// GLIBC_TUNABLES of the running process `pid` ("" when unset).
std::string tunables_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), {});
  const std::string key = "GLIBC_TUNABLES=";
  for (size_t at = 0; at < all.size();) {
    const size_t end = all.find('\0', at);
    const std::string var = all.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (var.rfind(key, 0) == 0) return var.substr(key.size());
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return "";
}

TEST_CASE("the server runs with malloc in huge pages and one arena, set by executing itself once") {
  testing::TempDir home;
  testing::TempDir store;
  OocEnv env;
  env.home = home.path();
  env.storage_path = store.path();
  OocProcess ooc(env);
  REQUIRE(initialize(ooc).contains("result"));
  // glibc parses the variable in place (it cuts it at the first ':'), so only the first tunable
  // is seen here; it is present only if ooc executed itself with it.
  CHECK(tunables_of(ooc.pid()).rfind("glibc.malloc.hugetlb=1", 0) == 0);
  ooc.close_stdin();
  CHECK(ooc.wait_exit() == 0);
}

TEST_CASE("a user's own glibc.malloc.hugetlb setting is kept as it is") {
  testing::TempDir home;
  testing::TempDir store;
  OocEnv env;
  env.home = home.path();
  env.storage_path = store.path();
  env.extra["GLIBC_TUNABLES"] = "glibc.malloc.hugetlb=0";
  OocProcess ooc(env);
  REQUIRE(initialize(ooc).contains("result"));
  CHECK(tunables_of(ooc.pid()) == "glibc.malloc.hugetlb=0");
  ooc.close_stdin();
  CHECK(ooc.wait_exit() == 0);
}

}  // namespace
}  // namespace blackbox
