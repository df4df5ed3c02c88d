#include "tests/pg/pg_test_support.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace pgtest {
namespace {

std::map<std::string, std::string> read_env_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("no " + path + ": the ctest fixture pg_cluster_start did not run "
                             "(run the tests through ctest, or tests/pg/pg_cluster start " OOC_PG_CLUSTER_DIR ")");
  }
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

struct ConnDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};

std::string one_line(const char* text) {
  std::string out = text == nullptr ? "" : text;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

const std::map<std::string, std::string>& cluster_env() {
  static const std::map<std::string, std::string> env = read_env_file(OOC_PG_CLUSTER_DIR "/env");
  return env;
}

std::string conninfo(const std::string& dbname, const std::string& user) {
  const auto& env = cluster_env();
  return "host=" + env.at("PGHOST") + " port=" + env.at("PGPORT") + " user=" + user + " dbname=" + dbname;
}

storage::pg::StorageUrl url(const std::string& dbname, const std::string& user) {
  storage::Result<storage::pg::StorageUrl> parsed = storage::pg::parse_storage_url(conninfo(dbname, user));
  if (!parsed.ok()) throw std::runtime_error(parsed.status().to_string());
  return *parsed;
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + std::to_string(::getpid()) + "x" + std::to_string(counter++);
}

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string admin_exec(const std::string& dbname, const std::string& sql, const std::string& user) {
  std::unique_ptr<PGconn, ConnDeleter> conn(PQconnectdb(conninfo(dbname, user).c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error("admin_exec: cannot connect to " + dbname + ": " + one_line(PQerrorMessage(conn.get())));
  }
  PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
  std::unique_ptr<PGresult, ResultDeleter> result(PQexec(conn.get(), sql.c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("admin_exec: " + sql + ": " + one_line(PQerrorMessage(conn.get())));
  }
  if (PQntuples(result.get()) == 0 || PQnfields(result.get()) == 0) return "";
  return PQgetvalue(result.get(), 0, 0);
}

TestDatabase::TestDatabase(const std::string& owner) : name_(unique_name("ooc_t")) {
  admin_exec("postgres", "CREATE DATABASE " + quote_identifier(name_) + " OWNER " + quote_identifier(owner) +
                             " TEMPLATE template0 LOCALE 'C.UTF-8'");
}

TestDatabase::~TestDatabase() {
  try {
    admin_exec("postgres", "DROP DATABASE IF EXISTS " + quote_identifier(name_) + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The cluster goes away with the fixture's cleanup anyway.
  }
}

std::unique_ptr<storage::pg::Connection> TestDatabase::connect(const std::string& user,
                                                               const storage::pg::SessionSettings& settings) const {
  storage::Result<std::unique_ptr<storage::pg::Connection>> c = storage::pg::Connection::open(url(user), settings);
  if (!c.ok()) throw std::runtime_error(c.status().to_string());
  return std::move(*c);
}

ProcessResult run_process(const std::string& binary, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env) {
  ::signal(SIGPIPE, SIG_IGN);
  int out[2];
  int err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  std::vector<std::string> vars;
  if (const char* path = std::getenv("PATH")) vars.push_back(std::string("PATH=") + path);
  for (const auto& [name, value] : env) vars.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (std::string& v : vars) envp.push_back(v.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings = {binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(err[1]);
  if (spawned != 0) {
    ::close(out[0]);
    ::close(err[0]);
    throw std::runtime_error("cannot run " + binary);
  }
  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int fds[2] = {out[0], err[0]};
  std::string* sinks[2] = {&result.out, &result.err};
  while (fds[0] >= 0 || fds[1] >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      throw std::runtime_error(binary + " did not end within 60 s");
    }
    pollfd polled[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
    if (::poll(polled, 2, static_cast<int>(left.count())) < 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i] < 0 || polled[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(fds[i], buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i]);
        fds[i] = -1;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace pgtest
