// Record types from the generated OpenAPI schema (schema.d.ts), with the system fields every
// record has made non-optional, plus the shapes of the administration routes (which the
// OpenAPI document does not describe yet).
import type { components } from './schema';

type Schemas = components['schemas'];

export interface SystemFields {
  id: string;
  version: number;
  owner_id: string;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
  deleted_at: string | null;
  deleted_by: string | null;
  // Custom field values by name (text, decimal strings, dates, choices).
  custom: Record<string, unknown>;
}

// A record as the server returns it: every field is present (null when empty), whatever the
// schema marks optional for requests.
type Rec<T> = Required<Omit<T, keyof SystemFields>> & SystemFields;

export type Account = Rec<Schemas['account']>;
export type Contact = Rec<Schemas['contact']>;
export type Lead = Rec<Schemas['lead']>;
export type Deal = Rec<Schemas['deal']>;
export type Activity = Rec<Schemas['activity']>;
export type Task = Rec<Schemas['task']>;
export type Product = Rec<Schemas['product']>;
export type Order = Rec<Schemas['order']>;
export type Pipeline = Rec<Schemas['pipeline']>;
export type Stage = NonNullable<Schemas['pipeline']['stages']>[number];
export type OrderItem = NonNullable<Schemas['order']['items']>[number];
export type Problem = Schemas['problem'];

export interface EntityRecords {
  accounts: Account;
  contacts: Contact;
  leads: Lead;
  deals: Deal;
  activities: Activity;
  tasks: Task;
  products: Product;
  orders: Order;
  pipelines: Pipeline;
}
export type EntityName = keyof EntityRecords;

// Any record, for generic screens that read fields by name.
export type AnyRecord = SystemFields & Record<string, unknown>;

export interface ListPage<T> {
  data: T[];
  next_cursor: string | null;
  total?: number;
  total_exact?: boolean;
}

export type Scope = 'none' | 'own' | 'team' | 'all';
export interface EntityPermissions {
  read: Scope;
  create: boolean;
  update: Scope;
  delete: Scope;
  export: boolean;
}
export interface Permissions {
  admin: boolean;
  entities: Partial<Record<string, EntityPermissions>>;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role_id: string;
  team_id: string | null;
  locale: string | null; // null: not chosen, follow the browser
  time_zone: string;
  active: boolean;
  version: number;
  created_at: string;
  updated_at: string;
  initial_password?: string;
}
export interface Me extends User {
  permissions: Permissions;
}

export interface Role {
  id: string;
  name: string;
  description: string;
  permissions: Permissions;
  builtin: boolean;
  version: number;
}

export interface Team {
  id: string;
  name: string;
  manager_id: string | null;
  version: number;
}

export type CustomFieldType = 'text' | 'number' | 'date' | 'select';
export interface CustomField {
  id: string;
  entity: string;
  name: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
  max_length: number;
  position: number;
  version: number;
}

// One audit entry: changes maps a field to [before, after].
export interface HistoryEntry {
  id: number;
  at: string;
  user_id: string;
  user_name: string;
  action: string;
  changes: Record<string, [unknown, unknown]> | null;
}

export interface StageChange {
  from_stage_id: string | null;
  to_stage_id: string;
  amount_minor: number | null;
  currency: string | null;
  at: string;
  user_id: string;
}

export interface LoginAnswer {
  token: string;
  expires_at: string;
  user: Me;
}

export type SearchAnswer = Partial<Record<'accounts' | 'contacts' | 'leads' | 'deals', ListPage<AnyRecord>>>;
