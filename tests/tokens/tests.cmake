# tests/tokens: the labelled corpus of tests/storage/token_accuracy_test.cpp.
# Included from tests/CMakeLists.txt, so CMAKE_CURRENT_SOURCE_DIR is tests/.
# The labels must match the corpus; the check needs node and `npm ci --prefix tests/tokens`
# (scripts/test runs it) and is skipped without them.
add_test(NAME token_labels_check COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tokens/check_labels.sh)
set_tests_properties(token_labels_check PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
