// What each entity is, as the server says (GET /api/v1/meta/entities): its fields with their
// types, limits, choices and references, built-in and custom, for the caller's role. Merged here
// with the app's display choices (entities.ts) into the tables forms, lists and filters read.
//
// The answer is fetched after sign-in and kept on the device (localStorage), so screens show
// the last known definitions at once and keep them when a refresh cannot reach the server; see
// MetaProvider in components/ for the fetching and the React side.
import { DEFAULT_CURRENCY } from '../lib/money';
import { DISPLAY, type EntityDisplay, type FieldKind } from './entities';
import type { paths } from './schema';
import type { AnyRecord, CustomField, EntityName } from './types';

export type MetaDocument =
  paths['/api/v1/meta/entities']['get']['responses']['200']['content']['application/json'];
export type ServerEntity = MetaDocument['data'][number];
export type ServerField = ServerEntity['fields'][number];

export interface FieldMeta {
  name: string; // a built-in field's name, or "custom.NAME" for a custom field (as lists name it)
  kind: FieldKind;
  label?: string; // a custom field's label (built-in fields are labelled by the message tables)
  choices?: readonly string[];
  choiceGroup?: string; // i18n group under choices.*
  ref?: EntityName; // for ref / reflist
  required?: boolean;
  readOnly?: boolean; // computed by the server
  filterable?: boolean;
  sortable?: boolean;
  searchable?: boolean; // its words are found by a list's search (the device's copy searches them too)
  maxLength?: number;
  min?: number;
  max?: number;
  currencyField?: string; // for money: the sibling field holding the currency
}

// A custom field as record screens need it (the admin screens use the full CustomField), with
// what the server applies to it: whether lists filter and sort by it, and its bounds.
export interface CustomFieldMeta extends Pick<CustomField, 'name' | 'label' | 'type' | 'options' | 'required' | 'max_length'> {
  filterable: boolean;
  sortable: boolean;
  min?: number;
  max?: number;
}

export interface EntityMeta extends EntityDisplay {
  name: EntityName;
  titleField: string;
  catalog: boolean;
  fields: FieldMeta[]; // built-in fields and owner_id, in display order
  custom: CustomFieldMeta[];
  systemColumns: FieldMeta[]; // created_at, updated_at: shown, sorted and filtered, never edited
  // A record needs at least one of these fields (a person's first or last name); forms say so
  // instead of marking one of them required.
  anyOfRequired: string[];
}

const KINDS: Record<string, FieldKind> = {
  text: 'text',
  long_text: 'longtext',
  email: 'email',
  phone: 'phone',
  url: 'url',
  integer: 'integer',
  money: 'money',
  currency: 'currency',
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
  choice: 'choice',
  ref: 'ref',
  ref_list: 'reflist',
  tags: 'tags',
  emails: 'emails',
  phones: 'phones',
  stages: 'stages',
  line_items: 'items',
  decimal: 'decimal',
};

// The input and display kind of a built-in server field. A type the app does not know yet
// (a newer server) is shown and edited as text rather than hidden.
export function kindOf(f: Pick<ServerField, 'type' | 'ref_entity'>): FieldKind {
  if (f.type === 'ref' && f.ref_entity === 'users') return 'user';
  return KINDS[f.type] ?? 'text';
}

export function knownServerTypes(): string[] {
  return Object.keys(KINDS);
}

function toFieldMeta(f: ServerField, display: EntityDisplay): FieldMeta {
  const kind = kindOf(f);
  const m: FieldMeta = { name: f.name, kind };
  if (f.choices) m.choices = f.choices;
  const group = display.choiceGroups?.[f.name];
  if (group) m.choiceGroup = group;
  if (f.ref_entity && f.ref_entity !== 'users') m.ref = f.ref_entity as EntityName;
  if (f.required) m.required = true;
  if (f.read_only) m.readOnly = true;
  if (f.filterable) m.filterable = true;
  if (f.sortable) m.sortable = true;
  if (f.searchable) m.searchable = true;
  if (f.max_length !== undefined) m.maxLength = f.max_length;
  if (f.min !== undefined) m.min = f.min;
  if (f.max !== undefined) m.max = f.max;
  if (kind === 'money') m.currencyField = 'currency';
  return m;
}

function toCustom(f: ServerField): CustomFieldMeta {
  const c: CustomFieldMeta = {
    name: f.name,
    label: f.label ?? f.name,
    type: f.type as CustomFieldMeta['type'],
    options: f.choices ?? [],
    required: f.required,
    max_length: f.max_length ?? 200,
    filterable: f.filterable,
    sortable: f.sortable,
  };
  if (f.min !== undefined) c.min = f.min;
  if (f.max !== undefined) c.max = f.max;
  return c;
}

export const CUSTOM_PREFIX = 'custom.';

// The input and display kind of each custom field type: a number is an exact decimal, money is
// minor units (in the record's currency, else DEFAULT_CURRENCY), a select is a choice.
const CUSTOM_KINDS: Record<CustomFieldMeta['type'], FieldKind> = {
  text: 'text',
  number: 'decimal',
  integer: 'integer',
  money: 'money',
  date: 'date',
  select: 'choice',
  boolean: 'boolean',
};

// A custom field as a field of the entity, named "custom.NAME", so inputs, values, filters and
// sorting treat it like a built-in field. A type the app does not know yet is text.
export function customFieldMeta(def: CustomFieldMeta): FieldMeta {
  const kind = CUSTOM_KINDS[def.type] ?? 'text';
  const m: FieldMeta = { name: `${CUSTOM_PREFIX}${def.name}`, kind, label: def.label };
  if (def.required) m.required = true;
  if (def.filterable) m.filterable = true;
  if (def.sortable) m.sortable = true;
  if (kind === 'text') m.maxLength = def.max_length;
  if (kind === 'choice') m.choices = def.options;
  if (def.min !== undefined) m.min = def.min;
  if (def.max !== undefined) m.max = def.max;
  if (kind === 'money') m.currencyField = 'currency';
  return m;
}

// A field's value in a record: a custom field's lives in the record's custom object.
export function fieldValue(record: AnyRecord, name: string): unknown {
  return name.startsWith(CUSTOM_PREFIX) ? record.custom?.[name.slice(CUSTOM_PREFIX.length)] : record[name];
}

// The currency of a money field's value: the record's currency field, else DEFAULT_CURRENCY
// (a custom money field on a record that has no currency).
export function recordCurrency(record: AnyRecord, meta: Pick<FieldMeta, 'currencyField'>): string {
  const c = record[meta.currencyField ?? 'currency'];
  return typeof c === 'string' && c ? c : DEFAULT_CURRENCY;
}

// The record with one field's value replaced (for showing another version of that field).
export function withFieldValue(record: AnyRecord, name: string, value: unknown): AnyRecord {
  if (!name.startsWith(CUSTOM_PREFIX)) return { ...record, [name]: value };
  return { ...record, custom: { ...record.custom, [name.slice(CUSTOM_PREFIX.length)]: value } };
}

function leadingFirst<T extends { name: string }>(items: T[], leading: string[] = []): T[] {
  const rank = (n: string) => (leading.includes(n) ? leading.indexOf(n) : leading.length);
  return items.map((x, i) => ({ x, i })).sort((a, b) => rank(a.x.name) - rank(b.x.name) || a.i - b.i).map(({ x }) => x);
}

export function buildEntity(e: ServerEntity, display: EntityDisplay): EntityMeta {
  const builtin = e.fields.filter((f) => !f.custom && !(f.system && f.read_only));
  return {
    ...display,
    name: e.name as EntityName,
    titleField: e.title_field,
    catalog: e.catalog,
    fields: leadingFirst(builtin.map((f) => toFieldMeta(f, display)), display.leadingFields),
    custom: e.fields.filter((f) => f.custom).map(toCustom),
    systemColumns: e.fields.filter((f) => f.system && f.read_only).map((f) => toFieldMeta(f, display)),
    // Definitions kept on the device by an earlier version have no such member.
    anyOfRequired: (e as Partial<ServerEntity>).any_of_required ?? [],
  };
}

// An entity the role may not read: the server describes nothing, and nothing of it is shown.
function unreadable(name: EntityName): EntityMeta {
  return { ...DISPLAY[name], name, titleField: 'name', catalog: false, fields: [], custom: [], systemColumns: [], anyOfRequired: [] };
}

export type EntityTables = Record<EntityName, EntityMeta>;

export function buildEntities(doc: MetaDocument): EntityTables {
  const out = {} as EntityTables;
  for (const name of Object.keys(DISPLAY) as EntityName[]) {
    const e = doc.data.find((x) => x.name === name);
    out[name] = e ? buildEntity(e, DISPLAY[name]) : unreadable(name);
  }
  return out;
}

// The definitions in force, for code that reads them outside React (record titles, labels).
// MetaProvider sets them before rendering anything that needs them.
let current: EntityTables = buildEntities({ data: [] });

export function setMetadata(doc: MetaDocument): EntityTables {
  current = buildEntities(doc);
  return current;
}

export function entityMeta(entity: EntityName): EntityMeta {
  return current[entity];
}

// A field of an entity by the name lists use: built-in, system column or "custom.NAME".
export function findField(e: EntityMeta, name: string): FieldMeta | undefined {
  if (name.startsWith(CUSTOM_PREFIX)) {
    const def = e.custom.find((d) => d.name === name.slice(CUSTOM_PREFIX.length));
    return def && customFieldMeta(def);
  }
  return e.fields.find((x) => x.name === name) ?? e.systemColumns.find((x) => x.name === name);
}

export function fieldMeta(entity: EntityName, name: string): FieldMeta | undefined {
  return findField(current[entity], name);
}

// ---- the copy kept on the device ------------------------------------------------------------

type Store = Pick<Storage, 'getItem' | 'setItem'>;
const CACHE_KEY = 'keel.meta';

function isMetaDocument(v: unknown): v is MetaDocument {
  return !!v && typeof v === 'object' && Array.isArray((v as { data?: unknown }).data) &&
    (v as MetaDocument).data.every((e) => e && typeof e.name === 'string' && Array.isArray(e.fields));
}

// The last definitions this user received on this device, if any (another user's are not
// used: they follow that user's role).
export function loadCachedMeta(store: Store | undefined, userId: string): MetaDocument | undefined {
  try {
    const saved = JSON.parse(store?.getItem(CACHE_KEY) ?? 'null') as { user?: unknown; doc?: unknown } | null;
    if (saved?.user === userId && isMetaDocument(saved.doc)) return saved.doc;
  } catch {
    /* unreadable: fetch again */
  }
  return undefined;
}

export function saveCachedMeta(store: Store | undefined, userId: string, doc: MetaDocument): void {
  try {
    store?.setItem(CACHE_KEY, JSON.stringify({ user: userId, doc }));
  } catch {
    /* storage full or blocked: the definitions still apply until reload */
  }
}
