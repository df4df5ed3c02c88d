#include "storage/status.h"

namespace storage {

std::string Status::to_string() const {
  const char* prefix = "";
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kNotFound: prefix = "not found: "; break;
    case Code::kInvalidArgument: prefix = "invalid argument: "; break;
    case Code::kCorruption: prefix = "corruption: "; break;
    case Code::kIoError: prefix = "storage error: "; break;
    case Code::kConflict: prefix = "conflict: "; break;
    case Code::kLimitExceeded: prefix = "limit exceeded: "; break;
  }
  return prefix + message_;
}

}  // namespace storage
