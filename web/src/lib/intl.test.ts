import { describe, expect, it } from 'vitest';
import { dateTimeFormat, numberFormat } from './intl';

describe('cached Intl formatters', () => {
  it('gives the same formatter for the same locale and options, another for others', () => {
    const a = numberFormat('zh-CN', { style: 'currency', currency: 'CNY' });
    expect(numberFormat('zh-CN', { style: 'currency', currency: 'CNY' })).toBe(a);
    expect(numberFormat('en', { style: 'currency', currency: 'CNY' })).not.toBe(a);
    expect(numberFormat('zh-CN', { style: 'currency', currency: 'USD' })).not.toBe(a);
    expect(a.format(12500.5)).toBe('¥12,500.50');
    const d = dateTimeFormat('en', { dateStyle: 'medium', timeZone: 'Asia/Shanghai' });
    expect(dateTimeFormat('en', { dateStyle: 'medium', timeZone: 'Asia/Shanghai' })).toBe(d);
    expect(dateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' })).not.toBe(d);
    expect(d.format(new Date('2026-03-04T20:00:00Z'))).toBe('Mar 5, 2026');
  });

  it('throws for an unknown time zone and keeps nothing for it', () => {
    expect(() => dateTimeFormat('en', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => dateTimeFormat('en', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});
