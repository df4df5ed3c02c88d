# Test sources of tests/storage.
list(APPEND OOC_TEST_SOURCES
  storage/concurrency_test.cpp
  storage/crash_test.cpp
  storage/recovery_test.cpp
  storage/search_test.cpp
  storage/segment_test.cpp
  storage/snapshot_golden_test.cpp
  storage/store_test.cpp
)
