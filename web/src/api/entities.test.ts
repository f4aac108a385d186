// The app's field tables must match the server's: every field exists in the OpenAPI schema
// with the same choices, read-only fields are read-only there, and every field has a label in
// both languages.
import { describe, expect, it } from 'vitest';
import doc from './openapi.json';
import { ENTITIES } from './entities';
import en from '../i18n/en';
import zhCN from '../i18n/zh-CN';

const SINGULAR: Record<string, string> = {
  accounts: 'account', contacts: 'contact', leads: 'lead', deals: 'deal', activities: 'activity',
  tasks: 'task', products: 'product', orders: 'order', pipelines: 'pipeline',
};
type Prop = { enum?: string[]; readOnly?: boolean };
const schemas = (doc as unknown as { components: { schemas: Record<string, { properties: Record<string, Prop>; required?: string[] }> } }).components.schemas;

describe('entity field tables', () => {
  for (const [name, meta] of Object.entries(ENTITIES)) {
    it(`${name} matches the OpenAPI schema`, () => {
      const schema = schemas[SINGULAR[name]!]!;
      for (const f of meta.fields) {
        const prop = schema.properties[f.name];
        expect(prop, `${name}.${f.name} in OpenAPI`).toBeDefined();
        if (prop?.enum) expect([...(f.choices ?? [])], `${name}.${f.name} choices`).toEqual(prop.enum);
        if (prop?.readOnly) expect(f.readOnly, `${name}.${f.name} read-only`).toBe(true);
        // Required on create: the *_create schema when the document has one, else the record's.
        const required = schemas[`${SINGULAR[name]}_create`]?.required ?? schema.required ?? [];
        if (!f.readOnly) expect(!!f.required, `${name}.${f.name} required`).toBe(required.includes(f.name));
      }
      // Every server field is known to the app (so none is silently missing from forms).
      const known = new Set([...meta.fields.map((f) => f.name), 'id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'deleted_at', 'deleted_by', 'custom']);
      expect(Object.keys(schema.properties).filter((p) => !known.has(p))).toEqual([]);
    });
    it(`${name} fields have labels in both languages`, () => {
      for (const f of meta.fields) {
        for (const dict of [en, zhCN]) {
          const fields = dict.fields as unknown as Record<string, Record<string, string>>;
          expect(fields[name]?.[f.name] ?? fields.common?.[f.name], `${name}.${f.name}`).toBeTruthy();
        }
      }
    });
  }
});
