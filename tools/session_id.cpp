#include "tools/session_id.h"

#include <cstdio>
#include <ctime>
#include <random>

namespace tools {

std::string new_session_id() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &utc);
  std::random_device random;
  char hex[8];
  std::snprintf(hex, sizeof hex, "%06x", static_cast<unsigned>(random()) & 0xffffffu);
  return std::string("s-") + stamp + "-" + hex;
}

}  // namespace tools
