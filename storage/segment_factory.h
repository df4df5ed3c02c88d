// SegmentFactory: makes complete, valid segments from client drafts (DESIGN §2): generated ids,
// timestamps from the Clock, token estimates, deduplicated tags, then validate_segment().
//
// Not thread-safe (it counts generated ids): the Store holds it under its mutex.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/clock.h"
#include "storage/segment.h"
#include "storage/status.h"

namespace storage {

class SegmentFactory {
 public:
  SegmentFactory(const Clock& clock, SegmentLimits limits) : clock_(clock), limits_(limits) {}

  const SegmentLimits& limits() const { return limits_; }
  // The clock's time, canonical RFC 3339.
  std::string now() const;
  // `draft` completed for `project`. `existing` (may be null) is the segment it replaces, whose
  // created_at and supersede links are kept and whose revision it follows (else revision 1). invalid_argument prefixed by `where` ("segments[2]") when invalid.
  Result<Segment> build(SegmentDraft draft, const std::string& project, const Segment* existing,
                        std::string_view where);

 private:
  std::string generate_id();  // "seg-" + 12 hex

  const Clock& clock_;
  const SegmentLimits limits_;
  uint64_t id_counter_ = 0;
};

}  // namespace storage
