// Deterministic synthetic corpus (DESIGN §8): a Zipf vocabulary, 20-400 words per segment, tasks,
// files, tags, mixed segment types, and identifiers (camelCase, snake_case, ADR-042, paths, a::B)
// sprinkled in. Segment i depends only on (seed, i), so any size is a prefix of a larger one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "storage/segment.h"

namespace bench {

struct CorpusOptions {
  uint64_t seed = 42;
  size_t vocabulary = 50000;
  double zipf_s = 1.1;
  size_t min_words = 20;
  size_t max_words = 400;
  size_t tasks = 50;
  size_t files = 500;
  size_t tags = 100;
  size_t identifiers = 2000;
  double identifier_rate = 0.04;  // share of words that are identifiers
  std::string project = "bench";
};

class Corpus {
 public:
  explicit Corpus(CorpusOptions options);

  // Stashed segment number i, complete (timestamps, token estimate), id "bench-<i>".
  storage::Segment segment(uint64_t i) const;
  // A small draft (about 40 words) for write timings, id `id`.
  storage::SegmentDraft small_draft(uint64_t i, const std::string& id) const;
  // `count` queries: 1-4 words drawn by frequency (function words skipped), every fifth an
  // identifier, some of them mixed.
  std::vector<std::string> queries(size_t count, uint64_t seed) const;
  const CorpusOptions& options() const { return options_; }

 private:
  size_t zipf_word(Rng& rng) const;
  const std::string& identifier(Rng& rng) const;
  void append_words(Rng& rng, size_t count, std::string& out) const;
  std::string text(Rng& rng, storage::SegmentType type, size_t words) const;

  CorpusOptions options_;
  std::vector<std::string> words_;
  std::vector<double> cdf_;        // Zipf over words_
  std::vector<std::string> idents_;
  std::vector<double> ident_cdf_;  // Zipf (s = 1) over idents_
  std::vector<std::string> tasks_, files_, tags_;
};

}  // namespace bench
