// Row-level security of schema v1 (SCHEMA.md "Roles and row-level security"), set up the way the
// administrator's guide says, with roles of this test's own (roles are cluster-wide).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/pg/pg_error.h"
#include "storage/pg/schema.h"
#include "tests/pg/pg_test_support.h"

namespace pg = storage::pg;

namespace {

// Creates roles on the cluster and drops them when destroyed (declare it before the database, so
// the database is dropped first).
class Roles {
 public:
  ~Roles() {
    for (auto it = names_.rbegin(); it != names_.rend(); ++it) {
      try {
        pgtest::admin_exec("postgres", "DROP ROLE IF EXISTS " + pgtest::quote_identifier(*it));
      } catch (const std::exception&) {
        // The cluster goes away with the fixture's cleanup anyway.
      }
    }
  }
  const std::string& create(const std::string& name, const std::string& options) {
    pgtest::admin_exec("postgres", "CREATE ROLE " + pgtest::quote_identifier(name) + " " + options);
    names_.push_back(name);
    return names_.back();
  }

 private:
  std::vector<std::string> names_;
};

int64_t count(pg::Connection& c, pg::Sql sql) {
  storage::Result<pg::Rows> rows = c.query(sql);
  REQUIRE_MESSAGE(rows.ok(), rows.status().to_string());
  return rows->integer(0, 0).value_or(-1);
}

bool refused_by_policy(const storage::Status& s) {
  return pg::sqlstate_of(s) == pg::sqlstate::kInsufficientPrivilege &&
         s.message().find("row-level security") != std::string::npos;
}

}  // namespace

TEST_CASE("pg rls: two teams cannot see each other's rows, a read-only member cannot write, the owner neither") {
  const std::string p = pgtest::unique_name("r");  // lower case and digits: a valid team prefix
  const std::string team_a = p + "a";
  const std::string team_b = p + "b";
  Roles roles;
  const std::string owner = roles.create(p + "_owner", "LOGIN");
  const std::string readwrite = roles.create(p + "_readwrite", "NOLOGIN");
  const std::string readonly = roles.create(p + "_readonly", "NOLOGIN");
  roles.create("ooc_team_" + team_a, "NOLOGIN IN ROLE " + pgtest::quote_identifier(readwrite));
  roles.create("ooc_team_" + team_b, "NOLOGIN IN ROLE " + pgtest::quote_identifier(readwrite));
  roles.create("ooc_team_" + team_a + "_ro", "NOLOGIN IN ROLE " + pgtest::quote_identifier(readonly));
  const std::string alice = roles.create(p + "_alice", "LOGIN IN ROLE " + pgtest::quote_identifier("ooc_team_" + team_a));
  const std::string bob = roles.create(p + "_bob", "LOGIN IN ROLE " + pgtest::quote_identifier("ooc_team_" + team_b));
  const std::string carol = roles.create(p + "_carol", "LOGIN IN ROLE " + pgtest::quote_identifier("ooc_team_" + team_a + "_ro"));

  pgtest::TestDatabase db(owner);
  {
    auto as_owner = db.connect(owner);
    REQUIRE(pg::schema::migrate(*as_owner, "rls").ok());
  }
  // Table privileges (SCHEMA.md). The read-only group also gets write privileges here, by
  // mistake on purpose: the policies alone must stop its members from writing.
  db.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + pgtest::quote_identifier(readwrite) +
              ", " + pgtest::quote_identifier(readonly),
          owner);

  auto a = db.connect(alice);
  auto b = db.connect(bob);
  auto ro = db.connect(carol);
  auto own = db.connect(owner);
  REQUIRE(a->execute("INSERT INTO ooc_projects (team, project_id) VALUES ($1, 'shared-name')", {team_a}).ok());
  REQUIRE(b->execute("INSERT INTO ooc_projects (team, project_id) VALUES ($1, 'shared-name')", {team_b}).ok());
  REQUIRE(a->execute("INSERT INTO ooc_changes (team, project_key, op) VALUES ($1, 'shared-name', 'project')", {team_a}).ok());

  // Each team sees its own rows only.
  CHECK(count(*a, "SELECT count(*) FROM ooc_projects") == 1);
  CHECK(count(*b, "SELECT count(*) FROM ooc_projects") == 1);
  CHECK(count(*b, "SELECT count(*) FROM ooc_changes") == 0);
  storage::Result<pg::Rows> seen = b->query("SELECT team FROM ooc_projects");
  REQUIRE(seen.ok());
  CHECK(seen->text(0, 0) == team_b);
  // Nor can it write into, change or delete the other team's.
  CHECK(refused_by_policy(a->execute("INSERT INTO ooc_projects (team, project_id) VALUES ($1, 'x')", {team_b})));
  CHECK(count(*a, "WITH u AS (UPDATE ooc_projects SET root_path = '/x' RETURNING 1) SELECT count(*) FROM u") ==
        1);  // its own row only
  CHECK(count(*b, "WITH d AS (DELETE FROM ooc_changes RETURNING 1) SELECT count(*) FROM d") == 0);
  CHECK(refused_by_policy(a->execute("UPDATE ooc_projects SET team = $1", {team_b})));

  // A read-only member reads its team and writes nothing.
  CHECK(count(*ro, "SELECT count(*) FROM ooc_projects") == 1);
  CHECK(count(*ro, "SELECT count(*) FROM ooc_changes") == 1);
  CHECK(refused_by_policy(ro->execute("INSERT INTO ooc_projects (team, project_id) VALUES ($1, 'y')", {team_a})));
  CHECK(count(*ro, "WITH u AS (UPDATE ooc_projects SET root_path = '/ro' RETURNING 1) SELECT count(*) FROM u") == 0);
  CHECK(count(*ro, "WITH d AS (DELETE FROM ooc_projects RETURNING 1) SELECT count(*) FROM d") == 0);

  // The tables' owner is bound too (FORCE ROW LEVEL SECURITY).
  CHECK(count(*own, "SELECT count(*) FROM ooc_projects") == 0);
  CHECK(refused_by_policy(own->execute("INSERT INTO ooc_projects (team, project_id) VALUES ($1, 'z')", {team_a})));

  // Nothing leaked: the superuser sees both teams' rows as written.
  CHECK(db.exec("SELECT count(*) FROM ooc_projects") == "2");
  CHECK(db.exec("SELECT string_agg(coalesce(root_path, '-'), ',' ORDER BY team) FROM ooc_projects") == "/x,-");
}
