// Every error code the server documents (README error table) and every field code it can send
// has its own message in both languages; the server's English text is never shown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import en from '../i18n/en';
import zhCN from '../i18n/zh-CN';
import { errorMessage, fieldErrorsByField, formFieldOf } from './errorMessages';
import { ApiError, NetworkError, problemToError } from './errors';

const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
// Rows of the "| status | codes |" table: | 409 | `id_conflict`, `in_trash`, ... |
const tableCodes = [...readme.matchAll(/^\| (\d{3}) \| (.+) \|$/gm)].flatMap((m) =>
  // Parenthesised notes ("with `current_version`", "field codes: ...") are not request codes.
  [...m[2]!.replace(/\([^)]*\)/g, '').matchAll(/`([a-z_]+)`/g)].map((c) => ({ status: Number(m[1]), code: c[1]! })),
);
const requestCodes = tableCodes;

describe('error messages', () => {
  beforeAll(async () => {
    await i18n.changeLanguage('en');
  });

  it('reads the README error table', () => {
    expect(tableCodes.length).toBeGreaterThan(40);
    expect(tableCodes).toContainEqual({ status: 412, code: 'version_conflict' });
  });

  it('has a message for every documented request error code, in both languages', () => {
    const missing = requestCodes.filter(({ code }) => !(code in en.errors.code));
    expect(missing).toEqual([]);
    for (const { code } of requestCodes) {
      expect(code in zhCN.errors.code, code).toBe(true);
    }
  });

  it('has a message for every documented field error code, in both languages', () => {
    const line = readme.match(/field codes: (.+?)\)/)?.[1] ?? '';
    const codes = [...line.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(10);
    for (const c of codes) {
      expect(c in en.errors.field, c).toBe(true);
      expect(c in zhCN.errors.field, c).toBe(true);
    }
  });

  it('shows the translated message, never the server text', async () => {
    const err = problemToError(409, { code: 'stage_in_use', title: 'Deals are in this stage (server text)' }, null);
    expect(errorMessage(err)).toBe(en.errors.code.stage_in_use);
    expect(errorMessage(err)).not.toContain('server text');
    await i18n.changeLanguage('zh-CN');
    expect(errorMessage(err)).toBe(zhCN.errors.code.stage_in_use);
    await i18n.changeLanguage('en');
  });

  it('falls back to the HTTP status, then to a generic message', () => {
    expect(errorMessage(new ApiError({ status: 409, code: 'brand_new_code' }))).toBe(en.errors.status[409]);
    expect(errorMessage(new ApiError({ status: 418, code: 'teapot' }))).toBe(en.errors.unknown);
    expect(errorMessage(new Error('TypeError: x is undefined\n at foo.js:1'))).toBe(en.errors.unknown);
  });

  it('says the network failed, and how long to wait when rate limited', () => {
    expect(errorMessage(new NetworkError())).toBe(en.network.failed);
    const limited = problemToError(429, { code: 'rate_limited' }, '30');
    expect(errorMessage(limited)).toBe('Too many requests. Wait 30 seconds and try again.');
  });

  it('handles a body that is not a problem document', () => {
    const err = problemToError(503, null, null);
    expect(err.code).toBe('http_503');
    expect(errorMessage(err)).toBe(en.errors.status[503]);
  });

  it('places field errors on the form field they belong to', () => {
    const err = problemToError(422, {
      code: 'validation_failed',
      errors: [
        { field: 'emails[1]', code: 'invalid_format', message: 'x' },
        { field: 'custom.size', code: 'invalid_type', message: 'x' },
        { field: 'items[0].quantity', code: 'out_of_range', message: 'x' },
        { field: 'name', code: 'brand_new', message: 'x' },
      ],
    }, null);
    expect(fieldErrorsByField(err)).toEqual({
      emails: [en.errors.field.invalid_format],
      'custom.size': [en.errors.field.invalid_type],
      items: [en.errors.field.out_of_range],
      name: [en.errors.fieldGeneric],
    });
    expect(formFieldOf('stages[2].name')).toBe('stages');
  });

  it('keeps the current record of a version conflict', () => {
    const err = problemToError(412, { code: 'version_conflict', current_version: 5, current: { id: 'x', version: 5 } }, null);
    expect(err.isConflict).toBe(true);
    expect(err.current?.version).toBe(5);
  });
});
