#include "storage/duplicates.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
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

// At most kMaxSignedTermBytes of `text`, cut at white space (or at a code point boundary): the
// part whose rarest terms find the stash's candidates when the whole is too long to analyse.
std::string_view head_of(std::string_view text) {
  if (text.size() <= kMaxSignedTermBytes) return text;
  size_t cut = kMaxSignedTermBytes;
  while (cut > 0 && !is_space(text[cut])) --cut;
  if (cut == 0) {
    cut = kMaxSignedTermBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return text.substr(0, cut);
}

// The written segment: its terms (of its head) and its signature.
class Subject {
 public:
  explicit Subject(const Segment& segment)
      : segment_(segment),
        terms_(analyzer().term_set(head_of(segment.text))),
        signature_(sign_text(analyzer(), segment.text, segment.text.size() <= kMaxSignedTermBytes ? &terms_ : nullptr)) {}
  const Segment& segment() const { return segment_; }
  const std::vector<std::string>& terms() const { return terms_; }
  const TextSignature& signature() const { return signature_; }

  // A text of `size` bytes may duplicate this one.
  bool size_fits(size_t size) const {
    const double ratio = static_cast<double>(size) / static_cast<double>(std::max<size_t>(1, signature_.size));
    return ratio >= kMinSizeRatio && ratio <= kMaxSizeRatio;
  }

  // Whether `other` (signed `theirs`, of `tier`) duplicates this segment.
  std::optional<Duplicate> compare(const Segment& other, const TextSignature& theirs, Tier tier) const {
    if (theirs.normalized == signature_.normalized &&
        normalize_for_duplicates(other.text) == normalize_for_duplicates(segment_.text)) {
      return Duplicate{other.segment_id, tier, Duplicate::Kind::kExact, 1.0};
    }
    if (!theirs.has_terms || !signature_.has_terms) return std::nullopt;
    const double similarity = jaccard_at_least(signature_, theirs, kNearDuplicateJaccard);
    if (similarity < kNearDuplicateJaccard) return std::nullopt;
    return Duplicate{other.segment_id, tier, Duplicate::Kind::kNear, similarity};
  }

 private:
  const Segment& segment_;
  const std::vector<std::string> terms_;
  const TextSignature signature_;
};

// Neither the written segment (any tier) nor a superseded one is named.
bool eligible(const Segment& other, const Segment& written) {
  return other.segment_id != written.segment_id && !other.superseded_by;
}

// The signature of working segment `segment`, from the cache (the catalog drops an entry when
// the segment changes).
const TextSignature& working_signature(ProjectState& p, const Segment& segment) {
  auto it = p.working_signatures.find(segment.segment_id);
  if (it == p.working_signatures.end()) {
    it = p.working_signatures.emplace(segment.segment_id, sign_text(analyzer(), segment.text)).first;
  }
  return it->second;
}

// The working set is small (it mirrors the agent's context) and not indexed: a scan over cached
// signatures.
void from_working(ProjectState& p, const Subject& subject, std::vector<Duplicate>& found) {
  for (const auto& [id, other] : p.working) {
    if (!eligible(other, subject.segment()) || !subject.size_fits(other.text.size())) continue;
    if (auto d = subject.compare(other, working_signature(p, other), Tier::kWorking)) found.push_back(std::move(*d));
  }
}

// The stash can be large: only the best candidates of the ranked index are compared.
void from_stash(const ProjectState& p, const Subject& subject, Tier tier, std::vector<Duplicate>& found) {
  const Segment& written = subject.segment();
  auto accept = [&](const Segment& other) {
    if (!eligible(other, written) || !subject.size_fits(other.text.size())) return false;
    // Named once, as the working copy, when it is in both tiers.
    return std::none_of(found.begin(), found.end(), [&](const Duplicate& d) { return d.segment_id == other.segment_id; });
  };
  const std::string_view self = tier == Tier::kStashed ? std::string_view(written.segment_id) : std::string_view();
  for (const RankedMatch& match : p.ranked.similar(subject.terms(), kStashCandidates, kMinRareShare, accept, self)) {
    const Segment& other = *match.segment;
    if (auto d = subject.compare(other, sign_text(analyzer(), other.text), Tier::kStashed)) found.push_back(std::move(*d));
  }
}

std::vector<Duplicate> duplicates_of(ProjectState& p, const Segment& written, Tier tier) {
  Subject subject(written);
  if (tier == Tier::kWorking) p.working_signatures[written.segment_id] = subject.signature();
  std::vector<Duplicate> found;
  from_working(p, subject, found);
  from_stash(p, subject, tier, found);
  std::sort(found.begin(), found.end(), [](const Duplicate& a, const Duplicate& b) {
    return std::make_tuple(a.kind, -a.similarity, a.tier, std::cref(a.segment_id)) <
           std::make_tuple(b.kind, -b.similarity, b.tier, std::cref(b.segment_id));
  });
  if (found.size() > kMaxDuplicatesNamed) found.resize(kMaxDuplicatesNamed);
  return found;
}

}  // namespace

void name_duplicates(ProjectState& project, Tier tier, std::vector<StoredSegment>& written) {
  const SegmentMap& segments = tier == Tier::kWorking ? project.working : project.stashed;
  for (StoredSegment& s : written) {
    const auto it = segments.find(s.segment_id);
    if (it == segments.end()) continue;
    try {
      s.duplicates = duplicates_of(project, it->second, tier);
    } catch (const std::exception& e) {  // an allocation failure: the write stands, unannotated
      spdlog::warn("looking for duplicates of segment '{}' failed: {}", s.segment_id, e.what());
      s.duplicates.clear();
    }
  }
}

std::string_view to_string(Duplicate::Kind kind) { return kind == Duplicate::Kind::kExact ? "exact" : "near"; }

}  // namespace storage
