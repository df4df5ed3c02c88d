// Store lifecycle, the commit path and the applying of batches (DESIGN §3, FORMAT.md).
#include "storage/store.h"

#include <spdlog/spdlog.h>

#include <random>

#include "storage/store_impl.h"
#include "storage/time_format.h"
#include "storage/token_estimate.h"

namespace storage {

std::string resolve_storage_path(const std::string& configured, const std::string& home) {
  if (configured.empty()) return (home.empty() ? std::string(".") : home) + "/.out_of_context/storage.json";
  if (configured.back() == '/') return configured + "storage.json";
  auto info = posix_file_system().stat(configured);
  if (info.ok() && info->exists && info->is_directory) return configured + "/storage.json";
  return configured;
}

std::unique_ptr<Store> Store::open(StoreOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->fs = options.fs != nullptr ? options.fs : &posix_file_system();
  if (options.clock == nullptr) {
    impl->owned_clock = std::make_unique<SystemClock>();
    impl->clock = impl->owned_clock.get();
  } else {
    impl->clock = options.clock;
  }
  impl->journal_path = options.path + ".journal";
  impl->lock_path = options.path + ".lock";
  impl->options = std::move(options);
  Impl* raw = impl.get();
  impl->loader = std::thread([raw] { raw->load(); });
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() {
  impl_->closing = true;
  if (impl_->loader.joinable()) impl_->loader.join();
}

Status Store::wait_until_loaded() {
  std::unique_lock lock(impl_->load_mu);
  impl_->load_cv.wait(lock, [&] { return impl_->loaded; });
  return impl_->load_status;
}

std::string Store::Impl::now() const { return format_rfc3339_ms(clock->now_ms()); }

std::string Store::Impl::generate_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}() ^ static_cast<uint64_t>(clock->now_ms())};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>((rng() ^ ++id_counter) & 0xffffffffffffULL));
  return std::string("seg-") + buf;
}

Result<Segment> Store::Impl::build_segment(SegmentDraft d, const std::string& project, const Segment* existing,
                                           std::string_view where) {
  Segment s;
  s.segment_id = d.segment_id ? std::move(*d.segment_id) : generate_id();
  s.text = std::move(d.text);
  s.type = d.type.value_or(SegmentType::kNote);
  s.project_id = project;
  s.task_id = std::move(d.task_id);
  s.file_path = std::move(d.file_path);
  s.topic_id = std::move(d.topic_id);
  s.line_range = d.line_range;
  for (auto& tag : d.tags) {  // deduplicated, order kept
    if (std::find(s.tags.begin(), s.tags.end(), tag) == s.tags.end()) s.tags.push_back(std::move(tag));
  }
  s.last_touched_at = now();
  s.created_at = existing != nullptr ? existing->created_at : s.last_touched_at;
  s.pinned = d.pinned.value_or(false);
  s.generation = d.generation.value_or(Generation::kYoung);
  s.gc_survival_count = d.gc_survival_count.value_or(0);
  s.refcount = d.refcount.value_or(0);
  s.tokens = d.tokens ? *d.tokens : estimate_tokens(s.text);
  if (Status st = validate_segment(s, options.limits, where); !st.ok()) return st;
  return s;
}

void Store::Impl::put_stashed(Segment segment) {
  ProjectState& p = project(segment.project_id);
  segment.tier = Tier::kStashed;
  auto it = p.stashed.find(segment.segment_id);
  if (it != p.stashed.end()) {
    p.ranked.erase(it->second.segment_id);
    p.metadata.erase(&it->second);
    p.stashed_tokens -= it->second.tokens;
    it->second = std::move(segment);
  } else {
    it = p.stashed.emplace(segment.segment_id, std::move(segment)).first;
  }
  p.stashed_tokens += it->second.tokens;
  p.metadata.add(&it->second);
  p.ranked.upsert(&it->second);
}

void Store::Impl::erase_stashed(const std::string& project_id, const std::string& id) {
  auto pit = projects.find(project_id);
  if (pit == projects.end()) return;
  ProjectState& p = pit->second;
  auto it = p.stashed.find(id);
  if (it == p.stashed.end()) return;
  p.ranked.erase(id);
  p.metadata.erase(&it->second);
  p.stashed_tokens -= it->second.tokens;
  p.stashed.erase(it);
}

void Store::Impl::apply(const JournalBatch& batch) {
  for (const JournalOp& op : batch.ops) {
    if (op.kind == JournalOp::Kind::kPut) {
      put_stashed(op.segment);
    } else {
      erase_stashed(op.project_id, op.segment_id);
    }
  }
  last_seq = batch.seq;
}

Status Store::Impl::commit_locked(std::vector<JournalOp> ops) {
  if (ops.empty()) return Status::ok_status();
  const bool sync = options.sync == SyncMode::kAlways;
  if (journal_torn) {
    if (Status st = truncate_torn_tail(); !st.ok()) return st;
  }
  JournalBatch batch{last_seq + 1, std::move(ops)};
  const std::string line = encode_journal_line(batch.seq, batch.ops);
  if (Status st = fs->append(journal_path, line, sync); !st.ok()) {
    // Part of the line may be on disk: cut it off so the file ends at the last good batch. If even
    // that fails, the bytes are a torn tail that the next writer or loader truncates.
    if (!fs->truncate(journal_path, journal_offset, sync).ok()) journal_torn = true;
    return st;
  }
  apply(batch);
  journal_offset += line.size();
  if (Status st = maybe_compact_locked(); !st.ok()) {
    // The batch is durable in the journal; a failed compaction only postpones the next one.
    spdlog::warn("compaction postponed: {}", st.to_string());
  }
  return Status::ok_status();
}

}  // namespace storage
