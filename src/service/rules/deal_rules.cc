#include <boost/json.hpp>

#include "service/records.h"
#include "service/rules/entity_rules.h"

namespace keel::service::rules {
namespace json = boost::json;

namespace {

std::string str(const json::object& o, const char* k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

}  // namespace

void deal_before_save(RuleContext& rc) {
  json::object& r = rc.record;
  std::string pipeline_id = str(r, "pipeline_id");
  if (pipeline_id.empty()) {
    auto first = default_pipeline_id(rc.tx);
    if (!first) {
      rc.errors.add("pipeline_id", "required", "Create a pipeline first");
      return;
    }
    pipeline_id = *first;
    r["pipeline_id"] = pipeline_id;
  }
  auto row =
      rc.tx.one("SELECT stages, require_lost_reason FROM pipelines WHERE id = ? AND deleted_at IS NULL", {pipeline_id});
  if (!row) return;  // reported by the reference check
  bool reason_required = row->integer(1) != 0;
  boost::system::error_code ec;
  json::value stages = json::parse(row->text(0), ec);
  if (ec || !stages.is_array() || stages.as_array().empty()) return;
  std::string stage_id = str(r, "stage_id");
  if (stage_id.empty()) {
    stage_id = std::string(stages.as_array()[0].at("id").as_string());
    r["stage_id"] = stage_id;
  }
  const json::object* stage = nullptr;
  for (const auto& s : stages.as_array())
    if (s.at("id").as_string() == stage_id) stage = &s.as_object();
  if (!stage) {
    rc.errors.add("stage_id", "invalid_choice", "This stage does not belong to the deal's pipeline");
    return;
  }
  bool won = stage->at("is_won").as_bool(), lost = stage->at("is_lost").as_bool();
  r["status"] = won ? "won" : lost ? "lost" : "open";
  r["probability"] = stage->at("probability");
  bool was_closed = rc.old && str(*rc.old, "status") != "open" && !str(*rc.old, "status").empty();
  bool stage_moved = !rc.old || str(*rc.old, "stage_id") != stage_id;
  if (lost && reason_required && str(r, "lost_reason").empty() && (stage_moved || !str(*rc.old, "lost_reason").empty()))
    rc.errors.add("lost_reason", "required", "This pipeline asks for a reason when a deal is lost");
  if (won || lost) {
    if (!was_closed || stage_moved) r["closed_at"] = rc.now;
  } else {
    r["closed_at"] = nullptr;
  }
  if (!r["amount_minor"].is_null() && r["currency"].is_null())
    rc.errors.add("currency", "required", "An amount needs a currency");
}

void deal_before_restore(RuleContext& rc) {
  json::object& r = rc.record;
  auto row = rc.tx.one("SELECT stages FROM pipelines WHERE id = ? AND deleted_at IS NULL", {str(r, "pipeline_id")});
  if (!row)
    throw ApiError(ErrorKind::conflict, "pipeline_in_trash",
                   "The deal's pipeline is in the trash; restore the pipeline first");
  boost::system::error_code ec;
  json::value stages = json::parse(row->text(0), ec);
  if (ec || !stages.is_array() || stages.as_array().empty()) return;
  bool stage_exists = false;
  for (const auto& s : stages.as_array()) stage_exists = stage_exists || s.at("id").as_string() == str(r, "stage_id");
  if (stage_exists) return;
  r["stage_id"] = stages.as_array()[0].at("id");
  deal_before_save(rc);  // status, probability and closed_at follow the new stage
}

void deal_after_save(RuleContext& rc) {
  std::string from = rc.old ? str(*rc.old, "stage_id") : std::string();
  std::string to = str(rc.record, "stage_id");
  if (rc.old && from == to) return;
  const json::value& amount = rc.record.at("amount_minor");
  rc.tx.query(
      "INSERT INTO deal_stage_history (deal_id, pipeline_id, from_stage_id, to_stage_id, amount_minor, "
      "currency, at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {str(rc.record, "id"), str(rc.record, "pipeline_id"), from.empty() ? store::Value{} : store::Value{from}, to,
       amount.is_int64() ? store::Value{amount.as_int64()} : store::Value{},
       store::text_or_null(rc.record.at("currency").is_string()
                               ? std::optional<std::string>(rc.record.at("currency").as_string())
                               : std::nullopt),
       rc.now, rc.ctx.principal.user_id});
}

}  // namespace keel::service::rules

namespace keel::service {

std::optional<std::string> default_pipeline_id(store::Tx& tx) {
  auto row = tx.one("SELECT id FROM pipelines WHERE deleted_at IS NULL ORDER BY position, created_at LIMIT 1");
  return row ? std::optional<std::string>(row->text(0)) : std::nullopt;
}

}  // namespace keel::service
