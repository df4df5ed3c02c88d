// The JSON files of schemas/, embedded into the binary at build time (schemas/CMakeLists.txt).
// Tool descriptors come with the shared fragments of schemas/fragments/ already spliced in
// (embed_schemas.cmake), so they are exactly what tools/list returns.
#pragma once

#include <string_view>
#include <vector>

namespace schemas {

struct EmbeddedSchema {
  std::string_view name;  // tool name, e.g. "context_stash"
  std::string_view json;  // the complete tools/list descriptor
};

// Every tool descriptor, sorted by name.
const std::vector<EmbeddedSchema>& tool_descriptors();

// schemas/storage.schema.json: JSON Schema of the on-disk snapshot.
std::string_view storage_schema();

}  // namespace schemas
