// The file encoding of a segment (snapshot and journal): one JSON object with the fields of
// DESIGN §2, absent optionals omitted (metadata and supersedes when empty); revision always. Encoding uses nlohmann::json; decoding uses simdjson's DOM
// (only storage/*.cpp may see simdjson, so the decoder takes a forward-declared element).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "storage/segment.h"
#include "storage/status.h"

namespace simdjson::dom {
class element;
}

namespace storage {

nlohmann::json segment_to_json(const Segment& segment);

// Segment::metadata as a JSON object: strings, integers, doubles (written so they read back as
// doubles: 5.0, not 5) and booleans.
nlohmann::json metadata_to_json(const Metadata& metadata);

// Appends the compact encoding to `out` (never throws; invalid UTF-8 is replaced).
void append_segment_json(const Segment& segment, std::string& out);

// A working segment of `session_id`: the same object with "tier":"working" and "session_id".
void append_working_segment_json(const Segment& segment, const std::string& session_id, std::string& out);

// Decodes one segment object; unknown fields are skipped so newer files still load.
// Corruption naming the field when a known field has the wrong type or is missing.
Result<Segment> segment_from_element(const simdjson::dom::element& element);

}  // namespace storage
