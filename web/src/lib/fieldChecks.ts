// What a form checks before sending a value, by the field's kind, with the server's own field
// error codes (so the message is the one the server's answer would bring). Values are in the
// API's format: integers and money (minor units) as numbers, exact decimals as strings; text a
// money or number input could not read yet arrives as the text typed.
import { parseMoney } from './money';

export type FieldCheckCode = 'invalid_money' | 'too_many_decimals' | 'out_of_range' | 'must_be_integer' | 'invalid_decimal';

export interface FieldBounds {
  min?: number;
  max?: number;
}

// The server's exact decimal: digits with an optional fraction, at most 32 characters.
const DECIMAL = /^-?\d+(\.\d+)?$/;

function outOfRange(n: number, { min, max }: FieldBounds): boolean {
  return (min !== undefined && n < min) || (max !== undefined && n > max);
}

// The first problem with `value` for a field of this kind, or null (also for an empty value:
// whether one is required is the form's other rule).
export function fieldValueProblem(kind: string, value: unknown, bounds: FieldBounds, currency: string): FieldCheckCode | null {
  if (value === null || value === undefined || value === '') return null;
  switch (kind) {
    case 'money': {
      let minor = value;
      if (typeof value === 'string') {
        const p = parseMoney(value, currency);
        if (!p.ok) return p.code;
        minor = p.minor;
      }
      if (typeof minor !== 'number' || !Number.isSafeInteger(minor)) return 'invalid_money';
      return outOfRange(minor, bounds) ? 'out_of_range' : null;
    }
    case 'integer': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) return 'must_be_integer';
      if (!Number.isSafeInteger(n)) return 'out_of_range';
      return outOfRange(n, bounds) ? 'out_of_range' : null;
    }
    case 'decimal': {
      const text = typeof value === 'number' ? String(value) : value;
      return typeof text === 'string' && text.length <= 32 && DECIMAL.test(text) ? null : 'invalid_decimal';
    }
    default:
      return null;
  }
}
