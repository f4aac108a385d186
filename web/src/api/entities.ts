// How each entity is shown: which fields are columns by default, which are asked for in the
// "new" form, the order of fields on forms, which i18n group translates a choice, how a record
// page finds its activities. Display choices only: what a field is (its type, limits, choices,
// whether it is required, read-only, filterable or sortable) and which custom fields exist come
// from the server at run time (GET /api/v1/meta/entities, see meta.ts). A unit test checks that
// every field named here exists in the server's OpenAPI document.
import type { EntityName } from './types';

export type FieldKind =
  | 'text' | 'longtext' | 'email' | 'url' | 'phone' | 'integer' | 'decimal' | 'money' | 'currency' | 'date'
  | 'datetime' | 'boolean' | 'choice' | 'ref' | 'reflist' | 'user' | 'tags' | 'emails' | 'phones' | 'stages'
  | 'items';

export interface EntityDisplay {
  columns: string[]; // shown in lists by default
  createFields: string[]; // asked for in the "new" form
  // Fields shown first on record pages and forms, in this order; the others follow in the
  // server's order (Chinese names read family name first).
  leadingFields?: string[];
  // i18n group under choices.* for each choice field ("entities": entity names).
  choiceGroups?: Record<string, string>;
  // The list's order when the user has chosen none (the server's own is newest created first).
  defaultSort?: string;
  // On a phone a list shows one column, the record's title, with these fields on a line under
  // it (a deal's amount and stage): what a person scans a list for.
  phoneLine: string[];
  // Linked-record filters on the record page ("activities of this account": account_id).
  activityLink?: 'account_id' | 'contact_id' | 'deal_id' | 'lead_id';
  // Lists of records that point at this one, shown as tabs on its page (an account's contacts,
  // deals and orders): which entity, by which of its reference fields, with which columns besides
  // the title. A list field (a deal's contact_ids) matches records whose list contains this one.
  related?: RelatedList[];
  // Values a new record's form starts with (a product is active unless unticked).
  createDefaults?: Record<string, unknown>;
  // The new form looks for the same person among readable records (same email, or the same
  // phone however written) before saving, and offers to open them instead.
  checkDuplicates?: boolean;
}

export interface RelatedList {
  entity: EntityName;
  field: string;
  extra: string[];
}

export const DISPLAY: Record<EntityName, EntityDisplay> = {
  accounts: {
    phoneLine: ['city', 'phone'],
    activityLink: 'account_id',
    related: [
      { entity: 'contacts', field: 'account_id', extra: ['title', 'phones'] },
      { entity: 'deals', field: 'account_id', extra: ['stage_id', 'amount_minor'] },
      { entity: 'orders', field: 'account_id', extra: ['status', 'total_minor'] },
    ],
    columns: ['name', 'industry', 'city', 'phone', 'owner_id', 'created_at'],
    createFields: ['name', 'industry', 'website', 'phone', 'city', 'country', 'tags'],
  },
  contacts: {
    phoneLine: ['account_id', 'phones'],
    activityLink: 'contact_id',
    related: [
      { entity: 'deals', field: 'contact_ids', extra: ['stage_id', 'amount_minor'] },
      { entity: 'orders', field: 'contact_id', extra: ['status', 'total_minor'] },
    ],
    leadingFields: ['last_name', 'first_name'],
    choiceGroups: { source: 'source' },
    checkDuplicates: true,
    columns: ['name', 'title', 'account_id', 'emails', 'phones', 'owner_id'],
    createFields: ['last_name', 'first_name', 'emails', 'phones', 'title', 'account_id'],
  },
  leads: {
    phoneLine: ['company', 'status'],
    activityLink: 'lead_id',
    leadingFields: ['last_name', 'first_name'],
    choiceGroups: { status: 'lead_status', source: 'source' },
    columns: ['name', 'company', 'status', 'email', 'phone', 'owner_id'],
    createFields: ['last_name', 'first_name', 'company', 'email', 'phone', 'source'],
  },
  deals: {
    phoneLine: ['amount_minor', 'stage_id'],
    activityLink: 'deal_id',
    choiceGroups: { status: 'deal_status', source: 'source' },
    columns: ['name', 'account_id', 'stage_id', 'amount_minor', 'expected_close_date', 'owner_id'],
    createFields: ['name', 'account_id', 'amount_minor', 'currency', 'expected_close_date', 'pipeline_id'],
  },
  activities: {
    phoneLine: ['occurred_at', 'type'],
    defaultSort: '-occurred_at', // when it happened, not when it was logged
    choiceGroups: { type: 'activity_type', direction: 'direction' },
    columns: ['type', 'subject', 'occurred_at', 'account_id', 'contact_id', 'owner_id'],
    createFields: ['type', 'subject', 'body', 'occurred_at', 'account_id', 'contact_id', 'deal_id'],
  },
  tasks: {
    phoneLine: ['due_at', 'status'],
    choiceGroups: { status: 'task_status', priority: 'priority', related_entity: 'entities' },
    columns: ['title', 'due_at', 'status', 'priority', 'owner_id'],
    createFields: ['title', 'due_at', 'priority', 'description', 'owner_id'],
  },
  products: {
    phoneLine: ['price_minor', 'sku'],
    createDefaults: { active: true },
    columns: ['name', 'sku', 'price_minor', 'active'],
    createFields: ['name', 'sku', 'price_minor', 'currency', 'active', 'description'],
  },
  orders: {
    phoneLine: ['total_minor', 'status'],
    choiceGroups: { status: 'order_status' },
    columns: ['number', 'account_id', 'status', 'ordered_on', 'total_minor', 'owner_id'],
    createFields: ['number', 'account_id', 'contact_id', 'status', 'ordered_on', 'currency', 'items'],
  },
  pipelines: {
    phoneLine: [],
    related: [{ entity: 'deals', field: 'pipeline_id', extra: ['stage_id', 'amount_minor'] }],
    columns: ['name', 'position'],
    createFields: ['name', 'stages'],
  },
};

// Entities with list screens, in menu order.
export const LIST_ENTITIES: EntityName[] = ['accounts', 'contacts', 'leads', 'deals', 'activities', 'tasks', 'products', 'orders'];

export function isEntityName(s: string | undefined): s is EntityName {
  return !!s && Object.hasOwn(DISPLAY, s);
}
