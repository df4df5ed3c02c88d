#include "storage/duplicates.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <optional>
#include <tuple>
#include <utility>

#include "storage/search/analyzer.h"

namespace storage {
namespace {

const Analyzer& analyzer() {
  static const Analyzer instance;  // the ranked index's analysis (thread-safe, analyzer.h)
  return instance;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The written segment, with its normalized text and (built when first needed) its term set.
class Subject {
 public:
  explicit Subject(const Segment& segment) : segment_(segment), normalized_(normalize_for_duplicates(segment.text)) {}
  const Segment& segment() const { return segment_; }

  // Whether `other` (of `tier`) duplicates this segment; `near` allows the term-set comparison.
  std::optional<Duplicate> compare(const Segment& other, Tier tier, bool near) {
    if (normalize_for_duplicates(other.text) == normalized_) {
      return Duplicate{other.segment_id, tier, Duplicate::Kind::kExact, 1.0};
    }
    if (!near || segment_.text.size() > kMaxNearDuplicateBytes || other.text.size() > kMaxNearDuplicateBytes) {
      return std::nullopt;
    }
    if (!terms_) terms_ = analyzer().term_set(segment_.text);
    const double similarity = jaccard(*terms_, analyzer().term_set(other.text));
    if (similarity < kNearDuplicateJaccard) return std::nullopt;
    return Duplicate{other.segment_id, tier, Duplicate::Kind::kNear, similarity};
  }

 private:
  const Segment& segment_;
  const std::string normalized_;
  std::optional<std::vector<std::string>> terms_;
};

// Neither the written segment (any tier) nor a superseded one is named.
bool eligible(const Segment& other, const Segment& written) {
  return other.segment_id != written.segment_id && !other.superseded_by;
}

// The working set is small (a few thousand segments at most) and not indexed: a scan, with a
// prefilter on text size, and term sets compared for the closest sizes only.
void from_working(const ProjectState& p, Subject& subject, std::vector<Duplicate>& found) {
  const double size = static_cast<double>(std::max<size_t>(1, subject.segment().text.size()));
  std::vector<std::pair<double, const Segment*>> sized;  // (distance in size, segment)
  for (const auto& [id, other] : p.working) {
    if (!eligible(other, subject.segment())) continue;
    const double ratio = static_cast<double>(other.text.size()) / size;
    if (ratio < kMinSizeRatio || ratio > kMaxSizeRatio) continue;
    sized.emplace_back(std::abs(std::log(std::max(ratio, 1e-9))), &other);
  }
  std::sort(sized.begin(), sized.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->segment_id < b.second->segment_id;
  });
  for (size_t k = 0; k < sized.size(); ++k) {
    if (auto d = subject.compare(*sized[k].second, Tier::kWorking, k < kMaxWorkingCompared)) found.push_back(std::move(*d));
  }
}

// The stash can be large: only the best candidates of the ranked index are compared.
void from_stash(const ProjectState& p, Subject& subject, std::vector<Duplicate>& found) {
  const Segment& written = subject.segment();
  auto accept = [&](const Segment& other) {
    if (!eligible(other, written)) return false;
    // Named once, as the working copy, when it is in both tiers.
    return std::none_of(found.begin(), found.end(), [&](const Duplicate& d) { return d.segment_id == other.segment_id; });
  };
  for (const RankedMatch& match : p.ranked.similar(written.text, kStashCandidates, accept)) {
    if (auto d = subject.compare(*match.segment, Tier::kStashed, true)) found.push_back(std::move(*d));
  }
}

std::vector<Duplicate> duplicates_of(const ProjectState& p, const Segment& written) {
  Subject subject(written);
  std::vector<Duplicate> found;
  from_working(p, subject, found);
  from_stash(p, subject, found);
  std::sort(found.begin(), found.end(), [](const Duplicate& a, const Duplicate& b) {
    return std::make_tuple(a.kind, -a.similarity, a.tier, std::cref(a.segment_id)) <
           std::make_tuple(b.kind, -b.similarity, b.tier, std::cref(b.segment_id));
  });
  if (found.size() > kMaxDuplicatesNamed) found.resize(kMaxDuplicatesNamed);
  return found;
}

}  // namespace

std::string normalize_for_duplicates(std::string_view text) {
  std::string folded = fold_for_match(text);
  size_t begin = 0;
  size_t end = folded.size();
  while (begin < end && is_space(folded[begin])) ++begin;
  while (end > begin && is_space(folded[end - 1])) --end;
  return folded.substr(begin, end - begin);
}

double jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() && b.empty()) return 0;
  size_t common = 0;
  for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

void name_duplicates(const ProjectState& project, Tier tier, std::vector<StoredSegment>& written) {
  const SegmentMap& segments = tier == Tier::kWorking ? project.working : project.stashed;
  for (StoredSegment& s : written) {
    const auto it = segments.find(s.segment_id);
    if (it == segments.end()) continue;
    try {
      s.duplicates = duplicates_of(project, it->second);
    } catch (const std::exception& e) {  // an allocation failure: the write stands, unannotated
      spdlog::warn("looking for duplicates of segment '{}' failed: {}", s.segment_id, e.what());
      s.duplicates.clear();
    }
  }
}

std::string_view to_string(Duplicate::Kind kind) { return kind == Duplicate::Kind::kExact ? "exact" : "near"; }

}  // namespace storage
