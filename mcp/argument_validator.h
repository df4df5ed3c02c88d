// ArgumentValidator: checks tool arguments against a tool's inputSchema (JSON Schema, via
// valijson's draft-7 engine: type, properties, required, additionalProperties, items, enum,
// const, minimum/maximum, minLength/maxLength, pattern, minItems/maxItems, uniqueItems, allOf/
// anyOf/oneOf/not, $ref within the document) and turns failures into model-facing text:
// "segments[2].type: must be one of message, code, log, note, decision, summary".
//
// Contract: never throws (valijson exceptions are caught at this boundary); compile() reports a
// schema valijson cannot load as an error string. validate() is const and thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mcp/json.h"

namespace valijson {
class Schema;
}

namespace mcp {

class ArgumentValidator {
 public:
  // Loads `schema`. nullopt + `error` set when valijson rejects it.
  static std::unique_ptr<ArgumentValidator> compile(const Json& schema, std::string& error);
  ~ArgumentValidator();
  ArgumentValidator(const ArgumentValidator&) = delete;
  ArgumentValidator& operator=(const ArgumentValidator&) = delete;

  // Empty when `arguments` conforms. Otherwise the most specific (deepest) failures, one
  // "path: reason" per entry, at most `max_errors`, plus "(N more problems)" when some were cut.
  std::vector<std::string> validate(const Json& arguments, size_t max_errors = 3) const;

 private:
  ArgumentValidator(Json schema, std::unique_ptr<valijson::Schema> compiled);
  Json schema_;
  std::unique_ptr<valijson::Schema> compiled_;
};

}  // namespace mcp
