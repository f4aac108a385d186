// domain/money.h: minor units as decimal amounts in major units, and the currencies' digits;
// service/export.h's CSV cells.
#include "domain/money.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "service/export.h"

namespace keel {
namespace {

using domain::currency_digits;
using domain::minor_to_decimal;

TEST(Money, CurrencyDigitsFollowTheWebApp) {
  EXPECT_EQ(currency_digits("CNY"), 2);
  EXPECT_EQ(currency_digits("USD"), 2);
  EXPECT_EQ(currency_digits("EUR"), 2);
  EXPECT_EQ(currency_digits("JPY"), 0);
  EXPECT_EQ(currency_digits("KRW"), 0);
  EXPECT_EQ(currency_digits("KWD"), 3);
  EXPECT_EQ(currency_digits("BHD"), 3);
  EXPECT_EQ(currency_digits("XXX"), 2) << "an unknown code has 2, as in the web app";
}

TEST(Money, MinorUnitsBecomeExactDecimals) {
  EXPECT_EQ(minor_to_decimal(7300000, 2), "73000.00");
  EXPECT_EQ(minor_to_decimal(7300000, 0), "7300000");
  EXPECT_EQ(minor_to_decimal(1250050, 2), "12500.50");
  EXPECT_EQ(minor_to_decimal(0, 2), "0.00");
  EXPECT_EQ(minor_to_decimal(5, 2), "0.05");
  EXPECT_EQ(minor_to_decimal(99, 2), "0.99");
  EXPECT_EQ(minor_to_decimal(100, 2), "1.00");
  EXPECT_EQ(minor_to_decimal(1234, 3), "1.234");
  EXPECT_EQ(minor_to_decimal(7, 3), "0.007");
  EXPECT_EQ(minor_to_decimal(0, 0), "0");
  EXPECT_EQ(minor_to_decimal(-5, 2), "-0.05");
  EXPECT_EQ(minor_to_decimal(-123456, 2), "-1234.56");
}

TEST(Money, NoFloatAnywhere) {
  // Beyond a double's 53 bits: every digit kept.
  EXPECT_EQ(minor_to_decimal(9'000'000'000'000'000'001, 2), "90000000000000000.01");
  EXPECT_EQ(minor_to_decimal(std::numeric_limits<int64_t>::max(), 2), "92233720368547758.07");
  EXPECT_EQ(minor_to_decimal(std::numeric_limits<int64_t>::min(), 2), "-92233720368547758.08");
  EXPECT_EQ(minor_to_decimal(std::numeric_limits<int64_t>::min(), 0), "-9223372036854775808");
}

TEST(Money, WeightedTotalsRoundHalfAwayFromZero) {
  using domain::divide_half_away_from_zero;
  using domain::Int128;
  EXPECT_EQ(divide_half_away_from_zero(250, 100), 3) << "a half goes up";
  EXPECT_EQ(divide_half_away_from_zero(249, 100), 2);
  EXPECT_EQ(divide_half_away_from_zero(251, 100), 3);
  EXPECT_EQ(divide_half_away_from_zero(50, 100), 1) << "0.5 -> 1, not banker's 0";
  EXPECT_EQ(divide_half_away_from_zero(49, 100), 0);
  EXPECT_EQ(divide_half_away_from_zero(0, 100), 0);
  EXPECT_EQ(divide_half_away_from_zero(-250, 100), -3) << "away from zero, not up";
  EXPECT_EQ(divide_half_away_from_zero(-249, 100), -2);
  EXPECT_EQ(divide_half_away_from_zero(300, 100), 3) << "exact stays exact";
  // 333 x 33% = 109.89 -> 110; three deals of 1 minor unit at 50% -> 150/100 = 1.5 -> 2 (summed
  // before rounding: rounding each would give 3).
  EXPECT_EQ(divide_half_away_from_zero(333 * 33, 100), 110);
  EXPECT_EQ(divide_half_away_from_zero(3 * 1 * 50, 100), 2);
  // Beyond int64_t: 9e18 x 100 (a full-probability deal at the largest amount) is exact.
  const Int128 big = Int128{9'000'000'000'000'000'000} * 100 + 50;
  EXPECT_TRUE(divide_half_away_from_zero(big, 100) == Int128{9'000'000'000'000'000'001});
}

std::string cell(std::string text) {
  std::string out;
  service::append_csv_cell(out, std::move(text));
  return out;
}

TEST(CsvCell, QuotesAndGuardsFormulas) {
  EXPECT_EQ(cell("plain"), "plain");
  EXPECT_EQ(cell("a,b"), "\"a,b\"");
  EXPECT_EQ(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(cell("two\r\nlines"), "\"two\r\nlines\"");
  EXPECT_EQ(cell("=1+2"), "'=1+2");
  EXPECT_EQ(cell("+86 138"), "'+86 138");
  EXPECT_EQ(cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(cell("-2+3"), "'-2+3");
  EXPECT_EQ(cell("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  EXPECT_EQ(cell("-0.05"), "-0.05") << "a negative amount stays a number";
  EXPECT_EQ(cell("王小明"), "王小明");
}

}  // namespace
}  // namespace keel
