// Lead conversion: a lead becomes an account (new or existing), a contact and optionally a deal,
// in one transaction; the lead is linked to them and marked converted.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "domain/body.h"
#include "service/context.h"
#include "service/records.h"
#include "store/db.h"

namespace keel::service {

struct LeadConversion {
  std::optional<std::string> account_id;    // an existing account (canonical UUID), or
  boost::json::object account;              // fields of a new account (default: the lead's company)
  boost::json::object contact;              // fields that override what is copied from the lead
  std::optional<boost::json::object> deal;  // a deal too, if given
  std::optional<int64_t> if_match;          // the lead's version the client saw (If-Match), if any
};

// The body of POST /api/v1/leads/{id}/convert: account_id (an existing account, as a contact's
// account_id is checked) or account (the fields of a new account, as its create takes them),
// contact and deal (fields that override what is copied from the lead, as their changes take
// them). Each part is validated like the body of its own create when the conversion runs.
const domain::BodyDef& lead_conversion_body();
// Validates a conversion body against lead_conversion_body and its one rule between members
// (account_id or account, not both): 422 naming each member at fault.
LeadConversion parse_lead_conversion(const boost::json::object& body);

// Converts; returns {"lead", "account", "contact", "deal"}. 404 unless the caller may read the
// lead, 403 unless they may change it, 412 version_conflict (with `current`) if `if_match` is not
// the lead's version, 409 already_converted; errors inside a part are named "account.name",
// "contact.emails[0]", "deal.amount_minor".
boost::json::object convert_lead(store::Database& db, Records& records, const Context& ctx, const std::string& lead_id,
                                 const LeadConversion& in);
// The same inside the caller's transaction.
boost::json::object convert_lead_in(store::Tx& tx, Records& records, const Context& ctx, const std::string& lead_id,
                                    const LeadConversion& in);

}  // namespace keel::service
