// ooc_bench: reproducible benchmarks of ooc (DESIGN §8). See bench/README.md.
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench.h"
#include "bench/bench_util.h"

int main(int argc, char** argv) {
  const std::string self = bench::self_executable();
  // Default ooc: the build tree's ooc (build/ooc, next to bench/), else ooc beside this binary.
  const std::filesystem::path dir = std::filesystem::path(self).parent_path();
  std::string ooc = (dir / ".." / "ooc").lexically_normal().string();
  if (!std::filesystem::exists(ooc)) ooc = (dir / "ooc").string();
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return bench::run_bench(args, {self}, ooc);
}
