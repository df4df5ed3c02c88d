// TempDir: a fresh directory under $TMPDIR (or /tmp), removed with its contents when destroyed.
// Tests never touch ~/.out_of_context.
#pragma once

#include <string>

namespace testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Whole file as a string ("" when missing); writes a file (mode 0600).
std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& bytes);

}  // namespace testing
