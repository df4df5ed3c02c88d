#include "storage/journal_codec.h"

#include <simdjson.h>
#include <xxhash.h>

#include <cstdio>

#include "storage/segment_json.h"

namespace storage {
namespace {

constexpr std::string_view kChecksumKey = ",\"xxh64\":\"";

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return std::string(buf, 16);
}

// Checks the checksum suffix; on success `body` is the checksummed prefix.
bool verify_checksum(std::string_view line, std::string_view& body) {
  // ... ,"xxh64":"<16 hex>"}
  constexpr size_t kSuffix = kChecksumKey.size() + 16 + 2;
  if (line.size() < kSuffix + 2) return false;
  const size_t at = line.size() - kSuffix;
  if (line.substr(at, kChecksumKey.size()) != kChecksumKey || line.substr(line.size() - 2) != "\"}") return false;
  body = line.substr(0, at);
  return hex64(XXH64(body.data(), body.size(), 0)) == line.substr(at + kChecksumKey.size(), 16);
}

Status decode_op(simdjson::dom::element el, JournalOp& op) {
  std::string_view kind;
  if (el["op"].get(kind) != simdjson::SUCCESS) return Status::corruption("op without a kind");
  if (kind == "put") {
    simdjson::dom::element seg;
    if (el["segment"].get(seg) != simdjson::SUCCESS) return Status::corruption("put without a segment");
    auto decoded = segment_from_element(seg);
    if (!decoded.ok()) return decoded.status();
    op.kind = JournalOp::Kind::kPut;
    op.segment = std::move(decoded).value();
    if (op.segment.tier == Tier::kWorking) {
      std::string_view session;
      if (seg["session_id"].get(session) != simdjson::SUCCESS || session.empty()) {
        return Status::corruption("put of a working segment without a session_id");
      }
      op.session_id.assign(session);
    }
    return Status::ok_status();
  }
  if (kind == "wdel") {
    std::string_view project, session, id;
    if (el["project_id"].get(project) != simdjson::SUCCESS || el["session_id"].get(session) != simdjson::SUCCESS ||
        el["segment_id"].get(id) != simdjson::SUCCESS) {
      return Status::corruption("wdel without project_id/session_id/segment_id");
    }
    op.kind = JournalOp::Kind::kWorkingDelete;
    op.project_id.assign(project);
    op.session_id.assign(session);
    op.segment_id.assign(id);
    return Status::ok_status();
  }
  if (kind == "project") {
    std::string_view project, root;
    if (el["project_id"].get(project) != simdjson::SUCCESS || el["root_path"].get(root) != simdjson::SUCCESS) {
      return Status::corruption("project without project_id/root_path");
    }
    op.kind = JournalOp::Kind::kProject;
    op.project_id.assign(project);
    op.root_path.assign(root);
    return Status::ok_status();
  }
  if (kind == "del") {
    std::string_view project, id;
    if (el["project_id"].get(project) != simdjson::SUCCESS || el["segment_id"].get(id) != simdjson::SUCCESS) {
      return Status::corruption("del without project_id/segment_id");
    }
    op.kind = JournalOp::Kind::kDelete;
    op.project_id.assign(project);
    op.segment_id.assign(id);
    return Status::ok_status();
  }
  return Status::corruption("unknown op '" + std::string(kind) + "'");
}

Status decode_line(simdjson::dom::parser& parser, std::string_view line, JournalBatch& batch) {
  simdjson::dom::element doc;
  if (auto err = parser.parse(line.data(), line.size()).get(doc); err) {
    return Status::corruption(std::string("not JSON: ") + simdjson::error_message(err));
  }
  if (doc["seq"].get(batch.seq) != simdjson::SUCCESS) return Status::corruption("no seq");
  simdjson::dom::array ops;
  if (doc["ops"].get(ops) != simdjson::SUCCESS) return Status::corruption("no ops");
  for (simdjson::dom::element el : ops) {
    JournalOp op;
    if (Status st = decode_op(el, op); !st.ok()) return st;
    batch.ops.push_back(std::move(op));
  }
  return Status::ok_status();
}

}  // namespace

std::string encode_journal_line(uint64_t seq, const std::vector<JournalOp>& ops) {
  std::string line = "{\"seq\":" + std::to_string(seq) + ",\"ops\":[";
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i > 0) line += ',';
    const JournalOp& op = ops[i];
    nlohmann::json j;
    switch (op.kind) {
      case JournalOp::Kind::kPut:
        line += "{\"op\":\"put\",\"segment\":";
        if (op.session_id.empty()) {
          append_segment_json(op.segment, line);
        } else {
          append_working_segment_json(op.segment, op.session_id, line);
        }
        line += '}';
        continue;
      case JournalOp::Kind::kDelete:
        j = {{"op", "del"}, {"project_id", op.project_id}, {"segment_id", op.segment_id}};
        break;
      case JournalOp::Kind::kWorkingDelete:
        j = {{"op", "wdel"}, {"project_id", op.project_id}, {"session_id", op.session_id}, {"segment_id", op.segment_id}};
        break;
      case JournalOp::Kind::kProject:
        j = {{"op", "project"}, {"project_id", op.project_id}, {"root_path", op.root_path}};
        break;
    }
    line += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  line += ']';
  const uint64_t sum = XXH64(line.data(), line.size(), 0);
  line += kChecksumKey;
  line += hex64(sum);
  line += "\"}\n";
  return line;
}

JournalScan scan_journal(std::string_view bytes, uint64_t base_offset) {
  JournalScan scan;
  scan.valid_end = base_offset;
  scan.complete_end = base_offset;
  simdjson::dom::parser parser;
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t nl = bytes.find('\n', pos);
    const uint64_t line_offset = base_offset + pos;
    if (nl == std::string_view::npos) {  // no newline: an append that did not finish
      scan.torn_tail = true;
      break;
    }
    const std::string_view line = bytes.substr(pos, nl - pos);
    pos = nl + 1;
    scan.complete_end = base_offset + pos;
    ++scan.lines;
    std::string_view body;
    JournalBatch batch;
    Status st = verify_checksum(line, body) ? decode_line(parser, line, batch)
                                            : Status::corruption("checksum mismatch or truncated line");
    if (!st.ok()) {
      scan.corrupt.push_back("byte " + std::to_string(line_offset) + ": " + st.message());
      continue;
    }
    scan.batches.push_back(std::move(batch));
    scan.offsets.push_back(line_offset);
    scan.valid_end = base_offset + pos;
  }
  return scan;
}

std::vector<std::string> check_journal_sequence(const JournalScan& scan, uint64_t snapshot_seq, bool known,
                                                std::vector<const JournalBatch*>* apply) {
  std::vector<std::string> problems;
  bool have_prev = known;
  uint64_t prev = snapshot_seq;
  for (size_t i = 0; i < scan.batches.size(); ++i) {
    const JournalBatch& batch = scan.batches[i];
    const std::string at = "byte " + std::to_string(scan.offsets[i]) + ": ";
    if (known && batch.seq <= snapshot_seq) continue;  // already in the snapshot
    if (have_prev && batch.seq <= prev) {
      problems.push_back(at + "seq " + std::to_string(batch.seq) + " out of order (after " + std::to_string(prev) +
                         "), not applied");
      continue;
    }
    if (have_prev && batch.seq != prev + 1) {
      problems.push_back(at + "seq " + std::to_string(batch.seq) + " follows " + std::to_string(prev) + ": batch" +
                         (batch.seq == prev + 2 ? " " + std::to_string(prev + 1) + " is"
                                                : "es " + std::to_string(prev + 1) + " to " +
                                                      std::to_string(batch.seq - 1) + " are") +
                         " missing");
    }
    have_prev = true;
    prev = batch.seq;
    if (apply != nullptr) apply->push_back(&batch);
  }
  return problems;
}

}  // namespace storage
