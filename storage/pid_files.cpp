#include "storage/pid_files.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace storage {

std::string own_pid_file(const std::string& prefix) { return prefix + std::to_string(::getpid()); }

void remove_dead_pid_files(FileSystem& fs, const std::string& prefix) {
  namespace stdfs = std::filesystem;
  const stdfs::path pattern(prefix);
  const std::string head = pattern.filename().string();
  std::error_code ec;
  for (stdfs::directory_iterator it(pattern.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= head.size() || name.compare(0, head.size(), head) != 0) continue;
    const std::string digits = name.substr(head.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto pid = static_cast<pid_t>(std::stol(digits));
    if (pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) (void)fs.remove(it->path().string());
  }
}

}  // namespace storage
