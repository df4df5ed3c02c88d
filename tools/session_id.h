// The session id of a server process (FORMAT.md "Sessions"): "s-<yyyymmddThhmmss UTC>-<6 lower
// hex random>", e.g. "s-20261201T231500-3fa9c1". CLI commands other than serve have none.
#pragma once

#include <string>

namespace tools {

std::string new_session_id();

}  // namespace tools
