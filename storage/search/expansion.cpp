// Query expansion for ranked search: see expansion.h.
#include "storage/search/expansion.h"

#include <algorithm>
#include <array>
#include <utility>

namespace storage {
namespace {

constexpr double kAbbreviationWeight = 0.5;
constexpr double kPrefixWeight = 0.35;
constexpr double kSplitWeight = 0.5;
constexpr size_t kMaxPrefixTerms = 4;

bool all_letters(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string lower_letters(std::string_view w) {
  std::string out;
  for (char c : w) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
  }
  while (!out.empty() && (out.back() == ',' || out.back() == '.' || out.back() == '?' || out.back() == '!')) out.pop_back();
  return out;
}

// The segment type a (folded) query word names, or empty.
std::string_view type_named(std::string_view w) {
  struct Rule {
    std::string_view word;
    std::string_view type;
  };
  static constexpr std::array<Rule, 32> kRules = {{
      {"decision", "decision"}, {"decisions", "decision"}, {"decide", "decision"},    {"decided", "decision"},
      {"decides", "decision"},  {"deciding", "decision"},  {"adr", "decision"},       {"adrs", "decision"},
      {"summary", "summary"},   {"summaries", "summary"},  {"summarize", "summary"},  {"summarise", "summary"},
      {"summarized", "summary"}, {"recap", "summary"},     {"log", "log"},            {"logs", "log"},
      {"logged", "log"},        {"code", "code"},          {"snippet", "code"},       {"snippets", "code"},
      {"function", "code"},     {"functions", "code"},     {"message", "message"},    {"messages", "message"},
      {"chat", "message"},      {"chats", "message"},      {"conversation", "message"}, {"conversations", "message"},
      {"said", "message"},      {"note", "note"},          {"notes", "note"},         {"recaps", "summary"},
  }};
  for (const Rule& r : kRules) {
    if (w == r.word) return r.type;
  }
  return {};
}

}  // namespace

std::string type_term(std::string_view type_name) { return "@t" + std::string(type_name); }

std::vector<WeightedTerm> expand_query(const Analyzer& analyzer, const std::vector<std::string>& words,
                                       const std::vector<std::string>& already, const TermLookup& lookup) {
  std::vector<WeightedTerm> out;
  auto add = [&](std::string term, double weight) {
    if (std::find(already.begin(), already.end(), term) != already.end()) return;
    for (WeightedTerm& t : out) {
      if (t.term == term) {
        t.weight = std::max(t.weight, weight);
        return;
      }
    }
    if (lookup.has(term)) out.push_back({std::move(term), weight});
  };
  auto stemmed = [&](const std::string& w) {
    const std::vector<std::string> terms = analyzer.query_terms(w);
    return terms.size() == 1 ? terms.front() : std::string();
  };
  std::vector<std::string> folded;
  for (const std::string& word : words) folded.push_back(lower_letters(word));
  for (size_t i = 0; i < folded.size(); ++i) {
    const std::string& w = folded[i];
    if (const std::string_view type = type_named(w); !type.empty()) add(type_term(type), 1.0);
    if (!all_letters(w) || is_stop_word(w)) continue;
    if (w.size() >= 7) {
      for (size_t len = w.size() - 3; len >= 3; --len) {
        const std::string prefix = w.substr(0, len);
        if (lookup.has(prefix)) {
          add(prefix, kAbbreviationWeight);
          break;
        }
      }
    }
    if (w.size() >= 3 && w.size() <= 5) {
      for (std::string& term : lookup.with_prefix(w, kMaxPrefixTerms)) {
        if (term.size() >= w.size() + 2) add(std::move(term), kPrefixWeight);
      }
    }
    if (w.size() >= 6) {
      for (size_t cut = 3; cut + 3 <= w.size(); ++cut) {
        const std::string left = stemmed(w.substr(0, cut));
        const std::string right = stemmed(w.substr(cut));
        if (left.empty() || right.empty() || is_stop_word(w.substr(0, cut)) || is_stop_word(w.substr(cut))) continue;
        if (lookup.has(left) && lookup.has(right)) {
          add(left, kSplitWeight);
          add(right, kSplitWeight);
          break;
        }
      }
    }
    if (i + 1 < folded.size() && all_letters(folded[i + 1]) && !is_stop_word(folded[i + 1])) {
      if (const std::string joined = stemmed(w + folded[i + 1]); !joined.empty()) add(joined, kSplitWeight);
    }
  }
  return out;
}

}  // namespace storage
