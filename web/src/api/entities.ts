// How each entity is shown and edited: its fields with their kinds, which are columns by
// default, which can be filtered and sorted (mirroring the server's field tables; a unit test
// checks every field and choice against the OpenAPI document).
import type { EntityName } from './types';

export type FieldKind =
  | 'text' | 'longtext' | 'email' | 'url' | 'phone' | 'integer' | 'money' | 'currency' | 'date' | 'datetime'
  | 'boolean' | 'choice' | 'ref' | 'reflist' | 'user' | 'tags' | 'emails' | 'phones' | 'stages' | 'items';

export interface FieldMeta {
  name: string;
  kind: FieldKind;
  choices?: readonly string[];
  choiceGroup?: string; // i18n group under choices.*
  ref?: EntityName; // for ref / reflist
  required?: boolean;
  readOnly?: boolean; // computed by the server
  filterable?: boolean;
  sortable?: boolean;
  maxLength?: number;
  currencyField?: string; // for money: the sibling field holding the currency
}

export interface EntityMeta {
  name: EntityName;
  titleField: string;
  fields: FieldMeta[];
  columns: string[]; // shown in lists by default
  createFields: string[]; // asked for in the "new" form
  // Linked-record filters on the record page ("activities of this account": account_id).
  activityLink?: 'account_id' | 'contact_id' | 'deal_id' | 'lead_id';
}

const f = (name: string, kind: FieldKind, extra: Partial<FieldMeta> = {}): FieldMeta => ({ name, kind, ...extra });

export const LEAD_STATUS = ['new', 'contacted', 'qualified', 'disqualified', 'converted'] as const;
export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'note'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const TASK_STATUS = ['open', 'done', 'cancelled'] as const;
export const PRIORITY = ['low', 'normal', 'high'] as const;
export const ORDER_STATUS = ['draft', 'confirmed', 'fulfilled', 'cancelled'] as const;
export const DEAL_STATUS = ['open', 'won', 'lost'] as const;
export const DIRECTION = ['inbound', 'outbound'] as const;
export const TASK_RELATED = ['accounts', 'contacts', 'leads', 'deals', 'orders'] as const;

const owner = f('owner_id', 'user', { filterable: true });

export const ENTITIES: Record<EntityName, EntityMeta> = {
  accounts: {
    name: 'accounts',
    titleField: 'name',
    activityLink: 'account_id',
    fields: [
      f('name', 'text', { required: true, sortable: true, filterable: true, maxLength: 200 }),
      f('industry', 'text', { filterable: true, maxLength: 100 }),
      f('website', 'url'),
      f('phone', 'phone'),
      f('street', 'text', { maxLength: 200 }),
      f('city', 'text', { filterable: true, maxLength: 100 }),
      f('region', 'text', { maxLength: 100 }),
      f('postal_code', 'text', { maxLength: 20 }),
      f('country', 'text', { filterable: true, maxLength: 2 }),
      f('tags', 'tags'),
      f('description', 'longtext'),
      owner,
    ],
    columns: ['name', 'industry', 'city', 'phone', 'owner_id', 'created_at'],
    createFields: ['name', 'industry', 'website', 'phone', 'city', 'country', 'tags'],
  },
  contacts: {
    name: 'contacts',
    titleField: 'name',
    activityLink: 'contact_id',
    fields: [
      f('last_name', 'text', { maxLength: 100 }),
      f('first_name', 'text', { maxLength: 100 }),
      f('name', 'text', { readOnly: true, sortable: true }),
      f('emails', 'emails'),
      f('phones', 'phones'),
      f('title', 'text', { maxLength: 100 }),
      f('account_id', 'ref', { ref: 'accounts', filterable: true }),
      f('source', 'text', { filterable: true, maxLength: 50 }),
      f('tags', 'tags'),
      f('consent_email', 'boolean', { filterable: true }),
      f('consent_sms', 'boolean', { filterable: true }),
      f('do_not_contact', 'boolean', { filterable: true }),
      f('description', 'longtext'),
      owner,
    ],
    columns: ['name', 'title', 'account_id', 'emails', 'phones', 'owner_id'],
    createFields: ['last_name', 'first_name', 'emails', 'phones', 'title', 'account_id'],
  },
  leads: {
    name: 'leads',
    titleField: 'name',
    activityLink: 'lead_id',
    fields: [
      f('last_name', 'text', { maxLength: 100 }),
      f('first_name', 'text', { maxLength: 100 }),
      f('name', 'text', { readOnly: true, sortable: true }),
      f('company', 'text', { maxLength: 200 }),
      f('title', 'text', { maxLength: 100 }),
      f('email', 'email'),
      f('phone', 'phone'),
      f('source', 'text', { filterable: true, maxLength: 50 }),
      f('status', 'choice', { choices: LEAD_STATUS, choiceGroup: 'lead_status', filterable: true }),
      f('tags', 'tags'),
      f('description', 'longtext'),
      f('converted_at', 'datetime', { readOnly: true, sortable: true }),
      f('converted_account_id', 'ref', { ref: 'accounts', readOnly: true, filterable: true }),
      f('converted_contact_id', 'ref', { ref: 'contacts', readOnly: true, filterable: true }),
      f('converted_deal_id', 'ref', { ref: 'deals', readOnly: true, filterable: true }),
      owner,
    ],
    columns: ['name', 'company', 'status', 'email', 'phone', 'owner_id'],
    createFields: ['last_name', 'first_name', 'company', 'email', 'phone', 'source'],
  },
  deals: {
    name: 'deals',
    titleField: 'name',
    activityLink: 'deal_id',
    fields: [
      f('name', 'text', { required: true, sortable: true, filterable: true, maxLength: 200 }),
      f('pipeline_id', 'ref', { ref: 'pipelines', filterable: true }),
      f('stage_id', 'text', { filterable: true }),
      f('amount_minor', 'money', { sortable: true, filterable: true, currencyField: 'currency' }),
      f('currency', 'currency', { filterable: true }),
      f('expected_close_date', 'date', { sortable: true, filterable: true }),
      f('account_id', 'ref', { ref: 'accounts', filterable: true }),
      f('contact_ids', 'reflist', { ref: 'contacts' }),
      f('status', 'choice', { choices: DEAL_STATUS, choiceGroup: 'deal_status', readOnly: true, filterable: true }),
      f('probability', 'integer', { readOnly: true, filterable: true }),
      f('closed_at', 'datetime', { readOnly: true, sortable: true, filterable: true }),
      f('source', 'text', { filterable: true, maxLength: 50 }),
      f('lost_reason', 'text', { maxLength: 500 }),
      f('tags', 'tags'),
      f('description', 'longtext'),
      owner,
    ],
    columns: ['name', 'account_id', 'stage_id', 'amount_minor', 'expected_close_date', 'owner_id'],
    createFields: ['name', 'account_id', 'amount_minor', 'currency', 'expected_close_date', 'pipeline_id'],
  },
  activities: {
    name: 'activities',
    titleField: 'subject',
    fields: [
      f('type', 'choice', { choices: ACTIVITY_TYPES, choiceGroup: 'activity_type', required: true, filterable: true }),
      f('subject', 'text', { maxLength: 300 }),
      f('body', 'longtext'),
      f('occurred_at', 'datetime', { sortable: true, filterable: true }),
      f('duration_minutes', 'integer'),
      f('direction', 'choice', { choices: DIRECTION, choiceGroup: 'direction', filterable: true }),
      f('contact_id', 'ref', { ref: 'contacts', filterable: true }),
      f('account_id', 'ref', { ref: 'accounts', filterable: true }),
      f('deal_id', 'ref', { ref: 'deals', filterable: true }),
      f('lead_id', 'ref', { ref: 'leads', filterable: true }),
      owner,
    ],
    columns: ['type', 'subject', 'occurred_at', 'account_id', 'contact_id', 'owner_id'],
    createFields: ['type', 'subject', 'body', 'occurred_at', 'account_id', 'contact_id', 'deal_id'],
  },
  tasks: {
    name: 'tasks',
    titleField: 'title',
    fields: [
      f('title', 'text', { required: true, sortable: true, filterable: true, maxLength: 300 }),
      f('description', 'longtext'),
      f('due_at', 'datetime', { sortable: true, filterable: true }),
      f('status', 'choice', { choices: TASK_STATUS, choiceGroup: 'task_status', filterable: true }),
      f('priority', 'choice', { choices: PRIORITY, choiceGroup: 'priority', filterable: true }),
      f('completed_at', 'datetime', { readOnly: true, sortable: true, filterable: true }),
      f('related_entity', 'choice', { choices: TASK_RELATED, choiceGroup: 'entities', filterable: true }),
      f('related_id', 'text', { filterable: true }),
      owner,
    ],
    columns: ['title', 'due_at', 'status', 'priority', 'owner_id'],
    createFields: ['title', 'due_at', 'priority', 'description', 'owner_id'],
  },
  products: {
    name: 'products',
    titleField: 'name',
    fields: [
      f('name', 'text', { required: true, sortable: true, filterable: true, maxLength: 200 }),
      f('sku', 'text', { filterable: true, maxLength: 64 }),
      f('description', 'longtext'),
      f('price_minor', 'money', { sortable: true, filterable: true, currencyField: 'currency' }),
      f('currency', 'currency', { required: true }),
      f('active', 'boolean', { filterable: true }),
      owner,
    ],
    columns: ['name', 'sku', 'price_minor', 'active'],
    createFields: ['name', 'sku', 'price_minor', 'currency', 'active', 'description'],
  },
  orders: {
    name: 'orders',
    titleField: 'number',
    fields: [
      f('number', 'text', { sortable: true, filterable: true, maxLength: 50 }),
      f('account_id', 'ref', { ref: 'accounts', filterable: true }),
      f('contact_id', 'ref', { ref: 'contacts', filterable: true }),
      f('status', 'choice', { choices: ORDER_STATUS, choiceGroup: 'order_status', filterable: true }),
      f('ordered_on', 'date', { sortable: true, filterable: true }),
      f('currency', 'currency', { required: true }),
      f('items', 'items', { required: true }),
      f('total_minor', 'money', { readOnly: true, sortable: true, filterable: true, currencyField: 'currency' }),
      f('notes', 'longtext'),
      owner,
    ],
    columns: ['number', 'account_id', 'status', 'ordered_on', 'total_minor', 'owner_id'],
    createFields: ['number', 'account_id', 'contact_id', 'status', 'ordered_on', 'currency', 'items'],
  },
  pipelines: {
    name: 'pipelines',
    titleField: 'name',
    fields: [
      f('name', 'text', { required: true, sortable: true, filterable: true, maxLength: 100 }),
      f('position', 'integer', { sortable: true, filterable: true }),
      f('stages', 'stages', { required: true }),
      owner,
    ],
    columns: ['name', 'position'],
    createFields: ['name', 'stages'],
  },
};

// Entities with list screens, in menu order.
export const LIST_ENTITIES: EntityName[] = ['accounts', 'contacts', 'leads', 'deals', 'activities', 'tasks', 'products', 'orders'];

export const SYSTEM_COLUMNS: FieldMeta[] = [
  f('created_at', 'datetime', { readOnly: true, sortable: true, filterable: true }),
  f('updated_at', 'datetime', { readOnly: true, sortable: true, filterable: true }),
];

export function fieldMeta(entity: EntityName, name: string): FieldMeta | undefined {
  return ENTITIES[entity].fields.find((x) => x.name === name) ?? SYSTEM_COLUMNS.find((x) => x.name === name);
}

export function isEntityName(s: string | undefined): s is EntityName {
  return !!s && s in ENTITIES;
}
