// Dates as search terms (issue 12, class "dates live outside the text"): a segment's created_at is
// indexed as date terms, and date expressions of a query look up the same terms, so "what broke on
// 10 June" finds the segments created that day although their text names no date.
//
// Terms start with '@', which the analyzer never emits: "@d2025-06-10" (day), "@m2025-06" (month),
// "@md06-10" (day of a month in any year), "@mo06" (month in any year).
// Query expressions (case-insensitive; ',' and '.' after a word are ignored):
//   ISO 2025-06-10 / 2025-06; "10 June 2025", "June 10, 2025", "10th of June 2025"; "June 2025";
//   "10 June" / "June 10" (any year); a month name alone ("in June"; "may" and the three-letter
//   abbreviations only next to a number or after "in"/"during"/"since");
//   relative to `now`: today, yesterday, "N days ago", "last/past/this week", "last/this month".
// A bare number or year is never a date: plain numbers stay plain words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace storage {

// The date terms of a canonical RFC 3339 created_at; nothing when it is not one.
void created_at_terms(std::string_view created_at, std::vector<std::string>& out);

// The date terms named by the query `words` (as typed), with `now` (RFC 3339; empty: no relative
// dates) as the clock. Deduplicated, in first-seen order. `used`, when given, receives one flag a
// word: true for the words of a date expression (search weighs them less as plain words, so the
// "10" of "June 10" does not rank every "10" in the text).
std::vector<std::string> query_date_terms(const std::vector<std::string>& words, std::string_view now,
                                          std::vector<bool>* used = nullptr);

}  // namespace storage
