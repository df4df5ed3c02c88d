# Test sources of tests/storage/search (the ooc_search library).
list(APPEND OOC_TEST_SOURCES
  storage/search/analyzer_test.cpp
  storage/search/class_quality_test.cpp
  storage/search/ranked_classes_test.cpp
  storage/search/ranked_index_codec_test.cpp
  storage/search/ranked_index_test.cpp
  storage/search/ranked_phrases_test.cpp
  storage/search/retrieval_quality_test.cpp
  storage/search/snippet_test.cpp)

# storage/search/ knows segments and nothing of files, the journal or locks.
add_test(NAME search_layering_check
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/storage/search/check_layering.cmake)
