// Small helpers of the benchmark: timing, percentiles, temporary directories, resident memory,
// file sizes and a deterministic random generator (std distributions differ between libraries).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

inline double micros_since(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}
inline double millis_since(Clock::time_point start) { return micros_since(start) / 1000.0; }

// Median and 99th percentile (nearest rank) of samples; 0 when empty.
struct Percentiles {
  double p50 = 0;
  double p99 = 0;
  double max = 0;
};
Percentiles percentiles(std::vector<double> samples);

// splitmix64: fast, deterministic on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next();
  // Uniform in [0, n); n > 0.
  uint64_t below(uint64_t n);
  // Uniform in [lo, hi].
  uint64_t between(uint64_t lo, uint64_t hi) { return lo + below(hi - lo + 1); }
  // Uniform in [0, 1).
  double unit();

 private:
  uint64_t state_;
};

// A directory made with mkdtemp under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// VmRSS of this process in bytes (from /proc/self/status); 0 when unavailable.
uint64_t resident_bytes();
// Peak resident set size of this process so far (VmHWM).
uint64_t peak_resident_bytes();
// User + system CPU seconds of this process, all threads (getrusage).
double cpu_seconds();
// Size of a file in bytes; 0 when missing.
uint64_t file_bytes(const std::string& path);
// The path of the running executable (/proc/self/exe resolved).
std::string self_executable();

}  // namespace bench
