#include "mcp/jsonrpc.h"

#include <utility>

namespace mcp::jsonrpc {

bool is_valid_id(const Json& id) {
  return id.is_string() || id.is_number_integer();  // number_integer covers unsigned too
}

Json result_response(const Json& id, Json result) {
  Json reply = Json::object();
  reply["jsonrpc"] = "2.0";
  reply["id"] = id;
  reply["result"] = std::move(result);
  return reply;
}

Json error_response(const std::optional<Json>& id, int code, std::string message,
                    std::optional<Json> data) {
  Json error = Json::object();
  error["code"] = code;
  error["message"] = std::move(message);
  if (data) error["data"] = std::move(*data);
  Json reply = Json::object();
  reply["jsonrpc"] = "2.0";
  if (id) reply["id"] = *id;
  reply["error"] = std::move(error);
  return reply;
}

}  // namespace mcp::jsonrpc
