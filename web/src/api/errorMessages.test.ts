// Every error code the server sends has its own message in both languages; the server's English
// text is never shown. The codes come from the server itself: the x-error-codes list of its
// OpenAPI document (src/core/error_codes.cc), saved in openapi.json (kept in step with the server
// by `npm run api:check -- URL` in the browser tests and by the C++ unit test error_codes_test).
import { beforeAll, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import en from '../i18n/en';
import zhCN from '../i18n/zh-CN';
import { errorMessage, fieldErrorsByField, formFieldOf } from './errorMessages';
import { ApiError, NetworkError, problemToError } from './errors';
import openapi from './openapi.json';

interface ListedCode {
  code: string;
  status?: number;
  description: string;
}
const listed = (openapi as unknown as { 'x-error-codes'?: { problem: ListedCode[]; field: ListedCode[] } })['x-error-codes'];
const problemCodes = listed?.problem ?? [];
const fieldCodes = listed?.field ?? [];

// Field codes the app produces itself, for its own form checks (lib/money.ts, RecordFormFields).
const clientFieldCodes = ['invalid_money', 'too_many_decimals', 'invalid_decimal'];

const languages = [
  ['en', en],
  ['zh-CN', zhCN],
] as const;

describe('error messages', () => {
  beforeAll(async () => {
    await i18n.changeLanguage('en');
  });

  it('reads the codes from the OpenAPI document', () => {
    expect(problemCodes.length).toBeGreaterThan(40);
    expect(fieldCodes.length).toBeGreaterThan(15);
    expect(problemCodes).toContainEqual(expect.objectContaining({ code: 'version_conflict', status: 412 }));
    expect(fieldCodes).toContainEqual(expect.objectContaining({ code: 'use_decimal_string' }));
  });

  it.each(languages)('has a message for every problem code the server sends (%s)', (_, messages) => {
    const missing = problemCodes.filter(({ code }) => !(typeof (messages.errors.code as Record<string, string>)[code] === 'string'));
    expect(missing.map((c) => `${c.code} (${c.status}): ${c.description}`)).toEqual([]);
  });

  it.each(languages)('has a message for every field error code the server sends (%s)', (_, messages) => {
    const missing = fieldCodes.filter(({ code }) => !(typeof (messages.errors.field as Record<string, string>)[code] === 'string'));
    expect(missing.map((c) => `${c.code}: ${c.description}`)).toEqual([]);
  });

  it('has no messages for codes the server does not send', () => {
    const problems = new Set(problemCodes.map((c) => c.code));
    const fields = new Set([...fieldCodes.map((c) => c.code), ...clientFieldCodes]);
    for (const [, messages] of languages) {
      expect(Object.keys(messages.errors.code).filter((c) => !problems.has(c))).toEqual([]);
      expect(Object.keys(messages.errors.field).filter((c) => !fields.has(c))).toEqual([]);
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
