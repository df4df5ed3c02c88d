// normalize_arguments: forgives the slips models make in tool arguments, before validation, guided
// by the tool's inputSchema. Each slip would otherwise cost a round trip for an error the model
// can only answer with the value it meant. Walks `properties` and `items` (object form) from the
// root; wherever the schema's `type` wants one thing and the value is a string:
//
//   array or object   a string that parses as JSON to an array or object is replaced by it
//                     (clients that stringify structured arguments, DESIGN §5)
//   array             otherwise, when the `items` schema would take that string (items of type
//                     "string", an `enum` holding it, no type, or no `items`): "x" -> ["x"]
//   integer           "-12" (^-?[0-9]+$, within int64) -> -12; bounds are the validator's job
//   boolean           exactly "true" / "false" -> true / false. Lower case only: these are the
//                     JSON literals a serializer writes; "True", "yes" and "1" stay strings.
//
// Everything else is left alone, so the validator reports it as before ("5x", "yes", a number
// where a string is wanted, an object where an array is wanted). The new rules apply only when
// `type` names a single type; a schema that takes strings (type "string" among its types, or an
// `enum` holding the string) never has its string changed. No schema uses "number" yet; add it
// here when one does. The schemas keep advertising the precise types.
//
// Contract: pure, never throws, does not look at `$ref` or anyOf/oneOf branches.
#pragma once

#include <string>
#include <vector>

#include "mcp/json.h"

namespace mcp {

struct NormalizedArguments {
  Json value;
  // One per change, in document order (object keys sorted): `limit "5" → 5`,
  // `segments[0].tags "auth" → ["auth"]`. Long values are cut with "…".
  std::vector<std::string> notes;
};

NormalizedArguments normalize_arguments(const Json& arguments, const Json& schema);

// The sentence appended to a reply's summary: `Normalized: limit "5" → 5; tags "a" → ["a"].`,
// at most three notes then "and N more". Empty when `notes` is.
std::string normalization_sentence(const std::vector<std::string>& notes);

}  // namespace mcp
