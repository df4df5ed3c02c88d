# Test sources of tests/storage (tests/storage/search/tests.cmake lists the search library's).
list(APPEND OOC_TEST_SOURCES
  storage/concurrency_test.cpp
  storage/crash_test.cpp
  storage/duplicates_test.cpp
  storage/file_system_test.cpp
  storage/verify_stream_test.cpp
  storage/index_file_test.cpp
  storage/journal_codec_test.cpp
  storage/journal_damage_test.cpp
  storage/recovery_test.cpp
  storage/search_test.cpp
  storage/segment_edit_test.cpp
  storage/segment_fields_test.cpp
  storage/segment_test.cpp
  storage/session_test.cpp
  storage/snapshot_damage_test.cpp
  storage/snapshot_golden_test.cpp
  storage/store_path_test.cpp
  storage/store_test.cpp
  storage/time_format_test.cpp
  storage/token_accuracy_test.cpp
  storage/token_estimate_test.cpp
  storage/bounds_test.cpp
  storage/background_compaction_test.cpp
)
