// The CRM data model. Limits are what a real business needs, not what a column can hold:
// a name field longer than 200 characters is a paste accident, and rejecting it is kinder than
// storing it.
#include <boost/json.hpp>

#include "core/error.h"
#include "core/ids.h"
#include "domain/entity.h"

namespace keel::domain {
namespace {

using T = FieldType;

// Where a contact, lead or deal came from: stable codes (the app translates them, reports group
// by them), one list for the three so that lead conversion carries the value across unchanged.
// Migration 006 mapped the free text stored before to these.
FieldDef source() {
  return choice("source", {"website", "referral", "trade_show", "advertisement", "cold_call", "email_campaign",
                           "social_media", "partner", "event", "other"});
}

// A pipeline's stages. A won stage is certain (probability 100), a lost one is 0; the board
// orders stages as listed.
std::shared_ptr<const ItemsDef> stage_items() {
  auto d = std::make_shared<ItemsDef>();
  d->kind = "stages";
  d->noun = "stage";
  d->plural = "stages";
  d->min_items = 1;
  FieldDef id = typed("id", T::uuid);
  id.unique = true;
  id.description = "Kept across edits so deals stay in their stage; Keel makes one when absent";
  FieldDef name = required(text("name", 100));
  name.unique = true;
  d->members = {id, name, bounded(typed("probability", T::integer), 0, 100), typed("is_won", T::boolean),
                typed("is_lost", T::boolean)};
  d->description = "Stage names are unique; a stage is not both won and lost";
  d->finish = [](boost::json::object& st, const std::string& path, FieldErrors& errors) {
    if (st["id"].is_null()) st["id"] = new_uuid_v7();
    const bool won = st["is_won"].is_bool() && st["is_won"].as_bool();
    const bool lost = st["is_lost"].is_bool() && st["is_lost"].as_bool();
    if (won && lost) errors.add(path, "invalid_stage", "A stage cannot be both won and lost");
    st["is_won"] = won;
    st["is_lost"] = lost;
    if (won) st["probability"] = 100;
    if (lost) st["probability"] = 0;
    if (st["probability"].is_null()) st["probability"] = 0;
  };
  return d;
}

// An order's lines. A line names a product (which gives the name and price; rules/order_rules.cc
// looks it up) or has its own name and unit price.
std::shared_ptr<const ItemsDef> line_items() {
  auto d = std::make_shared<ItemsDef>();
  d->kind = "line_items";
  d->noun = "line";
  d->plural = "lines";
  d->min_items = 1;
  d->members = {ref("product_id", "products"), text("name", 200),
                required(bounded(typed("quantity", T::integer), 1, 1'000'000)),
                bounded(typed("unit_price_minor", T::money), 0, 1'000'000'000'000'000)};
  d->any_of_required = {{"product_id"}, {"name", "unit_price_minor"}};
  d->description = "Without a name or price, a line takes them from its product";
  return d;
}

std::vector<EntityDef> build() {
  std::vector<EntityDef> all;

  all.push_back({"accounts",
                 "account",
                 "name",
                 {
                     sortable(searchable(required(text("name", 200)))),
                     filterable(text("industry", 100)),
                     searchable(typed("website", T::url)),
                     searchable(typed("phone", T::phone), TermKind::phone),
                     text("street", 200),
                     filterable(text("city", 100)),
                     text("region", 100),
                     text("postal_code", 20),
                     filterable(text("country", 2)),
                     searchable(typed("tags", T::tags)),
                     long_text("description", 20000),
                 },
                 false});

  all.push_back({"contacts",
                 "contact",
                 "name",
                 {
                     searchable(text("first_name", 100)),
                     searchable(text("last_name", 100)),
                     sortable(searchable(computed(text("name", 201)))),
                     searchable(typed("emails", T::emails), TermKind::email),
                     searchable(typed("phones", T::phones), TermKind::phone),
                     searchable(text("title", 100)),
                     ref("account_id", "accounts"),
                     source(),
                     searchable(typed("tags", T::tags)),
                     filterable(typed("consent_email", T::boolean)),
                     filterable(typed("consent_sms", T::boolean)),
                     filterable(typed("do_not_contact", T::boolean)),
                     long_text("description", 20000),
                 },
                 false});

  all.back().any_of_required = {"first_name", "last_name"};  // rules/person_rules.cc

  all.push_back({"leads",
                 "lead",
                 "name",
                 {
                     searchable(text("first_name", 100)),
                     searchable(text("last_name", 100)),
                     sortable(searchable(computed(text("name", 201)))),
                     searchable(text("company", 200)),
                     text("title", 100),
                     searchable(typed("email", T::email), TermKind::email),
                     searchable(typed("phone", T::phone), TermKind::phone),
                     source(),
                     choice("status", {"new", "contacted", "qualified", "disqualified", "converted"}),
                     searchable(typed("tags", T::tags)),
                     long_text("description", 20000),
                     sortable(computed(typed("converted_at", T::datetime))),
                     computed(ref("converted_account_id", "accounts")),
                     computed(ref("converted_contact_id", "contacts")),
                     computed(ref("converted_deal_id", "deals")),
                 },
                 false});

  all.back().any_of_required = {"first_name", "last_name"};

  all.push_back({"pipelines",
                 "pipeline",
                 "name",
                 {
                     sortable(searchable(required(text("name", 100)))),
                     sortable(bounded(typed("position", T::integer), 0, 10000)),
                     required(objects("stages", stage_items(), 30)),
                     [] {
                       FieldDef f = typed("require_lost_reason", T::boolean);
                       f.description =
                           "When true, a deal moved to a lost stage of this pipeline needs a lost_reason "
                           "(422, field lost_reason, code required). Default false";
                       return f;
                     }(),
                 },
                 true});

  all.push_back({"deals",
                 "deal",
                 "name",
                 {
                     sortable(searchable(required(text("name", 200)))),
                     ref("pipeline_id", "pipelines"),
                     [] {
                       // A stage of the deal's pipeline (rules/deal_rules.cc), not a record.
                       FieldDef f = filterable(text("stage_id", 36));
                       f.ref_entity = "stages";
                       return f;
                     }(),
                     sortable(bounded(typed("amount_minor", T::money), 0, 9'000'000'000'000'000)),
                     filterable(typed("currency", T::currency)),
                     sortable(typed("expected_close_date", T::date)),
                     ref("account_id", "accounts"),
                     [] {
                       auto f = typed("contact_ids", T::ref_list);
                       f.ref_entity = "contacts";
                       return f;
                     }(),
                     computed(choice("status", {"open", "won", "lost"})),
                     computed(bounded(typed("probability", T::integer), 0, 100)),
                     sortable(computed(typed("closed_at", T::datetime))),
                     source(),
                     [] {
                       FieldDef f = text("lost_reason", 500);
                       f.description =
                           "Why the deal was lost; required to move it to a lost stage of a pipeline with "
                           "require_lost_reason";
                       return f;
                     }(),
                     searchable(typed("tags", T::tags)),
                     long_text("description", 20000),
                 },
                 false});

  all.back().needs = {{"amount_minor", "currency"}};  // rules/deal_rules.cc

  all.push_back({"activities",
                 "activity",
                 "subject",
                 {
                     required(choice("type", {"call", "email", "meeting", "note"})),
                     searchable(text("subject", 300)),
                     long_text("body", 50000),
                     [] {
                       FieldDef f = sortable(typed("occurred_at", T::datetime));
                       f.description = "When it happened; the time it was logged when not given";
                       return f;
                     }(),
                     bounded(typed("duration_minutes", T::integer), 0, 100000),
                     choice("direction", {"inbound", "outbound"}),
                     ref("contact_id", "contacts"),
                     ref("account_id", "accounts"),
                     ref("deal_id", "deals"),
                     ref("lead_id", "leads"),
                 },
                 false});

  all.push_back({"tasks",
                 "task",
                 "title",
                 {
                     sortable(searchable(required(text("title", 300)))),
                     long_text("description", 20000),
                     sortable(typed("due_at", T::datetime)),
                     choice("status", {"open", "done", "cancelled"}),
                     choice("priority", {"low", "normal", "high"}),
                     sortable(computed(typed("completed_at", T::datetime))),
                     choice("related_entity", {"accounts", "contacts", "leads", "deals", "orders"}),
                     [] {
                       // A record of the entity named by related_entity (rules/task_rules.cc).
                       FieldDef f = filterable(text("related_id", 36));
                       f.ref_entity = "related_entity";
                       return f;
                     }(),
                 },
                 false});

  all.back().needs = {{"related_id", "related_entity"}, {"related_entity", "related_id"}};

  all.push_back({"products",
                 "product",
                 "name",
                 {
                     sortable(searchable(required(text("name", 200)))),
                     searchable(filterable(text("sku", 64))),
                     long_text("description", 20000),
                     sortable(bounded(typed("price_minor", T::money), 0, 9'000'000'000'000'000)),
                     required(typed("currency", T::currency)),
                     filterable(typed("active", T::boolean)),
                 },
                 true});

  all.push_back({"orders",
                 "order",
                 "number",
                 {
                     sortable(searchable(text("number", 50))),
                     ref("account_id", "accounts"),
                     ref("contact_id", "contacts"),
                     choice("status", {"draft", "confirmed", "fulfilled", "cancelled"}),
                     sortable(typed("ordered_on", T::date)),
                     required(typed("currency", T::currency)),
                     required(objects("items", line_items(), 200)),
                     sortable(computed(typed("total_minor", T::money))),
                     long_text("notes", 20000),
                 },
                 false});
  return all;
}

}  // namespace

const std::vector<EntityDef>& entities() {
  static const std::vector<EntityDef> all = build();
  return all;
}

const EntityDef* find_entity(std::string_view name) {
  for (const auto& e : entities())
    if (e.name == name) return &e;
  return nullptr;
}

bool is_entity(std::string_view name) { return find_entity(name) != nullptr; }

}  // namespace keel::domain
