import { describe, expect, it } from 'vitest';
import { fieldValueProblem } from './fieldChecks';

const money = { min: 0, max: 9_000_000_000_000_000 };

describe('checks of a value before it is sent', () => {
  it('leaves empty values to the required rule', () => {
    for (const kind of ['money', 'integer', 'decimal', 'text']) {
      expect(fieldValueProblem(kind, null, {}, 'CNY')).toBeNull();
      expect(fieldValueProblem(kind, undefined, {}, 'CNY')).toBeNull();
      expect(fieldValueProblem(kind, '', {}, 'CNY')).toBeNull();
    }
  });

  it('money: minor units within the bounds, typed text read in the currency', () => {
    expect(fieldValueProblem('money', 125050, money, 'CNY')).toBeNull();
    expect(fieldValueProblem('money', 0, money, 'CNY')).toBeNull();
    expect(fieldValueProblem('money', -1, money, 'CNY')).toBe('out_of_range');
    expect(fieldValueProblem('money', 9_000_000_000_000_001, money, 'CNY')).toBe('out_of_range');
    expect(fieldValueProblem('money', 1.5, money, 'CNY')).toBe('invalid_money');
    expect(fieldValueProblem('money', '12.345', money, 'CNY')).toBe('too_many_decimals');
    expect(fieldValueProblem('money', '12.5', money, 'JPY')).toBe('too_many_decimals');
    expect(fieldValueProblem('money', 'abc', money, 'CNY')).toBe('invalid_money');
    expect(fieldValueProblem('money', '-5', money, 'CNY')).toBe('out_of_range');
    expect(fieldValueProblem('money', '12.50', money, 'CNY')).toBeNull();
  });

  it('integer: whole numbers within the bounds', () => {
    expect(fieldValueProblem('integer', 42, {}, 'CNY')).toBeNull();
    expect(fieldValueProblem('integer', -7, {}, 'CNY')).toBeNull();
    expect(fieldValueProblem('integer', '12', {}, 'CNY')).toBeNull();
    expect(fieldValueProblem('integer', 4.5, {}, 'CNY')).toBe('must_be_integer');
    expect(fieldValueProblem('integer', '4.5', {}, 'CNY')).toBe('must_be_integer');
    expect(fieldValueProblem('integer', 'five', {}, 'CNY')).toBe('must_be_integer');
    expect(fieldValueProblem('integer', 2 ** 60, {}, 'CNY')).toBe('out_of_range');
    expect(fieldValueProblem('integer', 101, { min: 0, max: 100 }, 'CNY')).toBe('out_of_range');
    expect(fieldValueProblem('integer', 100, { min: 0, max: 100 }, 'CNY')).toBeNull();
  });

  it('decimal: an exact decimal string as the server keeps it', () => {
    expect(fieldValueProblem('decimal', '12.50', {}, 'CNY')).toBeNull();
    expect(fieldValueProblem('decimal', '-3', {}, 'CNY')).toBeNull();
    expect(fieldValueProblem('decimal', 7, {}, 'CNY')).toBeNull();
    expect(fieldValueProblem('decimal', '12.', {}, 'CNY')).toBe('invalid_decimal');
    expect(fieldValueProblem('decimal', '1,5', {}, 'CNY')).toBe('invalid_decimal');
    expect(fieldValueProblem('decimal', '1'.repeat(33), {}, 'CNY')).toBe('invalid_decimal');
  });

  it('other kinds are checked by the server alone', () => {
    expect(fieldValueProblem('text', 'anything', {}, 'CNY')).toBeNull();
    expect(fieldValueProblem('boolean', false, {}, 'CNY')).toBeNull();
  });
});
