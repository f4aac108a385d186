// Money is an integer number of minor units plus an ISO 4217 currency (README: amount_minor
// 1250000 with CNY is ¥12,500.00). Conversions here are exact decimal string work, never
// floating-point arithmetic, so 0.1 + 0.2 problems cannot reach a price.
import { numberFormat } from './intl';

// The currency of an amount whose record names none (a custom money field on a contact): the
// server keeps such amounts as minor units only, and the app reads and shows them in this one.
export const DEFAULT_CURRENCY = 'CNY';

export const COMMON_CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP', 'SGD', 'TWD', 'KRW', 'AUD', 'CAD', 'CHF'];

// Number of minor-unit digits of a currency: 2 for CNY/USD, 0 for JPY/KRW, 3 for KWD.
export function currencyDigits(currency: string): number {
  try {
    return numberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2; // unknown code: the server will reject it anyway
  }
}

// 1250050 with 2 digits → "12500.50"; exact for any integer the API can send.
export function minorToDecimal(minor: number | bigint, digits: number): string {
  const n = BigInt(minor);
  const negative = n < 0n;
  const abs = (negative ? -n : n).toString().padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const frac = digits > 0 ? '.' + abs.slice(abs.length - digits) : '';
  return (negative ? '-' : '') + whole + frac;
}

export function formatMoney(minor: number | null | undefined, currency: string | null | undefined, locale: string): string {
  if (minor === null || minor === undefined) return '';
  if (!currency) return minorToDecimal(minor, 2);
  const digits = currencyDigits(currency);
  const decimal = minorToDecimal(minor, digits);
  try {
    const fmt = numberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    // Intl formats decimal strings exactly (no rounding through a double).
    return fmt.format(decimal as unknown as number);
  } catch {
    return `${decimal} ${currency}`;
  }
}

export type MoneyParse = { ok: true; minor: number } | { ok: false; code: 'invalid_money' | 'too_many_decimals' | 'out_of_range' };

// Reads what a person types ("12,500.5", "１２５００", "¥ 12500") into minor units. More
// decimals than the currency has is an error, never a rounding.
export function parseMoney(text: string, currency: string): MoneyParse {
  const digits = currencyDigits(currency);
  const normalized = text
    .normalize('NFKC') // full-width digits and punctuation from Chinese input methods
    .replace(/[\s,_'¥$€£]/g, '')
    .replace(/^[A-Z]{3}/i, '');
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(normalized) ?? /^(-?)()\.(\d+)$/.exec(normalized);
  if (!m) return { ok: false, code: 'invalid_money' };
  const [, sign, whole = '', fracRaw = ''] = m;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > digits) return { ok: false, code: 'too_many_decimals' };
  const minorText = (whole || '0') + frac.padEnd(digits, '0');
  const big = BigInt(minorText) * (sign === '-' ? -1n : 1n);
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < -BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, code: 'out_of_range' };
  return { ok: true, minor: Number(big) };
}

// Sums amounts per currency (a pipeline column can hold deals in CNY and USD; adding them
// would be wrong).
export function totalsByCurrency(items: { amount: number | null | undefined; currency: string | null | undefined }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const { amount, currency } of items) {
    if (amount === null || amount === undefined || !currency) continue;
    out.set(currency, (out.get(currency) ?? 0) + amount);
  }
  return out;
}
