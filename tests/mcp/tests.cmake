# Test sources of tests/mcp (owned by whoever works on mcp).
list(APPEND OOC_TEST_SOURCES
  mcp/fake_tools.cpp
  mcp/fake_features.cpp
  mcp/cursor_test.cpp
  mcp/protocol_versions_test.cpp
  mcp/revision_router_test.cpp
  mcp/argument_normalizer_test.cpp
  mcp/tool_registry_test.cpp
  mcp/server_test.cpp
  mcp/server_paging_test.cpp
  mcp/transport_test.cpp
  mcp/golden_transcript_test.cpp
  mcp/roots_client_test.cpp
  mcp/real_schemas_test.cpp
)
