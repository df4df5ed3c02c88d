# The PostgreSQL team store's tests (issue 14): their own binary, ooc_pg_tests, one ctest per
# TEST_CASE, all on the throwaway cluster of the ctest fixture `pg`: pg_cluster_start starts it in
# ${CMAKE_BINARY_DIR}/pg-cluster (tests/pg/pg_cluster, as a non-root user, Unix socket only) and
# pg_cluster_stop stops and removes it. Each test makes a database of its own, so they run in
# parallel. Included when OOC_WITH_POSTGRES.
set(OOC_PG_CLUSTER_DIR "${CMAKE_BINARY_DIR}/pg-cluster")
add_test(NAME pg_cluster_start COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/pg/pg_cluster start ${OOC_PG_CLUSTER_DIR})
add_test(NAME pg_cluster_stop COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/pg/pg_cluster stop ${OOC_PG_CLUSTER_DIR})
set_tests_properties(pg_cluster_start PROPERTIES FIXTURES_SETUP pg TIMEOUT 120)
set_tests_properties(pg_cluster_stop PROPERTIES FIXTURES_CLEANUP pg TIMEOUT 120)

# `ooc db` in a binary without the engine: the self-contained ooc-static when this configuration
# builds it, else the same main.cpp compiled without OOC_WITH_POSTGRES.
if(TARGET ooc_static)
  set(OOC_NO_PG_TARGET ooc_static)
else()
  add_executable(ooc_nopg ${PROJECT_SOURCE_DIR}/tools/main.cpp)
  target_link_libraries(ooc_nopg PRIVATE ooc_options ooc_tools ooc_mcp ooc_storage CLI11::CLI11 spdlog::spdlog)
  set(OOC_NO_PG_TARGET ooc_nopg)
endif()

find_package(Threads REQUIRED)
add_executable(ooc_pg_tests
  main.cpp
  support/temp_dir.cpp
  pg/pg_test_support.cpp
  pg/connection_test.cpp
  pg/pg_engine_cli_test.cpp
  pg/pg_engine_concurrency_test.cpp
  pg/pg_engine_ranking_test.cpp
  pg/pg_engine_sessions_test.cpp
  pg/pg_engine_test.cpp
  pg/db_cli_test.cpp
  pg/rls_test.cpp
  pg/schema_test.cpp
  pg/storage_url_test.cpp
)
target_link_libraries(ooc_pg_tests PRIVATE ooc_options ooc_pg ooc_pg_engine ooc_libpq ooc_mcp doctest::doctest spdlog::spdlog
  Threads::Threads)
target_compile_definitions(ooc_pg_tests PRIVATE
  OOC_BINARY="$<TARGET_FILE:ooc>"
  OOC_NO_PG_BINARY="$<TARGET_FILE:${OOC_NO_PG_TARGET}>"
  OOC_PG_CLUSTER_DIR="${OOC_PG_CLUSTER_DIR}"
  OOC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(ooc_pg_tests ooc ${OOC_NO_PG_TARGET})
doctest_discover_tests(ooc_pg_tests PROPERTIES FIXTURES_REQUIRED pg LABELS pg)

# pg_cluster names the missing package instead of failing obscurely (PG_BIN points nowhere).
add_test(NAME pg_cluster_without_postgresql
  COMMAND ${CMAKE_COMMAND} -E env PG_BIN=/nonexistent/bin
          ${CMAKE_CURRENT_SOURCE_DIR}/pg/pg_cluster start ${CMAKE_BINARY_DIR}/pg-cluster-missing)
set_tests_properties(pg_cluster_without_postgresql PROPERTIES
  PASS_REGULAR_EXPRESSION "initdb not found: install postgresql-15")

# The tool-level suite (tests/tools) on the PostgreSQL engine: ooc_tests built with it
# (OOC_TESTS_WITH_POSTGRES) and run with OOC_TEST_ENGINE_URL (tests/tools/tool_test_support.h).
# The tool tests' files; a harness given a file system of its own (injected faults) stays on the
# file engine.
target_link_libraries(ooc_tests PRIVATE ooc_pg_engine ooc_pg)
target_compile_definitions(ooc_tests PRIVATE OOC_TESTS_WITH_POSTGRES)
add_test(NAME "tool suite on the PostgreSQL engine"
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/pg/run_tool_suite_on_pg $<TARGET_FILE:ooc> $<TARGET_FILE:ooc_tests>
          ${OOC_PG_CLUSTER_DIR}
          "--source-file=*tests/tools/context_*,*tests/tools/primer_test*,*tests/tools/hygiene_test*,*tests/tools/cursor_test*,*tests/tools/tool_contract_test*")
set_tests_properties("tool suite on the PostgreSQL engine" PROPERTIES FIXTURES_REQUIRED pg LABELS pg TIMEOUT 600)

# The engine-level suite (tests/storage, through open_store of store_test_support.h) on the
# PostgreSQL engine: its cases about stores as such, not about files (journal, snapshot, crash
# points, paths), which run on the file engine only.
add_test(NAME "engine suite on the PostgreSQL engine"
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/pg/run_tool_suite_on_pg $<TARGET_FILE:ooc> $<TARGET_FILE:ooc_tests>
          ${OOC_PG_CLUSTER_DIR}
          "--source-file=*tests/storage/store_test*,*tests/storage/segment_edit_test*,*tests/storage/segment_fields_test*,*tests/storage/session_test*,*tests/storage/duplicates_test*,*tests/storage/search_test*"
          "--test-case-exclude=*in the JSON file,*owner-only permissions,*snapshot written before*")
set_tests_properties("engine suite on the PostgreSQL engine" PROPERTIES FIXTURES_REQUIRED pg LABELS pg TIMEOUT 600)
