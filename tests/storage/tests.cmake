# Test sources of tests/storage (owned by whoever works on storage).
list(APPEND OOC_TEST_SOURCES)
