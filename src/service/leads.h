// Lead conversion: a lead becomes an account (new or existing), a contact and optionally a deal,
// in one transaction; the lead is linked to them and marked converted.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

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

// Validates a conversion body (422 naming each member at fault).
LeadConversion parse_lead_conversion(const boost::json::object& body, const std::string& time_zone);

// Converts; returns {"lead", "account", "contact", "deal"}. 404 unless the caller may read the
// lead, 403 unless they may change it, 412 version_conflict (with `current`) if `if_match` is not
// the lead's version, 409 already_converted; errors inside a part are named "account.name",
// "contact.emails[0]", "deal.amount_minor".
boost::json::object convert_lead(store::Database& db, Records& records, const Context& ctx, const std::string& lead_id,
                                 const LeadConversion& in);

}  // namespace keel::service
