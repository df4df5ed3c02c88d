// Edits in place of a segment's text (issue 11 #4, context_edit): append, or replace a range of
// lines. Pure functions; the Store checks the revision and commits the new version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/status.h"

namespace storage {

struct LineReplacement {
  int64_t start = 1;  // 1-based, inclusive
  int64_t end = 1;    // >= start, at most the text's line count
  std::string text;   // empty: the lines are deleted
};

// Exactly one of the two is set.
struct EditChange {
  std::optional<std::string> append;
  std::optional<LineReplacement> replace_lines;
};

// The lines of `text`: pieces ended by '\n', plus the piece after the last '\n' when it is not
// empty ("a\nb\n" and "a\nb" both have 2 lines).
int64_t count_lines(const std::string& text);

// `text` after `change`:
// - append: the appended text follows a '\n' (inserted when `text` does not end with one).
// - replace_lines: lines start..end become `replacement.text`; when the last replaced line ended
//   with '\n' the replacement ends with one too (added when missing), so the next line stays a line.
// invalid_argument naming the line count for a range outside the text, or neither/both set.
Result<std::string> apply_edit(const std::string& text, const EditChange& change);

}  // namespace storage
