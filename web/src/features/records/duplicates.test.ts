import { describe, expect, it } from 'vitest';
import { phoneDigits, sameEmail, samePhone } from './duplicates';

describe('duplicate matching', () => {
  it('folds phones to digits and ignores a dropped country prefix', () => {
    expect(phoneDigits('+86 138-0013 (8000)')).toBe('8613800138000');
    expect(samePhone('+86 138 0013 8000', '138-0013-8000')).toBe(true);
    expect(samePhone('138 0013 8000', '138 0013 8001')).toBe(false);
    expect(samePhone('8000', '+86 138 0013 8000')).toBe(false); // too short to be a number
  });
  it('compares emails without case or surrounding spaces', () => {
    expect(sameEmail(' Ada@Example.org', 'ada@example.org')).toBe(true);
    expect(sameEmail('ada@example.org', 'ada@example.com')).toBe(false);
  });
});
