// Lead conversion: one transaction turns a lead into an account (new or existing), a contact
// and optionally a deal, links them back from the lead, and marks it converted. The lead keeps
// its history, with a "convert" entry naming the records made from it.
#include "service/leads.h"

#include <boost/json.hpp>

#include "auth/principal.h"
#include "core/time.h"
#include "domain/validate.h"
#include "service/json_rows.h"
#include "service/scope.h"
#include "service/versioned_write.h"

namespace keel::service {
namespace json = boost::json;

namespace {

// Creates one part of the conversion; its field errors are named under the part ("contact.emails[0]").
json::object create_part(Records& records, store::Tx& tx, const Context& ctx, const domain::EntityDef& def,
                         const json::object& input, const std::string& part) {
  try {
    return records.create_in(tx, ctx, def, input).record;
  } catch (const ApiError& e) {
    std::vector<FieldError> f;
    for (const auto& fe : e.fields()) f.push_back({part + "." + fe.field, fe.code, fe.message});
    ApiError named(e.kind(), e.code(), e.what(), f);
    named.extra() = e.extra();
    throw named;
  }
}

}  // namespace

const domain::BodyDef& lead_conversion_body() {
  static const domain::BodyDef body = [] {
    domain::BodyDef b;
    b.name = "LeadConversion";
    // account_id is checked like the account_id of any contact body (type, UUID form).
    domain::FieldDef link = *domain::find_entity("contacts")->field("account_id");
    link.required = false;
    link.description = "An existing account you can see, instead of account";
    b.fields.push_back({link, {}, {}});
    // A part is an object of fields; its members are checked when its record is made.
    auto part = [&](const char* name, const std::string& schema) {
      domain::BodyField f{domain::typed(name, domain::FieldType::text),
                          [](const json::value& v, const std::string& path, FieldErrors& errors) -> json::value {
                            if (v.is_object()) return v;
                            errors.add(path, "invalid_type", "Must be an object of fields");
                            return nullptr;
                          },
                          {{"$ref", "#/components/schemas/" + schema}}};
      b.fields.push_back(std::move(f));
    };
    part("account", "account_create");
    part("contact", "contact_patch");
    part("deal", "deal_patch");
    return b;
  }();
  return body;
}

LeadConversion parse_lead_conversion(const json::object& body) {
  FieldErrors errors;
  json::object in = domain::parse_body(lead_conversion_body(), body, true, errors);
  LeadConversion out;
  if (!member(in, "account_id").is_null()) {
    if (member(in, "account_id").is_string()) out.account_id = std::string(member(in, "account_id").as_string());
    if (!member(body, "account").is_null())
      errors.add("account", "not_allowed", "Give either account_id (an existing account) or account (a new one)");
  }
  errors.throw_if_any();
  if (member(in, "account").is_object()) out.account = member(in, "account").as_object();
  if (member(in, "contact").is_object()) out.contact = member(in, "contact").as_object();
  if (member(in, "deal").is_object()) out.deal = member(in, "deal").as_object();
  return out;
}

json::object convert_lead(store::Database& db, Records& records, const Context& ctx, const std::string& lead_id,
                          const LeadConversion& in) {
  json::object out;
  db.write([&](store::Tx& tx) { out = convert_lead_in(tx, records, ctx, lead_id, in); });
  return out;
}

json::object convert_lead_in(store::Tx& tx, Records& records, const Context& ctx, const std::string& lead_id,
                             const LeadConversion& in) {
  const auto& accounts = *domain::find_entity("accounts");
  const auto& contacts = *domain::find_entity("contacts");
  const auto& deals = *domain::find_entity("deals");
  const auto& leads = *domain::find_entity("leads");
  json::object lead = Records::load_visible(tx, ctx, leads, lead_id, true);
  // Converting changes the lead, so it needs the right to change this lead, not only to see it.
  if (!owner_in_scope(tx, ctx.principal, ctx.principal.perms.on("leads").update,
                      std::string(lead.at("owner_id").as_string())))
    throw forbidden("Your role may not change this lead");
  expect_version(lead, in.if_match);
  if (member(lead, "status") == "converted") throw conflict("already_converted", "This lead was already converted");
  auto copy = [&](json::object& dst, const char* to, const char* from) {
    if (!dst.contains(to) && !member(lead, from).is_null()) dst[to] = member(lead, from);
  };
  json::object account;
  if (in.account_id) {
    try {
      account = Records::load_visible(tx, ctx, accounts, *in.account_id);
    } catch (const ApiError& e) {
      if (e.kind() != ErrorKind::not_found) throw;
      throw validation_failed({{"account_id", "reference_not_found", "No such account, or you cannot see it"}});
    }
  } else {
    json::object ain = in.account;
    copy(ain, "name", "company");
    if (!ain.contains("name")) copy(ain, "name", "name");
    copy(ain, "phone", "phone");
    account = create_part(records, tx, ctx, accounts, ain, "account");
  }
  json::object cin = in.contact;
  copy(cin, "first_name", "first_name");
  copy(cin, "last_name", "last_name");
  copy(cin, "title", "title");
  copy(cin, "source", "source");
  if (!cin.contains("emails") && member(lead, "email").is_string()) cin["emails"] = json::array{member(lead, "email")};
  if (!cin.contains("phones") && member(lead, "phone").is_string()) cin["phones"] = json::array{member(lead, "phone")};
  cin["account_id"] = account.at("id");
  json::object contact = create_part(records, tx, ctx, contacts, cin, "contact");
  json::value deal = nullptr;
  if (in.deal) {
    json::object din = *in.deal;
    if (!din.contains("name")) din["name"] = member(account, "name");
    din["account_id"] = account.at("id");
    din["contact_ids"] = json::array{contact.at("id")};
    copy(din, "source", "source");
    deal = create_part(records, tx, ctx, deals, din, "deal");
  }
  // Mark the lead converted. These fields are computed (read-only to clients), so they are set
  // here rather than through update_in's input parsing. To sync, a conversion is an update.
  std::string now = ctx.now_utc();
  json::object before = lead;
  lead["status"] = "converted";
  lead["converted_at"] = now;
  lead["converted_account_id"] = account.at("id");
  lead["converted_contact_id"] = contact.at("id");
  lead["converted_deal_id"] = deal.is_object() ? deal.as_object().at("id") : json::value(nullptr);
  lead["updated_at"] = now;
  lead["updated_by"] = ctx.principal.user_id;
  write_versioned(tx, ctx, record_table(leads),
                  {.action = "convert", .before = &before, .after = lead, .at = now, .change_action = "update"});
  return {{"lead", lead}, {"account", account}, {"contact", contact}, {"deal", deal}};
}

}  // namespace keel::service
