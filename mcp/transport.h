// Transport: framing only. One JSON-RPC message per line on a pair of file descriptors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcp {

class Transport {
 public:
  virtual ~Transport() = default;
  // The next non-blank line without its "\n" / "\r\n"; nullopt at end of input (or on a read
  // error). Lines longer than the limit are returned truncated-flagged via `too_long`.
  virtual std::optional<std::string> read_line(bool& too_long) = 0;
  // Writes `message` plus "\n" and flushes. False when the peer is gone.
  virtual bool write_line(std::string_view message) = 0;
};

// stdin/stdout (or any fds). Lines up to `max_line_bytes` (default 64 MiB).
class FdTransport final : public Transport {
 public:
  FdTransport(int in_fd, int out_fd, size_t max_line_bytes = 64u << 20);
  std::optional<std::string> read_line(bool& too_long) override;
  bool write_line(std::string_view message) override;

 private:
  int in_fd_;
  int out_fd_;
  size_t max_line_bytes_;
  std::string buffer_;
  size_t start_ = 0;
  bool eof_ = false;
};

// Serves until end of input or until `stop` becomes true (checked between lines).
// Returns 0 on a clean end.
int serve(class Server& server, Transport& transport, const volatile bool* stop = nullptr);

}  // namespace mcp
