// What each feature adds to the generic record engine (features/records), registered once,
// before the first screen that uses the engine renders; SignedInApp.tsx loads this file with
// those screens (so the sign-in page and Today never load it). The engine knows none of these features: a new
// entity-specific panel or input is added here, not in features/records.
import { createElement } from 'react';
import type { OrderItem } from '../api/types';
import { QuickLogPanel } from './activities/QuickLog';
import { BoardButton } from './deals/BoardButton';
import { DealContacts } from './deals/DealContacts';
import { DealStages } from './deals/DealStages';
import { ConvertLeadButton } from './leads/ConvertLeadButton';
import { ItemsEditor } from './orders/ItemsEditor';
import { OrderLines } from './orders/OrderLines';
import { registerFieldInput, registerListAction, registerRecordPanel } from './records/registry';
import { RecordTasksPanel, TASK_TARGETS } from './tasks/RecordTasks';

let registered = false;

export function registerFeatures(): void {
  if (registered) return;
  registered = true;
  registerFieldInput('items', (p) => createElement(ItemsEditor, { ...p, value: p.value as OrderItem[] | null }));
  registerRecordPanel({
    key: 'convert-lead',
    slot: 'actions',
    applies: (entity, record) => entity === 'leads' && !record.deleted_at,
    render: ({ record }) => createElement(ConvertLeadButton, { lead: record }),
  });
  registerRecordPanel({
    key: 'quick-log',
    slot: 'top',
    applies: (_, record) => !record.deleted_at,
    render: ({ entity, record }) => createElement(QuickLogPanel, { entity, record }),
  });
  registerRecordPanel({
    key: 'deal-stages',
    slot: 'top',
    applies: (entity) => entity === 'deals',
    render: ({ record, canEdit }) => createElement(DealStages, { deal: record, canEdit }),
  });
  registerRecordPanel({
    key: 'order-lines',
    slot: 'main',
    applies: (entity) => entity === 'orders',
    render: ({ record }) => createElement(OrderLines, { order: record }),
  });
  registerRecordPanel({
    key: 'deal-contacts',
    slot: 'main',
    applies: (entity) => entity === 'deals',
    render: ({ record }) => createElement(DealContacts, { deal: record }),
  });
  registerListAction({ key: 'board', applies: (entity) => entity === 'deals', render: () => createElement(BoardButton) });
  registerRecordPanel({
    key: 'tasks',
    slot: 'side',
    applies: (entity) => TASK_TARGETS.includes(entity),
    render: ({ entity, record }) => createElement(RecordTasksPanel, { entity, id: record.id }),
  });
}
