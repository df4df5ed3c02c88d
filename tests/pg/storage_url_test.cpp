// OUT_OF_CONTEXT_STORAGE_URL (storage/pg/storage_url.h): what it accepts, and that a password
// inside it is refused without ever being repeated.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/pg/storage_url.h"

namespace pg = storage::pg;

namespace {

constexpr const char* kSecret = "hunter2-Secret";

void check_refused_without_secret(const std::string& text) {
  INFO("setting: " << text);
  storage::Result<pg::StorageUrl> url = pg::parse_storage_url(text);
  REQUIRE_FALSE(url.ok());
  CHECK(url.status().code() == storage::Status::Code::kInvalidArgument);
  const std::string message = url.status().message();
  CHECK(message.find("OUT_OF_CONTEXT_STORAGE_URL") != std::string::npos);
  CHECK(message.find(kSecret) == std::string::npos);
}

}  // namespace

TEST_CASE("pg url: postgresql and postgres URLs and key=value strings are accepted and described") {
  for (const std::string text : {"postgresql://db.example.com:5433/ooc", "postgres://alice@db.example.com/ooc",
                                 "postgresql:///ooc?host=/run/postgresql", "host=/run/postgresql port=5432 dbname=ooc",
                                 "postgresql://db1,db2/ooc?target_session_attrs=read-write&sslmode=verify-full"}) {
    INFO(text);
    storage::Result<pg::StorageUrl> url = pg::parse_storage_url(text);
    REQUIRE(url.ok());
    CHECK(url->conninfo == text);
  }
  storage::Result<pg::StorageUrl> url = pg::parse_storage_url("postgresql://alice@db.example.com:5433/ooc");
  REQUIRE(url.ok());
  CHECK(url->description == "host db.example.com port 5433 dbname ooc user alice");
}

TEST_CASE("pg url: a service name is accepted (credentials then come from the service file)") {
  storage::Result<pg::StorageUrl> url = pg::parse_storage_url("service=ooc_team");
  REQUIRE(url.ok());
  CHECK(url->description == "service ooc_team");
  CHECK(pg::parse_storage_url("postgresql:///?service=ooc_team").ok());
}

TEST_CASE("pg url: a password in the user info of a URL is refused, saying where credentials go") {
  storage::Result<pg::StorageUrl> url = pg::parse_storage_url(std::string("postgresql://alice:") + kSecret + "@db/ooc");
  REQUIRE_FALSE(url.ok());
  const std::string message = url.status().message();
  CHECK(message.find("OUT_OF_CONTEXT_STORAGE_URL") != std::string::npos);
  CHECK(message.find("password") != std::string::npos);
  for (const char* where : {"~/.pgpass", "PGPASSFILE", "service file", "client certificates", "PG*"}) {
    CHECK_MESSAGE(message.find(where) != std::string::npos, "names " << where << ": " << message);
  }
  CHECK(message.find(kSecret) == std::string::npos);
}

TEST_CASE("pg url: password and sslpassword keywords are refused in every spelling, never echoed") {
  const std::string s = kSecret;
  for (const std::string& text : std::vector<std::string>{
           "postgres://alice:" + s + "@db/ooc",
           "postgresql://db/ooc?password=" + s,
           "postgresql://db/ooc?sslmode=require&pass%77ord=" + s,
           "postgresql://db/ooc?sslpassword=" + s,
           "host=db password=" + s + " dbname=ooc",
           "host=db password = '" + s + " with spaces' dbname=ooc",
           "password=" + s,
           "sslpassword=" + s + " host=db",
           // Malformed too: refused before libpq could quote it back in its error message.
           "postgresql://alice:" + s + "@[::1/ooc",
           "postgresql://alice:" + s + "%zz@db/ooc",
           "host=db password='" + s,
       }) {
    check_refused_without_secret(text);
  }
}

TEST_CASE("pg url: a malformed setting is refused with libpq's reason") {
  storage::Result<pg::StorageUrl> url = pg::parse_storage_url("host=db bogus_keyword=1");
  REQUIRE_FALSE(url.ok());
  CHECK(url.status().message() ==
        "OUT_OF_CONTEXT_STORAGE_URL: not a valid libpq connection string or URL: invalid connection option \"bogus_keyword\"");
  storage::Result<pg::StorageUrl> bad_uri = pg::parse_storage_url("postgresql://[::1/ooc");
  REQUIRE_FALSE(bad_uri.ok());
  CHECK(bad_uri.status().message().find("not a valid libpq connection string or URL: ") != std::string::npos);
  storage::Result<pg::StorageUrl> not_pg = pg::parse_storage_url("/home/me/.out_of_context");
  REQUIRE_FALSE(not_pg.ok());
  CHECK(not_pg.status().message().find("not a PostgreSQL connection setting") != std::string::npos);
  CHECK_FALSE(pg::parse_storage_url("").ok());
}

TEST_CASE("pg url: redaction masks exactly the secret values") {
  CHECK(pg::redact_storage_url("postgresql://alice:pw@db/ooc?sslpassword=x&sslmode=require") ==
        "postgresql://alice:***@db/ooc?sslpassword=***&sslmode=require");
  CHECK(pg::redact_storage_url("host=db password='a b\\' c' dbname=ooc") == "host=db password=*** dbname=ooc");
  CHECK(pg::redact_storage_url("postgresql://alice@db/ooc") == "postgresql://alice@db/ooc");
  CHECK(pg::looks_like_postgres_url("service=x"));
  CHECK_FALSE(pg::looks_like_postgres_url("~/.out_of_context/storage.json"));
}
