// Turning the server's entity definitions into the tables screens read, and the copy kept on
// the device for opening without a server.
import { describe, expect, it } from 'vitest';
import doc from './openapi.json';
import { fieldLabel } from '../i18n/labels';
import type { AnyRecord } from './types';
import {
  buildEntities, customFieldMeta, entityMeta, fieldMeta, fieldValue, findField, kindOf, recordCurrency, withFieldValue, knownServerTypes, loadCachedMeta, saveCachedMeta, setMetadata,
  type MetaDocument, type ServerField,
} from './meta';

const base = { required: false, read_only: false, filterable: false, sortable: false, searchable: false, custom: false };
const F = (name: string, type: string, extra: Partial<ServerField> = {}): ServerField => ({ ...base, name, type, ...extra });

const sample: MetaDocument = {
  data: [
    {
      name: 'contacts', singular: 'contact', title_field: 'name', catalog: false, any_of_required: ['first_name', 'last_name'],
      fields: [
        F('first_name', 'text', { max_length: 100, searchable: true }),
        F('last_name', 'text', { max_length: 100 }),
        F('name', 'text', { read_only: true, sortable: true, filterable: true, max_length: 201 }),
        F('account_id', 'ref', { ref_entity: 'accounts', filterable: true }),
        F('tags', 'tags', { max_items: 20 }),
        F('shoe', 'select', { custom: true, label: 'Shoe size', choices: ['S', 'M'], required: true, filterable: true, sortable: true }),
        F('nick', 'text', { custom: true, label: 'Nickname', max_length: 30 }),
        F('budget', 'money', { custom: true, label: 'Budget', min: 0, max: 9e15, filterable: true, sortable: true }),
        F('seats', 'integer', { custom: true, label: 'Seats', filterable: true, sortable: true }),
        F('vip', 'boolean', { custom: true, label: 'VIP', filterable: true }),
        F('ratio', 'number', { custom: true, label: 'Ratio', filterable: true }),
        F('met_on', 'date', { custom: true, label: 'Met on', sortable: true }),
        F('owner_id', 'ref', { ref_entity: 'users', filterable: true, system: true }),
        F('created_at', 'datetime', { read_only: true, sortable: true, filterable: true, system: true }),
        F('updated_at', 'datetime', { read_only: true, sortable: true, filterable: true, system: true }),
      ],
    },
    {
      name: 'deals', singular: 'deal', title_field: 'name', catalog: false, any_of_required: [],
      fields: [
        F('amount_minor', 'money', { min: 0, max: 9e15, sortable: true, filterable: true }),
        F('status', 'choice', { choices: ['open', 'won', 'lost'], read_only: true, filterable: true }),
        F('future_kind', 'hologram'),
      ],
    },
  ],
};

describe('entity definitions from the server', () => {
  const t = buildEntities(sample);

  it('keeps the server\'s facts and adds the display choices', () => {
    const c = t.contacts;
    expect(c.titleField).toBe('name');
    // Family name first (a display choice), the rest in the server's order, owner last.
    expect(c.fields.map((f) => f.name)).toEqual(['last_name', 'first_name', 'name', 'account_id', 'tags', 'owner_id']);
    expect(c.fields.find((f) => f.name === 'first_name')).toEqual({ name: 'first_name', kind: 'text', maxLength: 100, searchable: true });
    expect(c.fields.find((f) => f.name === 'name')).toMatchObject({ readOnly: true, sortable: true, filterable: true });
    expect(c.fields.find((f) => f.name === 'account_id')).toMatchObject({ kind: 'ref', ref: 'accounts', filterable: true });
    expect(c.fields.find((f) => f.name === 'owner_id')).toEqual({ name: 'owner_id', kind: 'user', filterable: true });
    expect(c.systemColumns.map((f) => [f.name, f.kind, f.sortable])).toEqual([['created_at', 'datetime', true], ['updated_at', 'datetime', true]]);
    expect(c.anyOfRequired).toEqual(['first_name', 'last_name']);
    expect(c.columns).toContain('account_id');
    expect(c.activityLink).toBe('contact_id');
  });

  it('lists custom fields apart, with their labels, options and limits', () => {
    expect(t.contacts.custom.slice(0, 3)).toEqual([
      { name: 'shoe', label: 'Shoe size', type: 'select', options: ['S', 'M'], required: true, max_length: 200, filterable: true, sortable: true },
      { name: 'nick', label: 'Nickname', type: 'text', options: [], required: false, max_length: 30, filterable: false, sortable: false },
      { name: 'budget', label: 'Budget', type: 'money', options: [], required: false, max_length: 200, filterable: true, sortable: true, min: 0, max: 9e15 },
    ]);
    expect(t.contacts.fields.some((f) => f.name === 'shoe')).toBe(false);
  });

  it('makes each custom field a field of the kind its type is, named as lists name it', () => {
    const by = (name: string) => customFieldMeta(t.contacts.custom.find((d) => d.name === name)!);
    expect(by('shoe')).toEqual({ name: 'custom.shoe', kind: 'choice', label: 'Shoe size', choices: ['S', 'M'], required: true, filterable: true, sortable: true });
    expect(by('nick')).toEqual({ name: 'custom.nick', kind: 'text', label: 'Nickname', maxLength: 30 });
    expect(by('budget')).toEqual({ name: 'custom.budget', kind: 'money', label: 'Budget', min: 0, max: 9e15, currencyField: 'currency', filterable: true, sortable: true });
    expect(by('seats')).toEqual({ name: 'custom.seats', kind: 'integer', label: 'Seats', filterable: true, sortable: true });
    expect(by('vip')).toEqual({ name: 'custom.vip', kind: 'boolean', label: 'VIP', filterable: true });
    expect(by('ratio')).toMatchObject({ kind: 'decimal', filterable: true });
    expect(by('met_on')).toMatchObject({ kind: 'date', sortable: true });
    expect(findField(t.contacts, 'custom.vip')).toEqual(by('vip'));
    expect(findField(t.contacts, 'custom.nope')).toBeUndefined();
    expect(findField(t.contacts, 'account_id')?.kind).toBe('ref');
    expect(customFieldMeta({ name: 'x', label: 'X', type: 'hologram' as never, options: [], required: false, max_length: 9, filterable: false, sortable: false }).kind).toBe('text');
  });

  it('reads and replaces values of built-in and custom fields, and the currency of an amount', () => {
    const r = { id: '1', version: 1, custom: { budget: 1250 }, currency: 'USD', name: 'A' } as unknown as AnyRecord;
    expect(fieldValue(r, 'custom.budget')).toBe(1250);
    expect(fieldValue(r, 'name')).toBe('A');
    expect(fieldValue({ ...r, custom: undefined } as unknown as AnyRecord, 'custom.budget')).toBeUndefined();
    expect(withFieldValue(r, 'custom.budget', 99).custom).toEqual({ budget: 99 });
    expect(r.custom).toEqual({ budget: 1250 }); // not changed in place
    expect(withFieldValue(r, 'name', 'B').name).toBe('B');
    expect(recordCurrency(r, { currencyField: 'currency' })).toBe('USD');
    expect(recordCurrency({ ...r, currency: undefined }, {})).toBe('CNY');
  });

  it('translates choices through the display group and money through its currency field', () => {
    expect(t.deals.fields.find((f) => f.name === 'status')).toMatchObject({ kind: 'choice', choices: ['open', 'won', 'lost'], choiceGroup: 'deal_status', readOnly: true });
    expect(t.deals.fields.find((f) => f.name === 'amount_minor')).toMatchObject({ kind: 'money', currencyField: 'currency', min: 0, sortable: true });
  });

  it('shows a type it does not know as text instead of hiding the field', () => {
    expect(t.deals.fields.find((f) => f.name === 'future_kind')?.kind).toBe('text');
  });

  it('describes an entity the role may not read as empty', () => {
    expect(t.accounts.fields).toEqual([]);
    expect(t.accounts.custom).toEqual([]);
    expect(t.accounts.columns.length).toBeGreaterThan(0); // display choices still there
  });

  it('knows every built-in field type the server documents', () => {
    const field = (doc as unknown as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { properties: { data: { items: { properties: { fields: { items: { description: string } } } } } } } }> }> } }> })
      .paths['/api/v1/meta/entities']!.get.responses['200']!.content['application/json']!.schema.properties.data.items.properties.fields.items;
    const listed = /built-in kind \(([^)]*)\)/.exec(field.description)![1]!.split(',').map((s) => s.trim());
    expect(listed.sort()).toEqual(knownServerTypes().sort());
    expect(kindOf({ type: 'long_text' })).toBe('longtext');
    expect(kindOf({ type: 'line_items' })).toBe('items');
    expect(kindOf({ type: 'ref_list', ref_entity: 'contacts' })).toBe('reflist');
    expect(kindOf({ type: 'ref', ref_entity: 'users' })).toBe('user');
  });

  it('serves the definitions in force to code outside React', () => {
    setMetadata(sample);
    expect(entityMeta('contacts').custom).toHaveLength(7);
    expect(fieldMeta('contacts', 'custom.seats')).toMatchObject({ name: 'custom.seats', kind: 'integer', label: 'Seats' });
    expect(fieldMeta('contacts', 'custom.gone')).toBeUndefined();
    expect(fieldLabel('contacts', 'custom.seats')).toBe('Seats'); // as its administrator named it
    expect(fieldLabel('contacts', 'custom.gone')).toBe('gone');
    expect(fieldMeta('contacts', 'created_at')?.kind).toBe('datetime');
    expect(fieldMeta('contacts', 'nope')).toBeUndefined();
    setMetadata({ data: [] });
    expect(fieldMeta('contacts', 'created_at')).toBeUndefined();
  });
});

describe('the copy kept on the device', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
  };

  it('is read back for the same user only', () => {
    const s = memory();
    saveCachedMeta(s, 'u1', sample);
    expect(loadCachedMeta(s, 'u1')).toEqual(sample);
    expect(loadCachedMeta(s, 'u2')).toBeUndefined();
  });

  it('is ignored when missing, unreadable or not a definitions document', () => {
    const s = memory();
    expect(loadCachedMeta(s, 'u1')).toBeUndefined();
    s.setItem('keel.meta', '{not json');
    expect(loadCachedMeta(s, 'u1')).toBeUndefined();
    s.setItem('keel.meta', JSON.stringify({ user: 'u1', doc: { data: [{ name: 'x' }] } }));
    expect(loadCachedMeta(s, 'u1')).toBeUndefined();
    expect(loadCachedMeta(undefined, 'u1')).toBeUndefined();
  });

  it('does not fail when storage refuses to save', () => {
    const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => saveCachedMeta(full, 'u1', sample)).not.toThrow();
  });
});
