// ooc_bench entry point, callable from another command line (e.g. a future `ooc bench`).
#pragma once

#include <string>
#include <vector>

namespace bench {

// Parses `args` (without the program name) and runs the benchmark; returns the exit status.
// `self` is how to start this same entry point in a fresh process (for the load figures), e.g.
// {"/path/to/ooc_bench"} or {"/path/to/ooc", "bench"}; `default_ooc` is the ooc binary to time
// over stdio when --ooc is not given.
int run_bench(const std::vector<std::string>& args, const std::vector<std::string>& self,
              const std::string& default_ooc);

}  // namespace bench
