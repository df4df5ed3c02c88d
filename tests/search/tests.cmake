# Test sources of tests/search (owned by whoever works on search).
list(APPEND OOC_TEST_SOURCES)
