// Lead conversion: one transaction turns a lead into an account (new or existing), a contact
// and optionally a deal, links them back from the lead, and marks it converted. The lead keeps
// its history, with a "convert" entry naming the records made from it.
#include "service/leads.h"

#include <boost/json.hpp>

#include "auth/principal.h"
#include "core/time.h"
#include "domain/validate.h"
#include "service/versioned_write.h"

namespace keel::service {
namespace json = boost::json;

namespace {

const json::value& member(const json::object& o, std::string_view k) {
  static const json::value null_value;
  auto it = o.find(k);
  return it == o.end() ? null_value : it->value();
}

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

LeadConversion parse_lead_conversion(const json::object& body, const std::string& time_zone) {
  FieldErrors errors;
  LeadConversion out;
  for (const auto& [k, v] : body)
    if (k != "account_id" && k != "account" && k != "contact" && k != "deal")
      errors.add(std::string(k), "unknown_field", "Use account_id, account, contact or deal");
  for (const char* k : {"account", "contact", "deal"})
    if (!member(body, k).is_null() && !member(body, k).is_object())
      errors.add(k, "invalid_type", "Must be an object of fields");
  // account_id is checked like the account_id of any contact body (type, UUID form), and an
  // existing account and a new one cannot both be asked for.
  if (!member(body, "account_id").is_null()) {
    domain::FieldDef link = *domain::find_entity("contacts")->field("account_id");
    link.required = false;
    json::value id = domain::check_field(link, member(body, "account_id"), "account_id", time_zone, errors);
    if (id.is_string()) out.account_id = std::string(id.as_string());
    if (!member(body, "account").is_null())
      errors.add("account", "not_allowed", "Give either account_id (an existing account) or account (a new one)");
  }
  errors.throw_if_any();
  if (member(body, "account").is_object()) out.account = member(body, "account").as_object();
  if (member(body, "contact").is_object()) out.contact = member(body, "contact").as_object();
  if (member(body, "deal").is_object()) out.deal = member(body, "deal").as_object();
  return out;
}

json::object convert_lead(store::Database& db, Records& records, const Context& ctx, const std::string& lead_id,
                          const LeadConversion& in) {
  const auto& accounts = *domain::find_entity("accounts");
  const auto& contacts = *domain::find_entity("contacts");
  const auto& deals = *domain::find_entity("deals");
  const auto& leads = *domain::find_entity("leads");
  json::object out;
  db.write([&](store::Tx& tx) {
    json::object lead = Records::load_visible(tx, ctx, leads, lead_id, true);
    // Converting changes the lead, so it needs the right to change this lead, not only to see it.
    if (!auth::owner_in_scope(tx, ctx.principal, ctx.principal.perms.on("leads").update,
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
    if (!cin.contains("emails") && member(lead, "email").is_string())
      cin["emails"] = json::array{member(lead, "email")};
    if (!cin.contains("phones") && member(lead, "phone").is_string())
      cin["phones"] = json::array{member(lead, "phone")};
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
    out = {{"lead", lead}, {"account", account}, {"contact", contact}, {"deal", deal}};
  });
  return out;
}

}  // namespace keel::service
