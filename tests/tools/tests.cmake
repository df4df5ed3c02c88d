# Test sources of tests/tools.
list(APPEND OOC_TEST_SOURCES
  tools/cli_capture_test.cpp
  tools/cli_commands_test.cpp
  tools/config_test.cpp
  tools/context_delete_test.cpp
  tools/context_edit_test.cpp
  tools/context_get_working_set_test.cpp
  tools/context_list_projects_test.cpp
  tools/context_primer_test.cpp
  tools/context_retrieve_stashed_test.cpp
  tools/context_search_stashed_test.cpp
  tools/context_stash_test.cpp
  tools/context_store_test.cpp
  tools/cursor_test.cpp
  tools/error_result_test.cpp
  tools/descriptor_budget_test.cpp
  tools/hygiene_test.cpp
  tools/golden_transcript_test.cpp
  tools/hook_claude_code_test.cpp
  tools/primer_test.cpp
  tools/project_id_test.cpp
  tools/roots_project_test.cpp
  tools/storage_schema_test.cpp
  tools/tool_contract_test.cpp
)
