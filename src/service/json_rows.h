// Two readings every service makes: a member of a JSON object that may be absent, and a text
// column that may be NULL, as JSON.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string_view>

#include "store/db.h"

namespace keel::service {

// The member `k` of `o`, or null when `o` has none.
inline const boost::json::value& member(const boost::json::object& o, std::string_view k) {
  static const boost::json::value null_value;
  auto it = o.find(k);
  return it == o.end() ? null_value : it->value();
}

// Column `i` of `row` as JSON text, or null when it is NULL.
inline boost::json::value text_or_null(const store::Row& row, size_t i) {
  return row.is_null(i) ? boost::json::value(nullptr) : boost::json::value(row.text(i));
}

}  // namespace keel::service
