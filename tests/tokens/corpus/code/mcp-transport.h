// Transport: framing only (DESIGN §5, MCP 2024-11-05 stdio). One JSON-RPC message per line;
// "\r" before "\n" is stripped, blank lines are skipped, an unterminated last line still counts.
// The Server never touches streams; serve() connects the two.
//
// Contract: read()/write() never throw. Lines longer than the limit are discarded (up to their
// newline) and reported as kTooLong, and reading continues. Not thread-safe: one reader thread.
//
// Shutdown (what main must do):
//   - ignore SIGPIPE (signal(SIGPIPE, SIG_IGN)) so a vanished client shows up as a failed
//     write (serve returns 1) instead of killing the process;
//   - install the SIGTERM/SIGINT handler with sigaction() and sa_flags = 0 (no SA_RESTART); the
//     handler only stores true into a std::atomic<bool> (or volatile std::sig_atomic_t) that is
//     passed to serve(). FdTransport waits in poll(), which the signal interrupts (EINTR, even
//     with SA_RESTART); poll also wakes every `idle_ms`, so a signal arriving just before the
//     wait is still noticed within that bound. serve() then returns 0.
#pragma once

#include <atomic>
#include <csignal>
#include <cstddef>
#include <string>
#include <string_view>

namespace mcp {

class Server;

enum class ReadStatus {
  kLine,     // `line` holds the next message (no "\n" / "\r\n")
  kTooLong,  // a line over the limit was discarded; `bytes` is its length
  kIdle,     // nothing yet (interrupted by a signal or idle timeout): check the stop flag
  kEnd,      // end of input (or an unrecoverable read error, logged)
};

struct ReadResult {
  ReadStatus status = ReadStatus::kEnd;
  std::string line;
  size_t bytes = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual ReadResult read() = 0;
  // Writes `message` plus "\n" (complete, retrying short writes and EINTR). False when the peer
  // is gone or the write failed.
  virtual bool write(std::string_view message) = 0;
  // The limit reported in the error for kTooLong.
  virtual size_t max_line_bytes() const = 0;
};

// A pair of file descriptors (stdin/stdout in production, pipes in tests). Does not own them.
class FdTransport final : public Transport {
 public:
  static constexpr size_t kDefaultMaxLineBytes = size_t{64} << 20;  // 64 MiB (DESIGN §5)
  static constexpr int kDefaultIdleMs = 250;

  FdTransport(int in_fd, int out_fd, size_t max_line_bytes = kDefaultMaxLineBytes,
              int idle_ms = kDefaultIdleMs);
  ReadResult read() override;
  bool write(std::string_view message) override;
  size_t max_line_bytes() const override { return max_line_bytes_; }

 private:
  ReadResult take_line(size_t newline);
  int in_fd_;
  int out_fd_;
  size_t max_line_bytes_;
  int idle_ms_;
  std::string buffer_;
  size_t start_ = 0;  // first unconsumed byte of buffer_
  size_t scan_ = 0;   // bytes before this were searched for "\n" already
  bool discarding_ = false;
  size_t discarded_ = 0;
  bool eof_ = false;
};

// Reads lines, hands them to server.handle() and writes the replies, then whatever the server
// queued to send on its own (Server::take_outgoing), until end of input (0),
// a failed write (1), or `*stop` becomes true (0; checked before every read and whenever the
// transport reports kIdle). A line over the limit is answered with -32600 (no id) and serving
// continues.
int serve(Server& server, Transport& transport, const std::atomic<bool>* stop = nullptr);
int serve(Server& server, Transport& transport, const volatile std::sig_atomic_t* stop);

}  // namespace mcp
