// What happened to a record, newest first: activities linked to it (calls, meetings, notes,
// emails) and every change from its audit history (who changed which field from what to what).
import { EditOutlined, PlusCircleOutlined, DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { Card, Timeline as AntTimeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { fieldMeta, withFieldValue } from '../../api/meta';
import { useHistory, useList, useRecord } from '../../api/queries';
import type { Activity, ActivityType, AnyRecord, EntityName, HistoryEntry } from '../../api/types';
import { ACTIVITY_ICON } from '../../components/activityIcons';
import { useEntityMeta } from '../../components/MetaProvider';
import { fieldLabel } from '../../i18n/labels';
import { useFormat } from '../../i18n/useFormat';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { ActivitySummary } from '../../components/ActivitySummary';
import { FieldValue } from './FieldValue';

type Item = { at: string; key: string; node: JSX.Element; dot: JSX.Element };

// Fields whose change is noise on a timeline (they follow another field).
const QUIET = new Set(['probability', 'closed_at']);

// A value before or after a change, shown as the record page shows it: money with the currency
// the record had then, times in the user's zone, custom fields by their kind.
function ChangeValue({ entity, field, value, currency }: { entity: EntityName; field: string; value: unknown; currency: unknown }) {
  const meta = fieldMeta(entity, field);
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (!meta) return <span>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</span>;
  return <FieldValue meta={meta} record={withFieldValue({ currency } as unknown as AnyRecord, field, value)} />;
}

interface Currencies {
  before: unknown;
  after: unknown;
}

// The record's currency before and after each audit entry, by entry id, walking back from the
// current one: an amount changed before a change of currency was in the old currency.
function currenciesOf(entries: HistoryEntry[], current: unknown): Map<number, Currencies> {
  const out = new Map<number, Currencies>();
  let after = current;
  for (const e of [...entries].sort((a, b) => b.id - a.id)) {
    const change = e.action === 'update' ? e.changes?.currency : undefined;
    const before = change ? change[0] : after;
    out.set(e.id, { before, after: change ? change[1] : after });
    after = before;
  }
  return out;
}

function HistoryItem({ entity, entry, currencies }: { entity: EntityName; entry: HistoryEntry; currencies: Currencies }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const customDefs = useEntityMeta(entity).custom;
  const user = entry.user_name || t('record.system');
  const head =
    entry.action === 'create' ? t('record.createdBy', { user })
    : entry.action === 'update' ? t('record.changedBy', { user })
    : entry.action === 'delete' ? t('record.deletedBy', { user })
    : entry.action === 'restore' ? t('record.restoredBy', { user })
    : t('record.otherAction', { user, action: entry.action });
  // A name made from other fields (a contact's first and last name) is not a change of its own.
  const changes = entry.action === 'update' ? Object.entries(entry.changes ?? {}).filter(([f]) => !(f === 'name' && fieldMeta(entity, f)?.readOnly)) : [];
  const label = (f: string) =>
    f.startsWith('custom.') ? (customDefs.find((d) => d.name === f.slice(7))?.label ?? f.slice(7)) : fieldLabel(entity, f);
  return (
    <div data-testid="timeline-change">
      <div>{head}</div>
      {changes.map(([field, [from, to]]) => (
        <div key={field} style={{ marginInlineStart: 8 }}>
          <strong>{label(field)}</strong>:{' '}
          <ChangeValue entity={entity} field={field} value={from} currency={currencies.before} /> →{' '}
          <ChangeValue entity={entity} field={field} value={to} currency={currencies.after} />
        </div>
      ))}
      <div className="timeline-meta">{fmt.dateTime(entry.at)}</div>
    </div>
  );
}

function ActivityItem({ a, hideLink }: { a: Activity; hideLink?: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid="timeline-activity">
      <ActivitySummary a={a} hideLink={hideLink}>
        {a.duration_minutes ? <div className="muted">{t('activity.durationShort', { minutes: a.duration_minutes })}</div> : null}
        {a.body && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} ellipsis={{ rows: 4, expandable: true }}>{a.body}</Typography.Paragraph>}
      </ActivitySummary>
    </div>
  );
}

export function RecordTimeline({ entity, id }: { entity: EntityName; id: string }) {
  const { t } = useTranslation();
  const link = useEntityMeta(entity).activityLink;
  // eslint-disable-next-line no-restricted-syntax -- activities are the timeline's own entity
  const activities = useList<Activity>('activities', link ? { [link]: id, sort: '-occurred_at', limit: '100' } : {}, !!link);
  const history = useHistory(entity, id);
  const record = useRecord(entity, id).data; // the record page's own query: already loaded
  const currencies = currenciesOf(history.data ?? [], record?.currency);
  const items: Item[] = [];
  for (const a of activities.data?.data ?? [])
    items.push({ at: a.occurred_at ?? a.created_at, key: `a-${a.id}`, node: <ActivityItem a={a} hideLink={link} />, dot: ACTIVITY_ICON[a.type as ActivityType] });
  for (const h of history.data ?? []) {
    if (h.action === 'update' && Object.keys(h.changes ?? {}).every((f) => QUIET.has(f))) continue;
    const dot = h.action === 'create' ? <PlusCircleOutlined aria-hidden /> : h.action === 'delete' ? <DeleteOutlined aria-hidden /> : h.action === 'restore' ? <UndoOutlined aria-hidden /> : <EditOutlined aria-hidden />;
    items.push({ at: h.at, key: `h-${h.id}`, node: <HistoryItem entity={entity} entry={h} currencies={currencies.get(h.id)!} />, dot });
  }
  items.sort((a, b) => b.at.localeCompare(a.at));
  const loading = (link && activities.isLoading) || history.isLoading;
  return (
    <Card title={t('record.timeline')} size="small" data-testid="timeline">
      <ErrorAlert error={activities.error ?? history.error} onRetry={() => { void activities.refetch(); void history.refetch(); }} />
      {loading ? <Loading /> : items.length === 0 && (activities.error || history.error) ? null : items.length === 0 ? <EmptyState>{t('record.noTimeline')}</EmptyState> : (
        <AntTimeline items={items.map((i) => ({ key: i.key, children: i.node, dot: i.dot }))} />
      )}
    </Card>
  );
}
