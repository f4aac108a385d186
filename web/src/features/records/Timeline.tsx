// What happened to a record, newest first: activities linked to it (calls, meetings, notes,
// emails) and every change from its audit history (who changed which field from what to what).
import { EditOutlined, PlusCircleOutlined, DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { Card, Timeline as AntTimeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ENTITIES, fieldMeta, type ActivityType } from '../../api/entities';
import { useCustomFields, useHistory, useList } from '../../api/queries';
import type { Activity, AnyRecord, EntityName, HistoryEntry } from '../../api/types';
import { choiceLabel, fieldLabel } from '../../i18n/labels';
import { useFormat } from '../../i18n/useFormat';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { ACTIVITY_ICON } from '../activities/activityIcons';
import { FieldValue } from './FieldValue';

type Item = { at: string; key: string; node: JSX.Element; dot: JSX.Element };

// Fields whose change is noise on a timeline (they follow another field).
const QUIET = new Set(['probability', 'closed_at']);

function ChangeValue({ entity, field, value }: { entity: EntityName; field: string; value: unknown }) {
  const meta = fieldMeta(entity, field);
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (!meta) return <span>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</span>;
  return <FieldValue meta={meta} record={{ [field]: value, currency: undefined } as unknown as AnyRecord} />;
}

function HistoryItem({ entity, entry }: { entity: EntityName; entry: HistoryEntry }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { data: customDefs } = useCustomFields(entity);
  const user = entry.user_name || t('record.system');
  const head =
    entry.action === 'create' ? t('record.createdBy', { user })
    : entry.action === 'update' ? t('record.changedBy', { user })
    : entry.action === 'delete' ? t('record.deletedBy', { user })
    : entry.action === 'restore' ? t('record.restoredBy', { user })
    : t('record.otherAction', { user, action: entry.action });
  const changes = entry.action === 'update' ? Object.entries(entry.changes ?? {}).filter(([f]) => !(entity === 'contacts' && f === 'name') && !(entity === 'leads' && f === 'name')) : [];
  const label = (f: string) =>
    f.startsWith('custom.') ? (customDefs?.find((d) => d.name === f.slice(7))?.label ?? f.slice(7)) : fieldLabel(entity, f);
  return (
    <div data-testid="timeline-change">
      <div>{head}</div>
      {changes.map(([field, [from, to]]) => (
        <div key={field} style={{ marginInlineStart: 8 }}>
          <strong>{label(field)}</strong>:{' '}
          <ChangeValue entity={entity} field={field} value={from} /> → <ChangeValue entity={entity} field={field} value={to} />
        </div>
      ))}
      <div className="timeline-meta">{fmt.dateTime(entry.at)}</div>
    </div>
  );
}

function ActivityItem({ a }: { a: Activity }) {
  const fmt = useFormat();
  const { t } = useTranslation();
  const typeMeta = fieldMeta('activities', 'type');
  return (
    <div data-testid="timeline-activity">
      <div>
        <strong>{choiceLabel(typeMeta, a.type)}</strong>{a.subject ? ': ' : ''}
        <Link to={`/activities/${a.id}`}>{a.subject ?? ''}</Link>
        {a.duration_minutes ? <span className="muted"> · {t('activity.durationShort', { minutes: a.duration_minutes })}</span> : null}
      </div>
      {a.body && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} ellipsis={{ rows: 4, expandable: true }}>{a.body}</Typography.Paragraph>}
      <div className="timeline-meta">{fmt.dateTime(a.occurred_at ?? a.created_at)}</div>
    </div>
  );
}

export function RecordTimeline({ entity, id }: { entity: EntityName; id: string }) {
  const { t } = useTranslation();
  const link = ENTITIES[entity].activityLink;
  const activities = useList<Activity>('activities', link ? { [link]: id, sort: '-occurred_at', limit: '100' } : {}, !!link);
  const history = useHistory(entity, id);
  const items: Item[] = [];
  for (const a of activities.data?.data ?? [])
    items.push({ at: a.occurred_at ?? a.created_at, key: `a-${a.id}`, node: <ActivityItem a={a} />, dot: ACTIVITY_ICON[a.type as ActivityType] });
  for (const h of history.data ?? []) {
    if (h.action === 'update' && Object.keys(h.changes ?? {}).every((f) => QUIET.has(f))) continue;
    const dot = h.action === 'create' ? <PlusCircleOutlined aria-hidden /> : h.action === 'delete' ? <DeleteOutlined aria-hidden /> : h.action === 'restore' ? <UndoOutlined aria-hidden /> : <EditOutlined aria-hidden />;
    items.push({ at: h.at, key: `h-${h.id}`, node: <HistoryItem entity={entity} entry={h} />, dot });
  }
  items.sort((a, b) => b.at.localeCompare(a.at));
  const loading = (link && activities.isLoading) || history.isLoading;
  return (
    <Card title={t('record.timeline')} size="small" data-testid="timeline">
      <ErrorAlert error={activities.error ?? history.error} onRetry={() => { void activities.refetch(); void history.refetch(); }} />
      {loading ? <Loading /> : items.length === 0 ? <EmptyState>{t('record.noTimeline')}</EmptyState> : (
        <AntTimeline items={items.map((i) => ({ key: i.key, children: i.node, dot: i.dot }))} />
      )}
    </Card>
  );
}
