#include "domain/money.h"

#include <set>

namespace keel::domain {

int currency_digits(std::string_view currency) {
  // CLDR's digits (Intl.NumberFormat's maximumFractionDigits in Node 20 / ICU 78) for the codes
  // is_currency_code accepts; every other accepted code has 2.
  static const std::set<std::string_view> zero = {
      "AFN", "ALL", "BIF", "CLP", "COP", "DJF", "GNF", "HUF", "IDR", "IQD", "IRR", "ISK", "JPY", "KMF", "KPW", "KRW",
      "LAK", "LBP", "MGA", "MMK", "PKR", "PYG", "RWF", "SOS", "SYP", "UGX", "VND", "VUV", "XAF", "XOF", "XPF", "YER"};
  static const std::set<std::string_view> three = {"BHD", "JOD", "KWD", "LYD", "OMR", "TND"};
  if (zero.count(currency)) return 0;
  if (three.count(currency)) return 3;
  return 2;
}

std::string minor_to_decimal(int64_t minor, int digits) {
  bool negative = minor < 0;
  // Through unsigned so that INT64_MIN's magnitude is representable.
  uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  std::string text = std::to_string(magnitude);
  if (digits > 0) {
    size_t d = static_cast<size_t>(digits);
    if (text.size() <= d) text.insert(0, d + 1 - text.size(), '0');
    text.insert(text.size() - d, ".");
  }
  return negative ? "-" + text : text;
}

Int128 divide_half_away_from_zero(Int128 n, int64_t d) {
  const Int128 q = n / d, r = n % d;  // C++ truncates toward zero; r has n's sign
  const Int128 twice = r < 0 ? -2 * r : 2 * r;
  if (twice < d) return q;
  return n < 0 ? q - 1 : q + 1;
}

}  // namespace keel::domain
