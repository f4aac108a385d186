// GET /api/v1/pipelines/{id}/summary: per stage of a pipeline, how many deals it holds and their
// totals per currency, plain and weighted by probability, over every deal that the caller may
// read and that matches the filters (the deals list's own, read by parse_list_query), however
// many pages the list of them would take. The pipeline board's column headers (web
// features/deals/BoardColumn.tsx) show these instead of summing the cards they loaded.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/list_query.h"
#include "api/schema.h"
#include "core/ids.h"

namespace keel::api {
namespace json = boost::json;

namespace {

// Paging, sorting and the trash mean nothing to a sum; the pipeline is the path's.
bool not_a_summary_parameter(const std::string& name) {
  return name == "limit" || name == "cursor" || name == "sort" || name == "trashed" || name == "pipeline_id";
}

std::vector<QueryParam> summary_parameters(const domain::EntityDef& deals) {
  std::vector<QueryParam> ps;
  for (auto& p : list_parameters(deals, false))
    if (!not_a_summary_parameter(p.name)) ps.push_back(std::move(p));
  return ps;
}

json::object summary_schema() {
  json::object weighted = schema::integer();
  weighted["description"] =
      "Σ amount_minor × probability / 100 over the stage's deals in this currency, computed exactly and "
      "rounded once to a whole minor unit, halves away from zero";
  json::object total = schema::object_of(
      {{"currency", schema::str()}, {"amount_minor", schema::integer()}, {"weighted_minor", std::move(weighted)}},
      {"currency", "amount_minor", "weighted_minor"});
  return schema::data_of(schema::object_of(
      {{"stage_id", schema::str()}, {"count", schema::integer()}, {"totals", schema::array_of(std::move(total))}},
      {"stage_id", "count", "totals"}));
}

}  // namespace

void add_board_routes(Api& api) {
  const domain::EntityDef* deals = domain::find_entity("deals");
  const domain::EntityDef* pipelines = domain::find_entity("pipelines");
  api.route(RouteSpec{
      .method = "GET",
      .path = "/api/v1/pipelines/{id}/summary",
      .summary = "Deal count and totals per stage of a pipeline, over every deal the caller may read that matches "
                 "the filters",
      .query = summary_parameters(*deals),
      .replies = {{200,
                   "One entry per stage, in the pipeline's order: the number of matching deals (those without an "
                   "amount included) and, per currency, the sum of their amounts and the sum weighted by each deal's "
                   "probability (rounded once, halves away from zero). Deals in the trash are not counted",
                   summary_schema()}},
      .handler = [&api, deals, pipelines](Call& c) {
        for (const auto& [k, v] : c.req.query)
          if (not_a_summary_parameter(k)) throw bad_request("unknown_parameter", "Unknown query parameter: " + k, k);
        // 404 unless the caller may see the pipeline.
        const json::object pipeline = api.records().get(c.ctx(), *pipelines, c.req.param("id"));
        service::EffectiveEntityPtr effective = service::effective_entity(api.db(), *deals);
        service::ListQuery q = parse_list_query(effective, c.req, c.principal->time_zone);
        service::Filter in_pipeline;
        in_pipeline.field = deals->field("pipeline_id");
        in_pipeline.column = "pipeline_id";
        in_pipeline.value = std::string(pipeline.at("id").as_string());
        q.filters.push_back(std::move(in_pipeline));
        const std::vector<service::GroupTotals> groups = api.records().totals(
            c.ctx(), *deals, q,
            {.group_by = "stage_id", .amount = "amount_minor", .currency = "currency", .percent = "probability"});

        json::array data;
        for (const auto& stage : pipeline.at("stages").as_array()) {
          const std::string id(stage.at("id").as_string());
          json::object entry{{"stage_id", id}, {"count", 0}, {"totals", json::array{}}};
          for (const auto& g : groups) {
            if (g.group != id) continue;
            entry["count"] = g.count;
            json::array totals;
            for (const auto& t : g.totals)
              totals.push_back(json::object{
                  {"currency", t.currency}, {"amount_minor", t.amount_minor}, {"weighted_minor", t.weighted_minor}});
            entry["totals"] = std::move(totals);
          }
          data.push_back(std::move(entry));
        }
        return http::json_response(200, json::object{{"data", std::move(data)}});
      }});
}

}  // namespace keel::api
