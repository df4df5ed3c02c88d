# Test sources of tests/blackbox: the real ooc binary (OOC_BINARY) over pipes.
list(APPEND OOC_TEST_SOURCES
  blackbox/ooc_process.cpp
  blackbox/cli_blackbox_test.cpp
  blackbox/config_cli_blackbox_test.cpp
  blackbox/corruption_blackbox_test.cpp
  blackbox/crash_point_blackbox_test.cpp
  blackbox/server_blackbox_test.cpp
  blackbox/session_blackbox_test.cpp
  blackbox/kill_blackbox_test.cpp
  blackbox/lock_blackbox_test.cpp
  blackbox/storage_path_blackbox_test.cpp)
