#include "bench/corpus.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "storage/time_format.h"
#include "storage/token_estimate.h"

namespace bench {
namespace {

// Ranks 0..kFunction-1 are English function words (query stop words); then technical words.
constexpr const char* kEnglish[] = {
    "the", "of", "and", "to", "a", "in", "is", "it", "that", "for", "on", "with", "as", "was",
    "be", "this", "by", "are", "not", "or", "at", "from", "but", "have", "an", "we", "can", "if",
    "when", "which", "all", "so", "then", "there", "no", "do", "will", "one", "should", "after",
    "store", "index", "search", "parser", "token", "journal", "snapshot", "segment", "query",
    "error", "file", "test", "build", "cache", "lock", "thread", "memory", "server", "client",
    "request", "response", "schema", "config", "stash", "retrieve", "compact", "stream", "buffer",
    "decision", "summary", "context", "window", "agent", "project", "task", "tag", "lexer",
    "function", "module", "version", "release", "commit", "branch", "merge", "crash", "recovery",
    "latency", "throughput", "benchmark", "timeout", "retry", "checksum", "format", "encode"};
constexpr size_t kFunction = 40;
constexpr const char* kSyllables[] = {
    "ka", "lo", "mi", "ner", "tus", "ve", "dra", "pol", "sen", "tri", "ob", "ul", "mar", "ken",
    "zu", "fa", "gor", "hel", "is", "jo", "quin", "ra", "sto", "ti", "ux", "wel", "yar", "ben",
    "cor", "del", "em", "fin", "gal", "han", "ir", "jen", "kol", "lim", "mon", "nat", "or", "pra",
    "qua", "ret", "sil", "tam", "un", "vor"};
constexpr uint64_t kSyllableCount = std::size(kSyllables);
constexpr const char* kDirs[] = {"src/storage", "src/search", "src/mcp", "src/tools", "src/util",
                                 "include/ooc", "tests/unit", "lib/net", "app/ui", "docs"};
constexpr const char* kExts[] = {".cpp", ".h", ".py", ".ts", ".md", ".rs"};
constexpr const char* kLevels[] = {"INFO", "WARN", "ERROR", "DEBUG"};

std::string synthetic_word(uint64_t n) {
  std::string word;
  do {
    word += kSyllables[n % kSyllableCount];
    n /= kSyllableCount;
  } while (n > 0 || word.size() < 4);
  return word;
}

std::vector<double> zipf_cdf(size_t n, double s) {
  std::vector<double> cdf(n);
  double total = 0;
  for (size_t r = 0; r < n; ++r) cdf[r] = (total += 1.0 / std::pow(static_cast<double>(r + 1), s));
  for (double& c : cdf) c /= total;
  return cdf;
}

size_t sample(const std::vector<double>& cdf, Rng& rng) {
  const auto it = std::lower_bound(cdf.begin(), cdf.end(), rng.unit());
  return std::min(cdf.size() - 1, static_cast<size_t>(it - cdf.begin()));
}

std::string capitalized(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

std::string padded(uint64_t n, size_t width) {
  std::string digits = std::to_string(n);
  return std::string(digits.size() < width ? width - digits.size() : 0, '0') + digits;
}

}  // namespace

Corpus::Corpus(CorpusOptions options) : options_(std::move(options)) {
  words_.reserve(options_.vocabulary);
  for (const char* w : kEnglish) words_.emplace_back(w);
  for (uint64_t n = 0; words_.size() < options_.vocabulary; ++n) words_.push_back(synthetic_word(n * 7919 + 11));
  cdf_ = zipf_cdf(words_.size(), options_.zipf_s);

  Rng rng(options_.seed ^ 0xC0FFEEull);
  const auto any_word = [&] { return words_[kFunction + rng.below(words_.size() - kFunction)]; };
  for (size_t i = 0; i < options_.tasks; ++i) tasks_.push_back("task-" + padded(i, 3));
  for (size_t i = 0; i < options_.files; ++i) {
    files_.push_back(std::string(kDirs[rng.below(std::size(kDirs))]) + "/" + any_word() + "_" + any_word() +
                     kExts[rng.below(std::size(kExts))]);
  }
  for (size_t i = 0; i < options_.tags; ++i) tags_.push_back(any_word() + (i % 3 == 0 ? "-" + any_word() : ""));
  for (size_t i = 0; i < options_.identifiers; ++i) {
    switch (i % 5) {
      case 0: idents_.push_back(any_word() + capitalized(any_word()) + capitalized(any_word())); break;
      case 1: idents_.push_back(any_word() + "_" + any_word()); break;
      case 2: idents_.push_back((i % 2 == 0 ? "ADR-" : "BUG-") + padded(i, 4)); break;
      case 3: idents_.push_back(files_[rng.below(files_.size())]); break;
      default: idents_.push_back(any_word() + "::" + capitalized(any_word()) + capitalized(any_word())); break;
    }
  }
  ident_cdf_ = zipf_cdf(idents_.size(), 1.0);
}

size_t Corpus::zipf_word(Rng& rng) const { return sample(cdf_, rng); }
const std::string& Corpus::identifier(Rng& rng) const { return idents_[sample(ident_cdf_, rng)]; }

void Corpus::append_words(Rng& rng, size_t count, std::string& out) const {
  size_t sentence = 0;
  for (size_t k = 0; k < count; ++k) {
    const bool start = sentence == 0;
    if (!out.empty() && out.back() != '\n') out += ' ';
    const std::string& word = rng.unit() < options_.identifier_rate ? identifier(rng) : words_[zipf_word(rng)];
    out += start ? capitalized(word) : word;
    if (++sentence >= 6 && rng.below(8) == 0) {
      out += rng.below(6) == 0 ? "?" : ".";
      sentence = 0;
    } else if (rng.below(12) == 0) {
      out += ',';
    }
  }
  if (sentence != 0) out += '.';
}

std::string Corpus::text(Rng& rng, storage::SegmentType type, size_t words) const {
  using storage::SegmentType;
  std::string out;
  out.reserve(words * 7 + 64);
  switch (type) {
    case SegmentType::kCode:
      while (words > 0) {
        const size_t n = std::min<size_t>(words, rng.between(3, 8));
        out += std::string(2 * rng.below(3), ' ') + "auto " + words_[zipf_word(rng)] + " = " + identifier(rng) + "(";
        for (size_t k = 2; k < n; ++k) out += (k > 2 ? ", " : "") + words_[zipf_word(rng)];
        out += ");\n";
        words -= n;
      }
      return out;
    case SegmentType::kLog:
      while (words > 0) {
        const size_t n = std::min<size_t>(words, rng.between(4, 14));
        out += storage::format_rfc3339_ms(1767225600000 + static_cast<int64_t>(rng.below(86400000))) + " " +
               kLevels[rng.below(std::size(kLevels))] + " " + identifier(rng) + ":";
        std::string line;
        append_words(rng, n - 1, line);
        out += " " + line + "\n";
        words -= n;
      }
      return out;
    case SegmentType::kDecision:
    case SegmentType::kSummary: {
      const size_t heading = std::min<size_t>(words, rng.between(3, 6));
      out += "# ";
      append_words(rng, heading, out);
      out += "\n\n";
      words -= heading;
      break;
    }
    default: break;
  }
  append_words(rng, words, out);
  return out;
}

storage::Segment Corpus::segment(uint64_t i) const {
  using storage::SegmentType;
  Rng rng(options_.seed * 0x2545F4914F6CDD1Dull + i);
  storage::Segment s;
  s.segment_id = "bench-" + padded(i, 7);
  s.project_id = options_.project;
  const uint64_t roll = rng.below(100);
  s.type = roll < 30   ? SegmentType::kNote
           : roll < 50 ? SegmentType::kMessage
           : roll < 70 ? SegmentType::kCode
           : roll < 80 ? SegmentType::kLog
           : roll < 90 ? SegmentType::kDecision
                       : SegmentType::kSummary;
  s.text = text(rng, s.type, rng.between(options_.min_words, options_.max_words));
  if (rng.below(10) < 8) s.task_id = tasks_[rng.below(tasks_.size())];
  if (s.type == SegmentType::kCode || rng.below(10) < 4) {
    s.file_path = files_[rng.below(files_.size())];
    const auto start = static_cast<int64_t>(rng.between(1, 2000));
    if (s.type == SegmentType::kCode) s.line_range = storage::LineRange{start, start + static_cast<int64_t>(rng.below(80))};
  }
  for (uint64_t k = rng.below(4); k > 0; --k) {
    const std::string& tag = tags_[rng.below(tags_.size())];
    if (std::find(s.tags.begin(), s.tags.end(), tag) == s.tags.end()) s.tags.push_back(tag);
  }
  s.pinned = rng.below(50) == 0;
  s.created_at = storage::format_rfc3339_ms(1767225600000 + static_cast<int64_t>(i) * 1000);
  s.last_touched_at = s.created_at;
  s.tokens = storage::estimate_tokens(s.text);
  s.tier = storage::Tier::kStashed;
  return s;
}

storage::SegmentDraft Corpus::small_draft(uint64_t i, const std::string& id) const {
  Rng rng(options_.seed ^ (0xD1B54A32D192ED03ull * (i + 1)));
  storage::SegmentDraft d;
  d.segment_id = id;
  append_words(rng, 40, d.text);
  d.task_id = tasks_[rng.below(tasks_.size())];
  d.tags.push_back(tags_[rng.below(tags_.size())]);
  return d;
}

std::vector<std::string> Corpus::queries(size_t count, uint64_t seed) const {
  Rng rng(seed);
  std::vector<std::string> out;
  for (size_t q = 0; q < count; ++q) {
    std::string query;
    if (q % 5 == 4) query = identifier(rng);
    const uint64_t n = query.empty() ? rng.between(1, 4) : rng.below(2);
    for (uint64_t k = 0; k < n; ++k) {
      size_t r = zipf_word(rng);
      while (r < kFunction) r = zipf_word(rng);
      query += (query.empty() ? "" : " ") + words_[r];
    }
    out.push_back(std::move(query));
  }
  return out;
}

}  // namespace bench
