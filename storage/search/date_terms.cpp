// Dates as search terms: see date_terms.h.
#include "storage/search/date_terms.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>

#include "storage/time_format.h"

namespace storage {
namespace {

struct Ymd {
  int y = 0;  // 0: any year
  int m = 0;
  int d = 0;  // 0: whole month
};

std::string two(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

std::string four(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d", v);
  return buf;
}

void push_unique(std::vector<std::string>& out, std::string term) {
  if (std::find(out.begin(), out.end(), term) == out.end()) out.push_back(std::move(term));
}

void terms_of(const Ymd& date, std::vector<std::string>& out) {
  if (date.m < 1 || date.m > 12 || date.d < 0 || date.d > 31) return;
  if (date.y != 0 && date.d != 0) push_unique(out, "@d" + four(date.y) + "-" + two(date.m) + "-" + two(date.d));
  if (date.y != 0 && date.d == 0) push_unique(out, "@m" + four(date.y) + "-" + two(date.m));
  if (date.y == 0 && date.d != 0) push_unique(out, "@md" + two(date.m) + "-" + two(date.d));
  if (date.y == 0 && date.d == 0) push_unique(out, "@mo" + two(date.m));
}

std::optional<int> number(std::string_view s, size_t min_digits, size_t max_digits) {
  if (s.size() < min_digits || s.size() > max_digits) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// "10", "10th", "1st", "2nd", "3rd" -> day of month.
std::optional<int> day(std::string_view s) {
  for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
    if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix) s.remove_suffix(suffix.size());
  }
  const std::optional<int> d = number(s, 1, 2);
  return d && *d >= 1 && *d <= 31 ? d : std::nullopt;
}

std::optional<int> year(std::string_view s) {
  const std::optional<int> y = number(s, 4, 4);
  return y && *y >= 1900 && *y <= 2199 ? y : std::nullopt;
}

// Month number of a full name (strong) or an abbreviation / "may" (weak: needs context).
std::optional<int> month(std::string_view s, bool& weak) {
  static const std::array<std::string_view, 12> kNames = {"january", "february", "march",     "april",
                                                          "may",     "june",     "july",      "august",
                                                          "september", "october", "november", "december"};
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (s == kNames[i]) {
      weak = s == "may";
      return static_cast<int>(i + 1);
    }
    if (s.size() >= 3 && s.size() <= 4 && kNames[i].substr(0, s.size()) == s && (s.size() == 3 || s == "sept")) {
      weak = true;
      return static_cast<int>(i + 1);
    }
  }
  return std::nullopt;
}

std::string lower_word(std::string_view w) {
  std::string out;
  for (char c : w) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
  }
  while (!out.empty() && (out.back() == ',' || out.back() == '.' || out.back() == '?' || out.back() == '!')) out.pop_back();
  return out;
}

constexpr int64_t kDayMs = 86400000;

Ymd civil(int64_t epoch_ms) {
  const std::string s = format_rfc3339_ms(epoch_ms);  // YYYY-MM-DDT...
  return {*number(s.substr(0, 4), 4, 4), *number(s.substr(5, 2), 2, 2), *number(s.substr(8, 2), 2, 2)};
}

// Relative expressions starting at words[i]; returns the number of words used (0: none).
size_t relative(const std::vector<std::string>& w, size_t i, int64_t now, std::vector<std::string>& out) {
  auto days = [&](int from, int to) {  // days now-from .. now-to, inclusive
    for (int k = from; k >= to; --k) terms_of(civil(now - k * kDayMs), out);
  };
  const std::string next = i + 1 < w.size() ? w[i + 1] : "";
  const bool last = w[i] == "last" || w[i] == "past" || w[i] == "previous";
  if (w[i] == "today" || w[i] == "yesterday") {
    days(w[i] == "today" ? 0 : 1, w[i] == "today" ? 0 : 1);
    return 1;
  }
  if ((last || w[i] == "this") && next == "week") {
    if (last) days(7, 1);
    else days(6, 0);
    return 2;
  }
  if ((last || w[i] == "this") && next == "month") {
    const Ymd t = civil(now);
    if (last) terms_of({t.m == 1 ? t.y - 1 : t.y, t.m == 1 ? 12 : t.m - 1, 0}, out);
    else terms_of({t.y, t.m, 0}, out);
    return 2;
  }
  const std::optional<int> n = number(w[i], 1, 2);
  if (n && next.rfind("day", 0) == 0 && i + 2 < w.size() && w[i + 2] == "ago") {
    days(*n, *n);
    return 3;
  }
  return 0;
}

}  // namespace

void created_at_terms(std::string_view created_at, std::vector<std::string>& out) {
  if (created_at.size() < 10 || created_at[4] != '-' || created_at[7] != '-') return;
  const std::optional<int> y = year(created_at.substr(0, 4));
  const std::optional<int> m = number(created_at.substr(5, 2), 2, 2);
  const std::optional<int> d = number(created_at.substr(8, 2), 2, 2);
  if (!y || !m || !d) return;
  terms_of({*y, *m, *d}, out);
  terms_of({*y, *m, 0}, out);
  terms_of({0, *m, *d}, out);
  terms_of({0, *m, 0}, out);
}

std::vector<std::string> query_date_terms(const std::vector<std::string>& raw, std::string_view now,
                                          std::vector<bool>* used) {
  std::vector<std::string> w;
  for (const std::string& word : raw) w.push_back(lower_word(word));
  std::vector<bool> mark(w.size(), false);
  auto use = [&](size_t from, size_t to) {  // words [from, to) form a date expression
    for (size_t k = from; k < to; ++k) mark[k] = true;
  };
  const std::optional<int64_t> clock = now.empty() ? std::nullopt : parse_rfc3339_ms(now);
  std::vector<std::string> out;
  for (size_t i = 0; i < w.size(); ++i) {
    if (clock) {
      if (const size_t n = relative(w, i, *clock, out); n > 0) {
        use(i, i + n);
        i += n - 1;
        continue;
      }
    }
    // ISO date or month.
    if (w[i].size() >= 7 && w[i][4] == '-') {
      const size_t before = out.size();
      const std::optional<int> y = year(w[i].substr(0, 4));
      const std::optional<int> m = number(w[i].substr(5, 2), 2, 2);
      if (y && m && w[i].size() == 7) terms_of({*y, *m, 0}, out);
      if (y && m && w[i].size() == 10 && w[i][7] == '-') {
        if (const std::optional<int> d = number(w[i].substr(8, 2), 2, 2)) terms_of({*y, *m, *d}, out);
      }
      if (out.size() > before) use(i, i + 1);
      continue;
    }
    bool weak = false;
    const std::optional<int> m = month(w[i], weak);
    if (!m) continue;
    // Day before the month ("10 June", "10th of June"), or after it ("June 10").
    size_t first = i;
    std::optional<int> d;
    if (i >= 1 && (d = day(w[i - 1]))) first = i - 1;
    if (!d && i >= 2 && w[i - 1] == "of" && (d = day(w[i - 2]))) first = i - 2;
    size_t after = i + 1;
    if (!d && after < w.size() && (d = day(w[after]))) ++after;
    std::optional<int> y;
    if (after < w.size() && (y = year(w[after]))) ++after;
    const bool context = d || y || (i >= 1 && (w[i - 1] == "in" || w[i - 1] == "during" || w[i - 1] == "since"));
    if (weak && !context) continue;
    terms_of({y.value_or(0), *m, d.value_or(0)}, out);
    use(first, after);
    i = after - 1;
  }
  if (used != nullptr) *used = std::move(mark);
  return out;
}

}  // namespace storage
