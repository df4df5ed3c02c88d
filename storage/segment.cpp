#include "storage/segment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "storage/time_format.h"

namespace storage {
namespace {

constexpr std::array<std::string_view, 6> kTypeNames = {"message", "code", "log", "note", "decision", "summary"};

bool id_char(char c, bool first) {
  const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  if (first) return alnum;
  return alnum || c == '.' || c == '_' || c == '-';
}

std::string field(std::string_view where, std::string_view name) {
  if (where.empty()) return std::string(name);
  return std::string(where) + "." + std::string(name);
}

// Shows a value in an error message, shortened so messages stay small.
std::string shown(std::string_view value) {
  if (value.size() <= 60) return "'" + std::string(value) + "'";
  return "'" + std::string(value.substr(0, 57)) + "...'";
}

Status check_metadata(std::string_view where, std::string_view name, const std::optional<std::string>& value,
                      const SegmentLimits& limits) {
  if (!value) return Status::ok_status();
  if (value->empty()) return Status::invalid_argument(field(where, name) + ": must not be empty (omit it instead)");
  if (value->size() > limits.max_metadata_chars) {
    return Status::invalid_argument(field(where, name) + ": longer than " + std::to_string(limits.max_metadata_chars) +
                                    " bytes");
  }
  if (!is_valid_utf8(*value)) return Status::invalid_argument(field(where, name) + ": not valid UTF-8");
  for (const char c : *value) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return Status::invalid_argument(field(where, name) + ": contains a control character");
    }
  }
  return Status::ok_status();
}

Status check_timestamp(std::string_view where, std::string_view name, const std::string& value) {
  const auto canonical = canonical_rfc3339(value);
  if (!canonical || *canonical != value) {
    return Status::invalid_argument(field(where, name) + ": " + shown(value) +
                                    " is not an RFC 3339 UTC timestamp like 2026-01-02T03:04:05.000Z");
  }
  return Status::ok_status();
}

bool metadata_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == ':' || c == '-';
}

Status check_links(const Segment& s, const SegmentLimits& limits, std::string_view where) {
  if (s.supersedes.size() > limits.max_supersedes) {
    return Status::limit_exceeded(field(where, "supersedes") + ": at most " + std::to_string(limits.max_supersedes) +
                                  " ids");
  }
  for (size_t i = 0; i < s.supersedes.size(); ++i) {
    const std::string name = "supersedes[" + std::to_string(i) + "]";
    if (Status st = validate_segment_id(s.supersedes[i]); !st.ok()) {
      return Status::invalid_argument(field(where, name) + ": " + st.message());
    }
    if (s.supersedes[i] == s.segment_id) {
      return Status::invalid_argument(field(where, name) + ": " + shown(s.segment_id) +
                                      " is this segment's own id; a segment cannot supersede itself");
    }
  }
  if (s.superseded_by) {
    if (Status st = validate_segment_id(*s.superseded_by); !st.ok()) {
      return Status::invalid_argument(field(where, "superseded_by") + ": " + st.message());
    }
  }
  if (s.revision < 1) return Status::invalid_argument(field(where, "revision") + ": must be >= 1");
  return Status::ok_status();
}

}  // namespace

bool metadata_equal(const MetadataValue& a, const MetadataValue& b) {
  const auto number = [](const MetadataValue& v, double& out) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      out = static_cast<double>(*i);
      return true;
    }
    if (const auto* d = std::get_if<double>(&v)) {
      out = *d;
      return true;
    }
    return false;
  };
  double x = 0;
  double y = 0;
  if (a.index() != b.index() && number(a, x) && number(b, y)) return x == y;
  return a == b;
}

Status validate_metadata(const Metadata& metadata, const SegmentLimits& limits, std::string_view where) {
  if (metadata.size() > limits.max_metadata_keys) {
    return Status::limit_exceeded(field(where, "metadata") + ": " + std::to_string(metadata.size()) +
                                  " keys; at most " + std::to_string(limits.max_metadata_keys));
  }
  for (const auto& [key, value] : metadata) {
    const bool key_ok = !key.empty() && key.size() <= limits.max_metadata_key_chars &&
                        std::all_of(key.begin(), key.end(), metadata_key_char);
    if (!key_ok) {
      return Status::invalid_argument(field(where, "metadata") + ": key " + shown(key) + " must be 1-" +
                                      std::to_string(limits.max_metadata_key_chars) +
                                      " characters of A-Z a-z 0-9 _ . : -");
    }
    const std::string name = field(where, "metadata." + key);
    if (const auto* text = std::get_if<std::string>(&value)) {
      if (text->size() > limits.max_metadata_chars) {
        return Status::invalid_argument(name + ": longer than " + std::to_string(limits.max_metadata_chars) +
                                        " bytes");
      }
      if (!is_valid_utf8(*text)) return Status::invalid_argument(name + ": not valid UTF-8");
    }
    if (const auto* number = std::get_if<double>(&value); number != nullptr && !std::isfinite(*number)) {
      return Status::invalid_argument(name + ": must be a finite number");
    }
  }
  return Status::ok_status();
}

void carry_links(Segment& next, const Segment& previous) {
  std::vector<std::string> merged = previous.supersedes;
  for (std::string& id : next.supersedes) {
    if (std::find(merged.begin(), merged.end(), id) == merged.end()) merged.push_back(std::move(id));
  }
  next.supersedes = std::move(merged);
  if (!next.superseded_by) next.superseded_by = previous.superseded_by;
}

std::string_view to_string(SegmentType type) { return kTypeNames[static_cast<size_t>(type)]; }

std::string_view to_string(Generation generation) { return generation == Generation::kYoung ? "young" : "old"; }

std::string_view to_string(Tier tier) { return tier == Tier::kWorking ? "working" : "stashed"; }

std::optional<SegmentType> parse_segment_type(std::string_view text) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == text) return static_cast<SegmentType>(i);
  }
  return std::nullopt;
}

std::optional<Generation> parse_generation(std::string_view text) {
  if (text == "young") return Generation::kYoung;
  if (text == "old") return Generation::kOld;
  return std::nullopt;
}

std::string_view segment_type_names() { return "message, code, log, note, decision, summary"; }

Status validate_project_id(std::string_view id) {
  bool ok = !id.empty() && id.size() <= 128;
  for (size_t i = 0; ok && i < id.size(); ++i) ok = id_char(id[i], i == 0);
  if (!ok) {
    return Status::invalid_argument("project_id " + shown(id) +
                                    ": must be 1-128 characters of A-Z a-z 0-9 . _ - starting with a letter or digit");
  }
  return Status::ok_status();
}

Status validate_segment_id(std::string_view id) {
  bool ok = !id.empty() && id.size() <= 200;
  for (size_t i = 0; ok && i < id.size(); ++i) ok = id_char(id[i], i == 0) || id[i] == ':' || id[i] == '/';
  if (!ok) {
    return Status::invalid_argument("segment_id " + shown(id) +
                                    ": must be 1-200 characters of A-Z a-z 0-9 . _ : / - starting with a letter or digit");
  }
  return Status::ok_status();
}

bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

Status validate_segment(const Segment& s, const SegmentLimits& limits, std::string_view where) {
  if (Status st = validate_segment_id(s.segment_id); !st.ok()) {
    return Status::invalid_argument(field(where, st.message()));
  }
  if (Status st = validate_project_id(s.project_id); !st.ok()) {
    return Status::invalid_argument(field(where, st.message()));
  }
  if (s.text.empty()) return Status::invalid_argument(field(where, "text") + ": must not be empty");
  if (s.text.size() > limits.max_segment_bytes) {
    return Status::limit_exceeded(field(where, "text") + ": " + std::to_string(s.text.size()) +
                                  " bytes exceeds the limit of " + std::to_string(limits.max_segment_bytes) +
                                  " bytes (OUT_OF_CONTEXT_MAX_SEGMENT_BYTES); split it into several segments");
  }
  if (!is_valid_utf8(s.text)) return Status::invalid_argument(field(where, "text") + ": not valid UTF-8");
  if (Status st = check_metadata(where, "task_id", s.task_id, limits); !st.ok()) return st;
  if (Status st = check_metadata(where, "file_path", s.file_path, limits); !st.ok()) return st;
  if (Status st = check_metadata(where, "topic_id", s.topic_id, limits); !st.ok()) return st;
  if (s.line_range && (s.line_range->start < 1 || s.line_range->end < s.line_range->start)) {
    return Status::invalid_argument(field(where, "line_range") + ": needs 1 <= start <= end, got [" +
                                    std::to_string(s.line_range->start) + ", " + std::to_string(s.line_range->end) +
                                    "]");
  }
  if (s.tags.size() > limits.max_tags) {
    return Status::limit_exceeded(field(where, "tags") + ": at most " + std::to_string(limits.max_tags) + " tags");
  }
  for (size_t i = 0; i < s.tags.size(); ++i) {
    const std::string& tag = s.tags[i];
    const std::string name = "tags[" + std::to_string(i) + "]";
    if (tag.empty() || tag.size() > limits.max_tag_chars || !is_valid_utf8(tag)) {
      return Status::invalid_argument(field(where, name) + ": must be 1-" + std::to_string(limits.max_tag_chars) +
                                      " bytes of UTF-8");
    }
    for (size_t j = 0; j < i; ++j) {
      if (s.tags[j] == tag) return Status::invalid_argument(field(where, name) + ": duplicate tag " + shown(tag));
    }
  }
  if (Status st = check_timestamp(where, "created_at", s.created_at); !st.ok()) return st;
  if (Status st = check_timestamp(where, "last_touched_at", s.last_touched_at); !st.ok()) return st;
  if (s.tokens < 0) return Status::invalid_argument(field(where, "tokens") + ": must be >= 0");
  if (s.gc_survival_count < 0 || s.refcount < 0) {
    return Status::invalid_argument(field(where, "gc_survival_count/refcount") + ": must be >= 0");
  }
  if (Status st = validate_metadata(s.metadata, limits, where); !st.ok()) return st;
  return check_links(s, limits, where);
}

Segment metadata_only(const Segment& s) {
  Segment m;
  m.segment_id = s.segment_id;
  m.type = s.type;
  m.project_id = s.project_id;
  m.task_id = s.task_id;
  m.file_path = s.file_path;
  m.topic_id = s.topic_id;
  m.line_range = s.line_range;
  m.tags = s.tags;
  m.created_at = s.created_at;
  m.last_touched_at = s.last_touched_at;
  m.pinned = s.pinned;
  m.generation = s.generation;
  m.gc_survival_count = s.gc_survival_count;
  m.refcount = s.refcount;
  m.tokens = s.tokens;
  m.tier = s.tier;
  m.metadata = s.metadata;
  m.supersedes = s.supersedes;
  m.superseded_by = s.superseded_by;
  m.revision = s.revision;
  return m;
}

}  // namespace storage
