// What other features add to the generic record engine, registered once at start-up
// (features/registry.ts, imported by App.tsx): inputs for field kinds that belong to one entity
// (an order's line items), panels on record pages (quick activity log, deal stages, lead
// conversion, tasks, an order's lines) and buttons on list headers. The engine renders whatever is registered and imports no feature itself,
// so features may build on it without an import cycle.
import type { ComponentType, ReactNode } from 'react';
import type { FieldKind } from '../../api/entities';
import type { AnyRecord, EntityName } from '../../api/types';

// Form.Item injects value and onChange; currency is the form's current currency.
export interface FieldInputProps {
  value?: unknown;
  onChange?: (v: unknown) => void;
  id?: string;
  disabled?: boolean;
  currency: string;
}

const fieldInputs = new Map<FieldKind, ComponentType<FieldInputProps>>();

export function registerFieldInput(kind: FieldKind, input: ComponentType<FieldInputProps>): void {
  fieldInputs.set(kind, input);
}

export function fieldInputFor(kind: FieldKind): ComponentType<FieldInputProps> | undefined {
  return fieldInputs.get(kind);
}

// Where on the record page a panel goes: the header's action buttons, the full-width band above
// the fields, the main column under the fields (an order's lines, a deal's contacts), or the side
// column above the timeline.
export type PanelSlot = 'actions' | 'top' | 'main' | 'side';

export interface RecordPanelProps {
  entity: EntityName;
  record: AnyRecord;
  canEdit: boolean; // the caller may change this record (and it is not in the trash)
}

export interface RecordPanel {
  key: string;
  slot: PanelSlot;
  // Whether the panel applies to this record at all (entity, trash, the role's permissions are
  // checked by the panel itself through useMe when it needs them).
  applies: (entity: EntityName, record: AnyRecord) => boolean;
  render: (props: RecordPanelProps) => ReactNode;
}

const panels: RecordPanel[] = [];

// Parts show in the order they were registered; registering a key again replaces it in place
// (hot reload).
function put<T extends { key: string }>(list: T[], item: T): void {
  const i = list.findIndex((x) => x.key === item.key);
  if (i >= 0) list[i] = item;
  else list.push(item);
}

export function registerRecordPanel(panel: RecordPanel): void {
  put(panels, panel);
}

export function recordPanels(slot: PanelSlot, entity: EntityName, record: AnyRecord): RecordPanel[] {
  return panels.filter((p) => p.slot === slot && p.applies(entity, record));
}

// Buttons a feature adds to one entity's list header (the deals list's way to the board).
export interface ListAction {
  key: string;
  applies: (entity: EntityName) => boolean;
  render: (entity: EntityName) => ReactNode;
}

const listActions: ListAction[] = [];

export function registerListAction(action: ListAction): void {
  put(listActions, action);
}

export function listActionsFor(entity: EntityName): ListAction[] {
  return listActions.filter((a) => a.applies(entity));
}
