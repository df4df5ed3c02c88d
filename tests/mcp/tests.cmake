# Test sources of tests/mcp (owned by whoever works on mcp).
list(APPEND OOC_TEST_SOURCES)
