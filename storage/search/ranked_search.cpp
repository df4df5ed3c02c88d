// Ranked search over one project's stashed segments: scoring (DESIGN §4, issue 12).
//
// Scores are BM25F summed over the query's distinct terms (OR semantics: documents matching more
// terms rank higher), each term weighted: 1 for the query's own words and for date terms, less for
// expansions (expansion.h). On top of that:
//  - a quoted phrase found verbatim adds the idf of its words again (a boost, not a filter); a
//    phrase found nowhere just ranks its words. `+"phrase"` (exact mode) requires it.
//  - the segment after each of the best hits in the same task (by created_at), when it matches the
//    query's words less well than the hit, gains 0.3 of the hit's word score (date and type terms,
//    which it has itself, are not shared): in conversations and logs the answer is often the turn
//    after the one that shares the words.
//  - length normalisation grows with the collection: b = 0.75 * N / (N + 100). On a handful of
//    segments the long one that answers is not pushed below short ones that merely share a word;
//    from a few thousand segments on it is plain BM25 (k1 1.2, b 0.75).
#include <algorithm>
#include <cmath>

#include "storage/search/date_terms.h"
#include "storage/search/expansion.h"
#include "storage/search/ranked_index_impl.h"

namespace storage {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr double kBHalfSize = 100;        // collection size at which b is half of kB
constexpr double kPhraseBoost = 1.0;      // times the summed idf of a matched phrase's words
constexpr size_t kNeighbourSeeds = 10;    // best hits whose successor is considered
constexpr double kNeighbourShare = 0.3;   // of the hit's score given to its successor
constexpr double kDateWordWeight = 0.3;   // a word of a date expression, as a plain word

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<RankedMatch> RankedIndex::Impl::search(const ParsedQuery& query,
                                                   const std::function<bool(const Segment&)>& accept,
                                                   size_t depth) const {
  if (query.empty() || live == 0) return {};
  const double n = static_cast<double>(live);
  auto idf_of = [&](const Postings& p) {
    const double df = p.df;
    return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
  };
  // Stop words are dropped across the whole query (kept only when nothing else is left), so the
  // words are analyzed together; phrase words join them for scoring.
  std::string all_words;
  for (const std::string& word : query.words) all_words.append(word).push_back(' ');
  for (const auto* list : {&query.phrases, &query.required_phrases}) {
    for (const std::string& phrase : *list) all_words.append(phrase).push_back(' ');
  }
  // Words of a date expression ("June", "10" in "June 10") count mostly as the date they name.
  std::vector<std::string> words;
  for (size_t from = 0; from < all_words.size();) {
    const size_t to = all_words.find(' ', from);
    if (to > from) words.push_back(all_words.substr(from, to - from));
    from = to + 1;
  }
  std::vector<bool> date_word;
  const std::vector<std::string> dates = query_date_terms(words, query.now, &date_word);
  std::vector<std::string> date_word_terms;
  std::vector<std::string> other_terms;
  for (size_t k = 0; k < words.size() && !dates.empty(); ++k) {
    analyzer.index_terms(words[k], date_word[k] ? date_word_terms : other_terms);
  }
  auto weight_of = [&](const std::string& term) {
    const bool dated = std::find(date_word_terms.begin(), date_word_terms.end(), term) != date_word_terms.end() &&
                       std::find(other_terms.begin(), other_terms.end(), term) == other_terms.end();
    return dated ? kDateWordWeight : 1.0;
  };
  std::vector<WeightedTerm> scoring;
  std::vector<std::string> own = analyzer.query_terms(all_words);
  for (const std::string& term : own) scoring.push_back({term, weight_of(term)});
  const size_t own_words = scoring.size();  // scoring[0, own_words): the query's own words
  for (const std::string& term : dates) {
    if (std::find(own.begin(), own.end(), term) != own.end()) continue;
    own.push_back(term);
    scoring.push_back({term, 1.0});
  }
  TermLookup lookup;
  // Expansions are for rare wording; a common term adds little (low idf) but costs a long posting
  // list, so lexical expansions skip terms in more than 1 % of the segments (at least 100).
  const uint32_t max_expansion_df = static_cast<uint32_t>(std::max(100.0, n / 100.0));
  lookup.has = [&](const std::string& term) {
    const Postings* p = find(term);
    return p != nullptr && p->df > 0 && (term.front() == '@' || p->df <= max_expansion_df);
  };
  lookup.with_prefix = [&](std::string_view prefix, size_t max) {
    std::vector<std::pair<uint32_t, std::string>> found;
    for (auto it = prefix_terms.lower_bound(prefix); it != prefix_terms.end() && it->substr(0, prefix.size()) == prefix;
         ++it) {
      const Postings* p = find(std::string(*it));
      if (p != nullptr && p->df > 0 && p->df <= max_expansion_df) found.emplace_back(p->df, std::string(*it));
      if (found.size() >= 64) break;
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string> out;
    for (size_t k = 0; k < found.size() && k < max; ++k) out.push_back(std::move(found[k].second));
    return out;
  };
  for (WeightedTerm& t : expand_query(analyzer, query.words, own, lookup)) scoring.push_back(std::move(t));

  // Required phrases: candidates are the documents holding the rarest word of any of them.
  const Postings* required_rarest = nullptr;
  std::vector<std::string> required;
  for (const std::string& phrase : query.required_phrases) {
    std::string folded = fold_for_match(trim(phrase));
    if (folded.empty()) continue;
    for (const std::string& term : analyzer.piece_terms(folded)) {
      const Postings* p = find(term);
      if (p == nullptr || p->df == 0) return {};  // a required phrase that cannot match
      if (required_rarest == nullptr || p->docs.size() < required_rarest->docs.size()) required_rarest = p;
    }
    required.push_back(std::move(folded));
  }
  // Boosting phrases: only those whose words are all indexed can match anywhere.
  PhraseBoosts boosts;
  for (const std::string& phrase : query.phrases) {
    BoostPhrase ph{fold_for_match(trim(phrase)), {}, 0};
    bool possible = !ph.folded.empty();
    for (const std::string& term : analyzer.piece_terms(ph.folded)) {
      const Postings* p = find(term);
      if (p == nullptr || p->df == 0) {
        possible = false;
        break;
      }
      ph.boost += kPhraseBoost * idf_of(*p);
      ph.words.push_back(p);
    }
    if (possible && !ph.words.empty()) boosts.phrases.push_back(std::move(ph));
  }
  if (scoring.empty() && required_rarest == nullptr) return {};

  // Accumulate BM25F scores in a flat array indexed by doc number.
  const double average_length = total_length == 0 ? 1.0 : static_cast<double>(total_length) / n;
  const double b = kB * n / (n + kBHalfSize);
  std::vector<float> scores(docs.size(), 0.0F);
  // The part of each score that comes from the query's own words (what a neighbour may share:
  // date and type terms it has itself, being of the same task and time).
  std::vector<float> word_scores(tasks.empty() ? 0 : docs.size(), 0.0F);
  std::vector<uint32_t> candidates;
  for (size_t t = 0; t < scoring.size(); ++t) {
    const Postings* p = find(scoring[t].term);
    if (p == nullptr || p->df == 0) continue;
    const double idf = idf_of(*p) * scoring[t].weight;
    const bool own_word = t < own_words && !word_scores.empty();
    for (size_t k = 0; k < p->docs.size(); ++k) {
      const uint32_t doc = p->docs[k];
      const Doc& d = docs[doc];
      if (d.segment == nullptr) continue;
      const double tf = p->tfs[k];
      const double norm = kK1 * (1.0 - b + b * static_cast<double>(d.text_length) / average_length);
      if (scores[doc] == 0.0F && required_rarest == nullptr) candidates.push_back(doc);
      const auto score = static_cast<float>(idf * tf * (kK1 + 1.0) / (tf + norm));
      scores[doc] += score;
      if (own_word) word_scores[doc] += score;
    }
  }
  if (required_rarest != nullptr) {
    for (uint32_t doc : required_rarest->docs) {
      if (docs[doc].segment != nullptr) candidates.push_back(doc);
    }
  }
  boosts.start(*this, scores);
  // Neighbours: the successor of each of the best hits shares in its score.
  if (!word_scores.empty() && !candidates.empty()) {
    boosts.settle(*this, candidates, kNeighbourSeeds, scores, word_scores);  // the seeds' scores are exact
    std::vector<uint32_t> best = candidates;
    const size_t seeds = std::min(kNeighbourSeeds, best.size());
    std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(seeds), best.end(),
                      [&](uint32_t a, uint32_t x) { return scores[a] > scores[x]; });
    std::vector<std::pair<uint32_t, float>> shares;
    for (size_t k = 0; k < seeds; ++k) {
      // Only a successor that matches the words less well than the hit gains (equal segments keep
      // equal scores, so ties still fall to recency).
      const uint32_t next = successor(best[k]);
      if (next == UINT32_MAX) continue;
      boosts.verify(*this, next, scores, word_scores);
      if (word_scores[next] < word_scores[best[k]]) {
        shares.emplace_back(next, static_cast<float>(kNeighbourShare) * word_scores[best[k]]);
      }
    }
    for (const auto& [doc, share] : shares) {
      if (scores[doc] == 0.0F) candidates.push_back(doc);
      scores[doc] += share;
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  std::vector<char> excluded;
  for (const std::string& word : query.excluded) {
    for (const std::string& term : analyzer.primary_terms(word)) {
      const Postings* p = find(term);
      if (p == nullptr) continue;
      excluded.resize(docs.size(), 0);
      for (uint32_t doc : p->docs) excluded[doc] = 1;
    }
  }
  std::vector<std::string> excluded_phrases;
  for (const std::string& phrase : query.excluded_phrases) {
    if (std::string folded = fold_for_match(trim(phrase)); !folded.empty()) excluded_phrases.push_back(std::move(folded));
  }

  std::vector<uint32_t> kept;
  for (uint32_t doc : candidates) {
    if (!excluded.empty() && excluded[doc]) continue;
    const Segment& segment = *docs[doc].segment;
    if (!accept(segment)) continue;
    if (!required.empty() || !excluded_phrases.empty()) {
      const std::string folded_text = fold_for_match(segment.text);
      auto has = [&](const std::string& phrase) { return segment_has_phrase(segment, folded_text, phrase); };
      if (!std::all_of(required.begin(), required.end(), has)) continue;
      if (std::any_of(excluded_phrases.begin(), excluded_phrases.end(), has)) continue;
    }
    kept.push_back(doc);
  }
  boosts.settle(*this, kept, depth, scores, word_scores);
  std::vector<RankedMatch> matches;
  matches.reserve(kept.size());
  for (uint32_t doc : kept) matches.push_back({docs[doc].segment, static_cast<double>(scores[doc])});
  return matches;
}

}  // namespace storage
