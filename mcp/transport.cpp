#include "mcp/transport.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "mcp/jsonrpc.h"
#include "mcp/server.h"

namespace mcp {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;
constexpr size_t kCompactAfter = 1 << 20;

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string::npos; }

}  // namespace

FdTransport::FdTransport(int in_fd, int out_fd, size_t max_line_bytes, int idle_ms)
    : in_fd_(in_fd), out_fd_(out_fd), max_line_bytes_(max_line_bytes), idle_ms_(idle_ms) {}

ReadResult FdTransport::take_line(size_t newline) {
  ReadResult result;
  size_t end = newline;
  if (end > start_ && buffer_[end - 1] == '\r') --end;
  const size_t length = end - start_;
  if (length > max_line_bytes_) {
    result.status = ReadStatus::kTooLong;
    result.bytes = length;
  } else {
    result.status = ReadStatus::kLine;
    result.line.assign(buffer_, start_, length);
  }
  start_ = newline + 1;
  scan_ = start_;
  if (start_ >= buffer_.size()) {
    buffer_.clear();
    start_ = scan_ = 0;
  } else if (start_ > kCompactAfter) {
    buffer_.erase(0, start_);
    start_ = scan_ = 0;
  }
  return result;
}

ReadResult FdTransport::read() {
  for (;;) {
    if (discarding_) {
      const size_t newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        discarding_ = false;
        ReadResult result{ReadStatus::kTooLong, "", discarded_ + newline};
        buffer_.erase(0, newline + 1);
        start_ = scan_ = 0;
        return result;
      }
      discarded_ += buffer_.size();
      buffer_.clear();
    } else {
      const size_t newline = buffer_.find('\n', scan_);
      if (newline != std::string::npos) {
        ReadResult result = take_line(newline);
        if (result.status == ReadStatus::kLine && is_blank(result.line)) continue;
        return result;
      }
      scan_ = buffer_.size();
      // Over the limit with no newline yet (+1 leaves room for a "\r"): drop what we have and
      // skip to the end of this line.
      if (buffer_.size() - start_ > max_line_bytes_ + 1) {
        discarding_ = true;
        discarded_ = buffer_.size() - start_;
        buffer_.clear();
        start_ = scan_ = 0;
      }
    }
    if (eof_) {
      if (discarding_) {
        discarding_ = false;
        return ReadResult{ReadStatus::kTooLong, "", discarded_};
      }
      if (start_ < buffer_.size()) {  // an unterminated last line
        buffer_ += '\n';
        continue;
      }
      return ReadResult{ReadStatus::kEnd, "", 0};
    }
    pollfd p{in_fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, idle_ms_);
    if (ready < 0 && errno != EINTR) {
      spdlog::error("poll on input failed: {}", std::strerror(errno));
      eof_ = true;
      continue;
    }
    if (ready <= 0) return ReadResult{ReadStatus::kIdle, "", 0};
    char chunk[kChunkBytes];
    const ssize_t n = ::read(in_fd_, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) {
        return ReadResult{ReadStatus::kIdle, "", 0};
      }
      spdlog::error("read from input failed: {}", std::strerror(errno));
      eof_ = true;
    } else if (n == 0) {
      eof_ = true;
    } else {
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
}

bool FdTransport::write(std::string_view message) {
  std::string data;
  data.reserve(message.size() + 1);
  data.append(message);
  data.push_back('\n');
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(out_fd_, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      spdlog::warn("write to output failed: {}", std::strerror(errno));
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

namespace {

int serve_until(Server& server, Transport& transport, const std::function<bool()>& stopped) {
  while (!stopped()) {
    ReadResult in = transport.read();
    switch (in.status) {
      case ReadStatus::kEnd:
        return 0;
      case ReadStatus::kIdle:
        continue;
      case ReadStatus::kTooLong: {
        spdlog::warn("discarded an input line of {} bytes (limit {})", in.bytes,
                     transport.max_line_bytes());
        const Json error = jsonrpc::error_response(
            std::nullopt, jsonrpc::kInvalidRequest,
            "Invalid Request: message of " + std::to_string(in.bytes) +
                " bytes exceeds the line limit of " + std::to_string(transport.max_line_bytes()) +
                " bytes; it was discarded");
        if (!transport.write(dump_compact(error))) return 1;
        continue;
      }
      case ReadStatus::kLine:
        break;
    }
    if (std::optional<std::string> reply = server.handle(in.line)) {
      if (!transport.write(*reply)) return 1;
    }
    // Requests the server sends on its own (roots/list), after the reply to the line that
    // caused them.
    for (const std::string& request : server.take_outgoing()) {
      if (!transport.write(request)) return 1;
    }
  }
  return 0;
}

}  // namespace

int serve(Server& server, Transport& transport, const std::atomic<bool>* stop) {
  return serve_until(server, transport, [stop] { return stop != nullptr && stop->load(); });
}

int serve(Server& server, Transport& transport, const volatile std::sig_atomic_t* stop) {
  return serve_until(server, transport, [stop] { return stop != nullptr && *stop != 0; });
}

}  // namespace mcp
