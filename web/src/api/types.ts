// Types from the generated OpenAPI schema (schema.d.ts): records with the system fields every
// record has made non-optional, users, roles, teams and custom field definitions. Only the
// answers the document does not describe in detail yet (history, stage changes, search) are
// written out here.
import type { components, paths } from './schema';

type Schemas = components['schemas'];

// One stage of GET /api/v1/pipelines/{id}/summary: the server's count and totals per currency.
export type StageSummary =
  paths['/api/v1/pipelines/{id}/summary']['get']['responses'][200]['content']['application/json']['data'][number];

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

// Users, roles, teams and custom field definitions as the server answers them: every member
// present, whatever the schema leaves optional for requests.
export type Scope = NonNullable<Schemas['permissions']['entities'][string]['read']>;
export type EntityPermissions = Required<Schemas['permissions']['entities'][string]>;
export type Permissions = Omit<Schemas['permissions'], 'entities'> & {
  entities: Partial<Record<string, EntityPermissions>>;
};

// initial_password: present only in the answer to a create where the server chose the password.
export type User = Required<Schemas['user']> & { initial_password?: string };
export type Me = Required<Omit<Schemas['me'], 'permissions'>> & { permissions: Permissions };
export type Role = Required<Omit<Schemas['role'], 'permissions'>> & { permissions: Permissions };
export type Team = Required<Schemas['team']>;
export type CustomField = Required<Schemas['custom_field']>;
export type CustomFieldType = CustomField['type'];
export type ActivityType = NonNullable<Schemas['activity']['type']>;

// A saved view of a list (GET /api/v1/saved-views).
export type SavedView = Required<Schemas['saved_view']>;

// A backup the server made, and the backup screen's list (GET /api/v1/admin/backups).
export type Backup = Required<Schemas['backup']>;
type BackupAnswer = paths['/api/v1/admin/backups']['get']['responses'][200]['content']['application/json'];
export interface BackupList {
  data: Backup[];
  schedule: Required<BackupAnswer['schedule']>;
}

// The audit log (GET /api/v1/audit), newest first; next_before pages back.
export type AuditEntry = Required<Schemas['audit_entry']>;
export interface AuditPage {
  data: AuditEntry[];
  next_before?: number | null;
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
