#include <boost/json.hpp>

#include "auth/principal.h"
#include "service/rules/entity_rules.h"
#include "service/scope.h"

namespace keel::service::rules {
namespace json = boost::json;

void order_before_save(RuleContext& rc) {
  json::object& r = rc.record;
  if (r["status"].is_null()) r["status"] = "draft";
  if (!r["items"].is_array()) return;
  std::string currency = r["currency"].is_string() ? std::string(r["currency"].as_string()) : "";
  int64_t total = 0;
  bool overflow = false;
  auto& items = r["items"].as_array();
  for (size_t i = 0; i < items.size(); ++i) {
    std::string path = "items[" + std::to_string(i) + "]";
    auto& line = items[i].as_object();
    if (line["product_id"].is_string()) {
      auto p =
          rc.tx.one("SELECT name, price_minor, currency, owner_id FROM products WHERE id = ? AND deleted_at IS NULL",
                    {std::string(line["product_id"].as_string())});
      if (!p || !owner_in_scope(rc.tx, rc.ctx.principal, rc.ctx.principal.perms.on("products").read, p->text(3))) {
        rc.errors.add(path + ".product_id", "reference_not_found", "No such product, or you cannot see it");
        continue;
      }
      if (!line["name"].is_string()) line["name"] = p->text(0);
      if (line["unit_price_minor"].is_null()) {
        if (p->is_null(1)) {
          rc.errors.add(path + ".unit_price_minor", "required", "The product has no price; give one");
          continue;
        }
        if (p->text(2) != currency) {
          rc.errors.add(path + ".unit_price_minor", "currency_mismatch",
                        "The product is priced in " + p->text(2) + "; give a price in " + currency);
          continue;
        }
        line["unit_price_minor"] = p->integer(1);
      }
    } else {
      if (!line["name"].is_string()) rc.errors.add(path + ".name", "required", "A line without a product needs a name");
      if (line["unit_price_minor"].is_null())
        rc.errors.add(path + ".unit_price_minor", "required", "Give a unit price");
    }
    // (A quantity that failed validation is null here; its error is already recorded.)
    if (line["unit_price_minor"].is_int64() && line["quantity"].is_int64()) {
      int64_t line_total = 0;
      overflow =
          overflow ||
          __builtin_mul_overflow(line["quantity"].as_int64(), line["unit_price_minor"].as_int64(), &line_total) ||
          __builtin_add_overflow(total, line_total, &total);
    }
  }
  if (overflow) {
    rc.errors.add("items", "out_of_range", "The order total is too large");
    return;
  }
  r["total_minor"] = total;
}

}  // namespace keel::service::rules
