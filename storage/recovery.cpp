#include "storage/recovery.h"

#include <spdlog/spdlog.h>

#include <thread>
#include <utility>

#include "storage/journal_codec.h"
#include "storage/snapshot_codec.h"
#include "storage/snapshot_reader.h"
#include "storage/time_format.h"

namespace storage {
namespace {

// Moves `path` aside to "<path>.corrupt-<UTC timestamp>"; returns the new name.
Result<std::string> move_aside(FileSystem& fs, const std::string& path, int64_t now_ms) {
  std::string stamp = format_rfc3339_ms(now_ms);
  for (char& c : stamp) {
    if (c == ':') c = '-';
  }
  const std::string target = path + ".corrupt-" + stamp;
  if (Status st = fs.rename(path, target); !st.ok()) return st;
  return target;
}

}  // namespace

bool Recovery::needs_exclusive_lock() const {
  if (caught_up_) return false;
  auto tmp = fs_.stat(snapshot_.tmp_path());
  return tmp.ok() && tmp->exists;
}

Result<CatchUp> Recovery::catch_up(bool exclusive) {
  Result<CatchUp> outcome = incremental(exclusive);
  if (!outcome.ok()) {
    snapshot_.forget();  // the catalog may hold half a reload: the next call reloads in full
    return outcome;
  }
  if (*outcome == CatchUp::kNeedsRepair) {
    snapshot_.forget();  // the repairing call reloads in full
  } else {
    caught_up_ = true;
  }
  return outcome;
}

Result<CatchUp> Recovery::incremental(bool exclusive) {
  if (exclusive) {
    if (Status st = remove_leftover_tmp(); !st.ok()) return st;
  }
  auto snap = snapshot_.stat();
  if (!snap.ok()) return snap.status();
  if (!snapshot_.is_current(*snap)) return reload(exclusive);
  auto journal = journal_.stat();
  if (!journal.ok()) return journal.status();
  if (repair_pending_) {  // damage this process could not repair (a read-only store)
    if (exclusive) return reload(true);
    if ((journal->exists ? journal->size : 0) == pending_journal_size_) return CatchUp::kUpToDate;
    return reload(false);
  }
  if (!journal->exists) return journal_.offset() == 0 ? Result<CatchUp>(CatchUp::kUpToDate) : reload(exclusive);
  if (journal->size < journal_.offset()) return reload(exclusive);
  if (journal->size == journal_.offset()) {
    journal_.set_applied(journal_.offset(), false);
    return CatchUp::kUpToDate;
  }
  auto bytes = journal_.read_unapplied(journal->size);
  if (!bytes.ok()) return bytes.status();
  JournalScan scan = scan_journal(*bytes, journal_.offset());
  if (!scan.corrupt.empty() || (!scan.batches.empty() && scan.batches.front().seq != catalog_.last_seq() + 1) ||
      !check_journal_sequence(scan, catalog_.last_seq(), true, nullptr).empty()) {
    return reload(exclusive);  // damaged, or rewritten by a compaction
  }
  for (const JournalBatch& batch : scan.batches) catalog_.apply(batch);
  journal_.set_applied(scan.valid_end, scan.torn_tail);
  if (journal_.torn() && exclusive) {
    if (Status st = truncate_torn_tail(); !st.ok()) return st;
  }
  return scan.batches.empty() ? CatchUp::kUpToDate : CatchUp::kApplied;
}

Status Recovery::remove_leftover_tmp() {
  const std::string tmp = snapshot_.tmp_path();
  auto info = fs_.stat(tmp);
  if (!info.ok() || !info->exists) return info.ok() ? Status::ok_status() : info.status();
  auto snap = snapshot_.stat();
  if (!snap.ok()) return snap.status();
  if (!snap->exists) {
    auto complete = read_snapshot(fs_, tmp, SnapshotSink{});
    if (complete.ok() && complete->damage.empty()) {
      note_warning("promoted " + tmp + " (complete) to the snapshot, which was missing");
      return fs_.rename(tmp, snapshot_.path());
    }
  }
  note_warning("removed leftover " + tmp + " (an interrupted compaction)");
  return fs_.remove(tmp);
}

Status Recovery::truncate_torn_tail() {
  if (Status st = journal_.truncate_torn_tail(); !st.ok()) return st;
  note_warning("truncated a torn journal tail at byte " + std::to_string(journal_.offset()));
  return Status::ok_status();
}

Result<CatchUp> Recovery::reload(bool exclusive) {
  // 1. The snapshot, streamed line by line into the catalog. A refusal (newer format, read error,
  //    memory) fails the call and touches nothing; damage loses only the lines that do not verify.
  catalog_.reset_durable(0);
  catalog_.set_ranking_deferred(true);
  struct Undefer {
    Catalog& catalog;
    ~Undefer() { catalog.set_ranking_deferred(false); }
  } undefer{catalog_};
  SnapshotSink sink;
  sink.header = [this](uint64_t seq) { catalog_.reset_durable(seq); };
  sink.stashed = [this](Segment s) {
    if (stopping_.load(std::memory_order_relaxed)) return Status::io_error("the store is closing");
    catalog_.put_stashed(std::move(s));
    return Status::ok_status();
  };
  sink.working = [this](std::string session, Segment s) { catalog_.put_session_working(session, std::move(s)); };
  sink.root_path = [this](std::string project, std::string root) { catalog_.set_root_path(project, std::move(root)); };
  // The index file is read and decoded on a thread of its own meanwhile (2 cores: about free).
  IndexFile::Prepared prepared;
  std::thread preparing([this, &prepared] { prepared = index_.prepare(); });
  SnapshotLoad snapshot;
  auto loaded = read_snapshot(fs_, snapshot_.path(), sink);
  preparing.join();
  if (loaded.ok()) {
    snapshot = std::move(loaded).value();
  } else if (loaded.status().code() == Status::Code::kNotFound) {
    snapshot.header_ok = true;  // no snapshot: the journal starts at seq 1
  } else {
    return loaded.status();
  }
  const bool snapshot_damaged = !snapshot.damage.empty();
  if (snapshot_damaged && !exclusive) return CatchUp::kNeedsRepair;
  catalog_.set_ranking_deferred(false);
  if (Status st = rank(snapshot, std::move(prepared)); !st.ok()) return st;
  // 2. The journal: every batch that verifies, in seq order (check_journal_sequence: the rules
  //    `ooc verify` applies too).
  journal_.set_applied(0, false);
  auto journal = journal_.read_all();
  if (!journal.ok() && journal.status().code() != Status::Code::kNotFound) return journal.status();
  std::vector<std::string> journal_damage;
  if (journal.ok()) {
    JournalScan scan = scan_journal(*journal, 0);
    std::vector<const JournalBatch*> apply;
    journal_damage = scan.corrupt;
    for (auto& p : check_journal_sequence(scan, snapshot.journal_seq, snapshot.header_ok, &apply)) {
      journal_damage.push_back(std::move(p));
    }
    if (!journal_damage.empty() && !exclusive) return CatchUp::kNeedsRepair;
    for (const JournalBatch* batch : apply) catalog_.apply(*batch);
    journal_.set_applied(journal_damage.empty() ? scan.valid_end : scan.complete_end, scan.torn_tail);
  }
  if (!snapshot_damaged && journal_damage.empty()) {
    repair_pending_ = false;
    if (journal_.torn() && exclusive) {
      if (Status st = truncate_torn_tail(); !st.ok()) return st;
    }
    if (Status st = snapshot_.remember(); !st.ok()) return st;
    return CatchUp::kReloaded;
  }
  // 3. Repair: what verified is in memory; put it on disk before the damaged files move aside.
  std::string snapshot_note;
  std::string journal_note;
  if (snapshot_damaged) {
    std::string lost;
    for (size_t i = 0; i < snapshot.damage.size(); ++i) {
      spdlog::error("snapshot {}: {}", snapshot_.path(), snapshot.damage[i]);  // every one, exactly
      if (i < 20) lost += (lost.empty() ? "" : "; ") + snapshot.damage[i];
    }
    if (snapshot.damage.size() > 20) lost += "; and " + std::to_string(snapshot.damage.size() - 20) + " more (logged)";
    snapshot_note = "snapshot " + snapshot_.path() + " is damaged: " + std::to_string(snapshot.lost) +
                    " segment line(s) lost, " + std::to_string(snapshot.segments) + " kept (" + lost + ")";
  }
  if (!journal_damage.empty()) {
    std::string where;
    for (const auto& c : journal_damage) where += (where.empty() ? "" : "; ") + c;
    journal_note = "journal " + journal_.path() + " is damaged (" + where + ")";
  }
  std::string snapshot_aside;
  std::string journal_aside;
  if (Status st = repair(snapshot_damaged, !journal_damage.empty(), snapshot_aside, journal_aside); !st.ok()) {
    const std::string why = "; not repaired (" + st.to_string() +
                            "): serving every segment and batch that verified, a writer retries the repair";
    if (repair_pending_) {  // noted when first found; a writer's retry only logs
      spdlog::warn("repair retried and failed: {}", st.to_string());
    } else {
      if (snapshot_damaged) note_error(snapshot_note + why);
      if (!journal_note.empty()) note_error(journal_note + why);
    }
    repair_pending_ = true;
    auto info = journal_.stat();
    pending_journal_size_ = info.ok() && info->exists ? info->size : 0;
    (void)snapshot_.remember();
    return CatchUp::kReloaded;
  }
  if (snapshot_damaged) note_error(snapshot_note + "; moved aside to " + snapshot_aside + " (ooc import reads it)");
  if (!journal_note.empty()) {
    note_error(journal_note + "; moved aside to " + journal_aside + "; kept every batch that verified");
  }
  repair_pending_ = false;
  return CatchUp::kReloaded;
}

Status Recovery::rank(const SnapshotLoad& snapshot, IndexFile::Prepared prepared) {
  IndexIdentity identity;
  const bool whole = snapshot.file_checksum != 0 && snapshot.damage.empty();
  if (whole) {
    auto info = snapshot_.stat();
    if (!info.ok()) return info.status();
    identity = {snapshot.file_checksum, info->size, snapshot.journal_seq};
    Status st = index_.install(std::move(prepared), identity, catalog_);
    if (st.ok()) {
      ranked_source_ = "index file";
      return Status::ok_status();
    }
    // A cache that cannot serve: say why (a resource failure too), then rank without it.
    if (st.code() != Status::Code::kNotFound) spdlog::info("index file not used, rebuilding it: {}", st.to_string());
  }
  if (!catalog_.rank_all(stopping_)) return Status::io_error("the store is closing");
  ranked_source_ = "rebuilt";
  if (whole) {
    if (Status st = index_.save(identity, catalog_); !st.ok()) {
      spdlog::warn("cannot write the index file {} (the next load rebuilds it again): {}", index_.path(), st.to_string());
    }
  }
  return Status::ok_status();
}

// The order keeps every verified segment and batch in service at every crash point: the new
// snapshot is durable before a damaged file moves. A damaged snapshot is replaced by way of the
// tmp file (a crash after it moved aside leaves a complete tmp, which the next load promotes).
Status Recovery::repair(bool snapshot_damaged, bool journal_damaged, std::string& snapshot_aside,
                        std::string& journal_aside) {
  const std::string bytes = encode_snapshot(catalog_.last_seq(), catalog_.snapshot_view());
  const int64_t now = clock_.now_ms();
  if (snapshot_damaged) {
    if (Status st = fs_.write_file_atomically(snapshot_.tmp_path(), bytes); !st.ok()) return st;
    auto aside = move_aside(fs_, snapshot_.path(), now);
    if (!aside.ok()) return aside.status();
    snapshot_aside = *aside;
    if (Status st = fs_.rename(snapshot_.tmp_path(), snapshot_.path()); !st.ok()) return st;
  } else {
    if (Status st = snapshot_.write(bytes); !st.ok()) return st;
  }
  if (journal_damaged) {
    auto aside = move_aside(fs_, journal_.path(), now);
    if (!aside.ok()) return aside.status();
    journal_aside = *aside;
  } else if (Status st = journal_.clear(); !st.ok()) {
    return st;
  }
  journal_.set_applied(0, false);
  if (Status st = snapshot_.remember(); !st.ok()) return st;
  auto identity = identity_of_snapshot(bytes, catalog_.last_seq());
  Status st = identity.ok() ? index_.save(*identity, catalog_) : identity.status();
  if (!st.ok()) spdlog::warn("cannot write the index file {} (the next load rebuilds it): {}", index_.path(), st.to_string());
  return Status::ok_status();
}

void Recovery::note_warning(std::string text) {
  spdlog::warn("{}", text);
  notes_.push_back(std::move(text));
}

void Recovery::note_error(std::string text) {
  spdlog::error("{}", text);
  notes_.push_back(std::move(text));
}

}  // namespace storage
