// Money as people read it: minor units (what the API and the database hold) turned into a decimal
// amount in major units with exactly the currency's number of digits ("73000.00" for 7300000 CNY,
// "7300000" for JPY). Pure integer and string work, never a float.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace keel::domain {

// The currency of an amount whose record names none (a custom money field on a contact); the
// web app uses the same one (web/src/lib/money.ts DEFAULT_CURRENCY).
inline constexpr std::string_view kDefaultCurrency = "CNY";

// Number of minor-unit digits of a currency: 2 for CNY/USD, 0 for JPY/KRW, 3 for KWD. The same
// table the web app reads from Intl.NumberFormat (CLDR), so an amount typed in the app as
// "73000" JPY and exported reads back as 73000; an unknown code has 2.
int currency_digits(std::string_view currency);

// 7300000 with 2 digits -> "73000.00"; -5 with 2 -> "-0.05"; 42 with 0 -> "42". Exact for every
// int64_t, INT64_MIN included.
std::string minor_to_decimal(int64_t minor, int digits);

// Exact sums of many int64_t amounts, and of amounts times percentages, which int64_t cannot
// hold (amounts go up to 9e18). A GCC/Clang extension, hence the keyword under -Wpedantic.
__extension__ typedef __int128 Int128;

// n / d rounded to a whole number, halves away from zero (d > 0): 250/100 -> 3, 249/100 -> 2,
// -250/100 -> -3. How a weighted total becomes whole minor units: Σ amount × percent is summed
// exactly and divided once, so a stage's weighted total does not depend on how its deals are
// grouped or ordered.
Int128 divide_half_away_from_zero(Int128 n, int64_t d);

}  // namespace keel::domain
