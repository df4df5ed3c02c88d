# Test sources of tests/search (owned by whoever works on search).
list(APPEND OOC_TEST_SOURCES
  search/analyzer_test.cpp
  search/ranked_index_test.cpp
  search/snippet_test.cpp)
list(APPEND OOC_TEST_SOURCES search/retrieval_quality_test.cpp)
