# Test sources of tests/tools (owned by whoever works on tools).
list(APPEND OOC_TEST_SOURCES)
