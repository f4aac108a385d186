#include "service/admin.h"

namespace keel::service {
namespace json = boost::json;

void require_admin(const Context& ctx) {
  if (!ctx.principal.is_admin()) throw forbidden("Administrators only");
}

ApiError version_conflict(const std::string& message, const json::object& current) {
  ApiError e(ErrorKind::precondition_failed, "version_conflict", message);
  if (auto v = current.find("version"); v != current.end()) e.extra()["current_version"] = v->value();
  e.extra()["current"] = current;
  return e;
}

std::string member_text(const json::object& change, std::string_view key, const json::object& current) {
  const json::value* v = change.if_contains(key);
  if (!v) v = current.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

void check_version(const json::object& body, const json::object& current, const std::string& message) {
  auto it = body.find("version");
  if (it == body.end() || it->value().is_null()) return;
  auto cur = current.find("version");
  if (cur != current.end() && it->value() != cur->value()) throw version_conflict(message, current);
}

}  // namespace keel::service
