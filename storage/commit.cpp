#include "storage/commit.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace storage {
namespace {

bool puts_own_working(const std::vector<JournalOp>& ops, const std::string& session) {
  return !session.empty() && std::any_of(ops.begin(), ops.end(), [&](const JournalOp& op) {
           return op.kind == JournalOp::Kind::kPut && op.session_id == session;
         });
}

}  // namespace

Status commit(StoreState& s, std::vector<JournalOp> ops) {
  if (ops.empty()) return Status::ok_status();
  // 0. The session's lock is held before its first working segment is durable, so that no other
  //    process ever sees this session's segments without a live owner.
  if (puts_own_working(ops, s.catalog.session())) {
    if (Status st = s.sessions.hold(); !st.ok()) return st;
    s.session_live.store(true);
  }
  // 1. A torn tail (an append that failed or a crash) is cut off before anything follows it.
  if (s.journal.torn()) {
    if (Status st = s.recovery.truncate_torn_tail(); !st.ok()) return st;
  }
  // 2. Append the batch durably.
  const JournalBatch batch{s.catalog.last_seq() + 1, std::move(ops)};
  if (Status st = s.journal.append(batch); !st.ok()) return st;
  // 3. Apply it to memory.
  s.catalog.apply(batch);
  // 4. Maybe compact. The batch is durable in the journal; a failed compaction only postpones the
  //    next one, backing off so that a full disk does not make every write retry it.
  //    In the background (the default), a write only forks the compaction, and a later write
  //    swaps its result in when it is done: no write waits for one (issue 9).
  const int64_t now = s.clock.now_ms();
  if (s.compaction.running()) {
    auto finished = s.compaction.finish(/*wait=*/false);
    if (!finished.ok()) {
      s.compaction.note_outcome(false, now);
      spdlog::warn("background compaction failed, postponed: {}", finished.status().to_string());
    } else if (*finished != Compaction::Outcome::kRunning) {
      s.compaction.note_outcome(true, now);
    }
  } else if (s.compaction.due() && s.compaction.backoff_over(now)) {
    const Status st = s.options.compact_in_background ? s.compaction.start_background() : s.compaction.run();
    if (!st.ok() || !s.options.compact_in_background) s.compaction.note_outcome(st.ok(), now);
    if (!st.ok()) spdlog::warn("compaction postponed: {}", st.to_string());
  }
  return Status::ok_status();
}

}  // namespace storage
