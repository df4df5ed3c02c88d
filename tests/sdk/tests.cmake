# End-to-end test with the official MCP TypeScript SDK clients (tests/sdk/e2e.mjs).
# Included from tests/CMakeLists.txt, so CMAKE_CURRENT_SOURCE_DIR is tests/.
# Needs node and the pinned packages: `npm ci --prefix tests/sdk --no-audit --no-fund` (scripts/test
# runs it first), then re-run cmake.
find_program(NODE node)
if(NODE AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/sdk/node_modules)
  add_test(NAME sdk_e2e COMMAND ${NODE} ${CMAKE_CURRENT_SOURCE_DIR}/sdk/e2e.mjs $<TARGET_FILE:ooc>)
  set_tests_properties(sdk_e2e PROPERTIES TIMEOUT 120)
elseif(NOT NODE)
  message(STATUS "sdk_e2e skipped: node not found (install Node 20+; scripts/test runs `npm ci --prefix tests/sdk` first)")
else()
  message(STATUS "sdk_e2e skipped: ${CMAKE_CURRENT_SOURCE_DIR}/sdk/node_modules is missing; "
                 "scripts/test runs `npm ci --prefix tests/sdk --no-audit --no-fund` first, then configures")
endif()
