# Test sources of tests/blackbox (owned by whoever works on blackbox).
list(APPEND OOC_TEST_SOURCES)
