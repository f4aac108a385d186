// The app's display choices must name what the server has: every field a list, form or choice
// group names exists in the entity's OpenAPI schema, a choice group belongs to a field with a
// closed set of values, and every server field and choice has a label in both languages (what
// a field is comes from the server at run time, see meta.ts and meta.test.ts).
import { describe, expect, it } from 'vitest';
import doc from './openapi.json';
import { DISPLAY, LIST_ENTITIES } from './entities';
import en from '../i18n/en';
import zhCN from '../i18n/zh-CN';

const SINGULAR: Record<string, string> = {
  accounts: 'account', contacts: 'contact', leads: 'lead', deals: 'deal', activities: 'activity',
  tasks: 'task', products: 'product', orders: 'order', pipelines: 'pipeline',
};
type Prop = { enum?: string[]; readOnly?: boolean };
const schemas = (doc as unknown as { components: { schemas: Record<string, { properties: Record<string, Prop>; required?: string[] }> } }).components.schemas;
const SYSTEM = ['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'deleted_at', 'deleted_by', 'custom'];
const dicts = { en, 'zh-CN': zhCN } as const;

describe('entity display choices', () => {
  it('cover exactly the entities the server documents', () => {
    const documented = Object.keys(SINGULAR).filter((e) => schemas[SINGULAR[e]!]);
    expect(Object.keys(DISPLAY).sort()).toEqual(documented.sort());
    for (const e of LIST_ENTITIES) expect(DISPLAY[e], e).toBeDefined();
  });

  for (const [name, display] of Object.entries(DISPLAY)) {
    const schema = schemas[SINGULAR[name]!]!;
    const props = schema.properties;

    it(`${name} names only fields of its OpenAPI schema`, () => {
      const named = [
        ...display.columns, ...display.createFields, ...(display.leadingFields ?? []), ...display.phoneLine,
        ...Object.keys(display.choiceGroups ?? {}),
      ];
      for (const f of named) expect(props[f], `${name}.${f} in OpenAPI`).toBeDefined();
      // A related list names a field of the other entity, and columns of it.
      for (const r of display.related ?? []) {
        const other = schemas[SINGULAR[r.entity]!]!.properties;
        for (const f of [r.field, ...r.extra]) expect(other[f], `${name} related ${r.entity}.${f} in OpenAPI`).toBeDefined();
      }
      // The activity link is a field of activities.
      if (display.activityLink) expect(schemas.activity!.properties[display.activityLink]).toBeDefined();
      // Asked for on create: never a read-only field, and every required one is asked for.
      for (const f of display.createFields) expect(props[f]?.readOnly, `${name}.${f} is read-only`).not.toBe(true);
      const required = schemas[`${SINGULAR[name]}_create`]?.required ?? schema.required ?? [];
      const asked = new Set(display.createFields);
      for (const f of required) expect(asked.has(f), `${name}.${f} required but not in the new form`).toBe(true);
    });

    it(`${name} choice groups belong to choice fields and every choice has a label`, () => {
      for (const [field, group] of Object.entries(display.choiceGroups ?? {})) {
        const values = props[field]?.enum;
        expect(values, `${name}.${field} has a closed set of values`).toBeDefined();
        for (const [lang, dict] of Object.entries(dicts)) {
          for (const v of values ?? []) {
            const label = group === 'entities'
              ? (dict.entity as Record<string, { one?: string }>)[v]?.one
              : (dict.choices as unknown as Record<string, Record<string, string>>)[group]?.[v];
            expect(label, `${lang} choices.${group}.${v}`).toBeTruthy();
          }
        }
      }
      // Every closed set of values the server documents is translated.
      for (const [field, p] of Object.entries(props))
        if (p.enum && !SYSTEM.includes(field)) expect(display.choiceGroups?.[field], `${name}.${field} has a choice group`).toBeDefined();
    });

    it(`${name} fields have labels in both languages`, () => {
      for (const f of [...Object.keys(props).filter((p) => !SYSTEM.includes(p)), 'created_at', 'updated_at']) {
        for (const [lang, dict] of Object.entries(dicts)) {
          const fields = dict.fields as unknown as Record<string, Record<string, string>>;
          expect(fields[name]?.[f] ?? fields.common?.[f], `${lang} ${name}.${f}`).toBeTruthy();
        }
      }
    });
  }
});
