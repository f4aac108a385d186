import { describe, expect, it } from 'vitest';
import { currencyDigits, formatMoney, minorToDecimal, parseMoney, totalsByCurrency } from './money';

describe('money in minor units', () => {
  it('knows how many minor digits a currency has', () => {
    expect(currencyDigits('CNY')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('KWD')).toBe(3);
  });
  it('converts minor units to an exact decimal', () => {
    expect(minorToDecimal(1250000, 2)).toBe('12500.00');
    expect(minorToDecimal(5, 2)).toBe('0.05');
    expect(minorToDecimal(-1250, 2)).toBe('-12.50');
    expect(minorToDecimal(1234, 0)).toBe('1234');
    expect(minorToDecimal(9007199254740991, 2)).toBe('90071992547409.91');
  });
  it('formats with the currency in the user language', () => {
    expect(formatMoney(1250000, 'CNY', 'zh-CN')).toBe('¥12,500.00');
    expect(formatMoney(1250000, 'USD', 'en')).toBe('$12,500.00');
    expect(formatMoney(1250000, 'CNY', 'en')).toBe('CN¥12,500.00');
    expect(formatMoney(1234, 'JPY', 'en')).toBe('¥1,234');
    expect(formatMoney(null, 'CNY', 'en')).toBe('');
  });
  it('never rounds through floating point', () => {
    // 0.1 + 0.2 style errors would show as ...0.30000000000000004
    expect(formatMoney(30, 'USD', 'en')).toBe('$0.30');
    expect(formatMoney(900719925474099, 'USD', 'en')).toBe('$9,007,199,254,740.99');
  });
  it('reads typed amounts, full-width digits and separators included', () => {
    expect(parseMoney('12,500.5', 'CNY')).toEqual({ ok: true, minor: 1250050 });
    expect(parseMoney('１２５００', 'CNY')).toEqual({ ok: true, minor: 1250000 });
    expect(parseMoney('¥ 88', 'CNY')).toEqual({ ok: true, minor: 8800 });
    expect(parseMoney('.5', 'USD')).toEqual({ ok: true, minor: 50 });
    expect(parseMoney('1000', 'JPY')).toEqual({ ok: true, minor: 1000 });
  });
  it('rejects more decimals than the currency has, and text', () => {
    expect(parseMoney('1.234', 'CNY')).toEqual({ ok: false, code: 'too_many_decimals' });
    expect(parseMoney('1.5', 'JPY')).toEqual({ ok: false, code: 'too_many_decimals' });
    expect(parseMoney('1.50', 'CNY')).toEqual({ ok: true, minor: 150 });
    expect(parseMoney('abc', 'CNY')).toEqual({ ok: false, code: 'invalid_money' });
    expect(parseMoney('99999999999999999', 'CNY')).toEqual({ ok: false, code: 'out_of_range' });
  });
  it('totals per currency, never across currencies', () => {
    const t = totalsByCurrency([
      { amount: 100, currency: 'CNY' },
      { amount: 250, currency: 'CNY' },
      { amount: 99, currency: 'USD' },
      { amount: null, currency: 'USD' },
    ]);
    expect([...t]).toEqual([['CNY', 350], ['USD', 99]]);
  });
});
