#include "mcp/transport.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "fake_tools.h"
#include "mcp/server.h"

namespace {

// A pipe whose ends close on destruction.
struct Pipe {
  Pipe() { REQUIRE(::pipe(fds) == 0); }
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (fds[0] >= 0) ::close(fds[0]);
    fds[0] = -1;
  }
  void close_write() {
    if (fds[1] >= 0) ::close(fds[1]);
    fds[1] = -1;
  }
  int read_end() const { return fds[0]; }
  int write_end() const { return fds[1]; }
  int fds[2] = {-1, -1};
};

void write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    REQUIRE(n > 0);
    done += static_cast<size_t>(n);
  }
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Feeds `input` (then EOF) and returns every read() result until kEnd.
std::vector<mcp::ReadResult> read_everything(const std::string& input, size_t limit) {
  Pipe in;
  std::thread writer([&] {
    write_all(in.write_end(), input);
    in.close_write();
  });
  mcp::FdTransport transport(in.read_end(), -1, limit);
  std::vector<mcp::ReadResult> results;
  for (;;) {
    mcp::ReadResult r = transport.read();
    if (r.status == mcp::ReadStatus::kIdle) continue;
    if (r.status == mcp::ReadStatus::kEnd) break;
    results.push_back(std::move(r));
  }
  writer.join();
  return results;
}

}  // namespace

TEST_CASE("transport: CRLF is stripped and blank lines are skipped") {
  const auto lines = read_everything("a\r\n\r\n\n  \nb\nc\r\n", 1024);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].line == "a");
  CHECK(lines[1].line == "b");
  CHECK(lines[2].line == "c");
}

TEST_CASE("transport: an unterminated last line is still delivered before the end") {
  const auto lines = read_everything("first\nlast", 1024);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].line == "last");
  CHECK(lines[1].status == mcp::ReadStatus::kLine);
}

TEST_CASE("transport: a line over the limit is discarded and reading continues") {
  const std::string big(100, 'x');
  const auto lines = read_everything("ok\n" + big + "\nafter\n" + big, 16);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].line == "ok");
  CHECK(lines[1].status == mcp::ReadStatus::kTooLong);
  CHECK(lines[1].bytes == 100);
  CHECK(lines[2].line == "after");
  CHECK(lines[3].status == mcp::ReadStatus::kTooLong);
}

TEST_CASE("transport: a line of exactly the limit is accepted, with or without CR") {
  const std::string exact(16, 'y');
  const auto lines = read_everything(exact + "\n" + exact + "\r\n", 16);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].line == exact);
  CHECK(lines[1].line == exact);
}

TEST_CASE("transport: a line over 64 MiB through a pipe gets -32600 and serving continues") {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  mcp::Server server(mcp_test::make_config(), registry);
  Pipe in;
  Pipe out;
  std::thread writer([&] {
    std::string big = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":")";
    big.append(mcp::FdTransport::kDefaultMaxLineBytes, 'x');
    big += "\"}}\n";
    write_all(in.write_end(), big);
    write_all(in.write_end(), "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n");
    in.close_write();
  });
  std::string output;
  std::thread reader([&] { output = read_all(out.read_end()); });
  mcp::FdTransport transport(in.read_end(), out.write_end());
  CHECK(mcp::serve(server, transport) == 0);
  out.close_write();
  writer.join();
  reader.join();
  const size_t newline = output.find('\n');
  REQUIRE(newline != std::string::npos);
  const mcp::Json error = mcp_test::parse(output.substr(0, newline));
  CHECK(error.at("error").at("code") == -32600);
  CHECK_FALSE(error.contains("id"));
  CHECK(output.substr(newline + 1) == "{\"id\":2,\"jsonrpc\":\"2.0\",\"result\":{}}\n");
}

TEST_CASE("transport: serve answers requests line by line and returns 0 at EOF") {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  mcp::Server server(mcp_test::make_config(), registry);
  Pipe in;
  Pipe out;
  write_all(in.write_end(),
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r\n\n"
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
            "{\"jsonrpc\":\"2.0\",\"id\":\"2\",\"method\":\"ping\"}");
  in.close_write();
  mcp::FdTransport transport(in.read_end(), out.write_end());
  CHECK(mcp::serve(server, transport) == 0);
  out.close_write();
  CHECK(read_all(out.read_end()) ==
        "{\"id\":1,\"jsonrpc\":\"2.0\",\"result\":{}}\n"
        "{\"id\":\"2\",\"jsonrpc\":\"2.0\",\"result\":{}}\n");
}

TEST_CASE("transport: serve returns 0 when the stop flag is set while the read is blocked") {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  mcp::Server server(mcp_test::make_config(), registry);
  Pipe in;  // the write end stays open: without the flag, serve would block forever
  Pipe out;
  std::atomic<bool> stop{false};
  std::thread stopper([&] { stop.store(true); });
  mcp::FdTransport transport(in.read_end(), out.write_end(), 1024, 20);
  CHECK(mcp::serve(server, transport, &stop) == 0);
  stopper.join();
}

TEST_CASE("transport: serve honours a sig_atomic_t stop flag that is already set") {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  mcp::Server server(mcp_test::make_config(), registry);
  Pipe in;
  volatile std::sig_atomic_t stop = 1;
  mcp::FdTransport transport(in.read_end(), -1);
  CHECK(mcp::serve(server, transport, &stop) == 0);
}

TEST_CASE("transport: serve returns 1 when the output is gone") {
  const mcp::ToolRegistry registry = mcp_test::make_registry();
  mcp::Server server(mcp_test::make_config(), registry);
  Pipe in;
  write_all(in.write_end(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n");
  in.close_write();
  mcp::FdTransport transport(in.read_end(), -1);  // writes fail with EBADF
  CHECK(mcp::serve(server, transport) == 1);
}
