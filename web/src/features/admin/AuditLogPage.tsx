// The audit log (administrators): who changed what, when, newest first, filtered by kind of
// record, action, person, record and period. The filters live in the address, so a filtered view
// can be bookmarked or sent to a colleague. Periods are whole days in the viewer's time zone (the
// server reads an instant without an offset in the caller's zone).
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useUsers } from '../../api/queries';
import type { AuditEntry, AuditPage } from '../../api/types';
import { DateInput } from '../../components/inputs';
import { ErrorAlert, Loading } from '../../components/PageStates';
import { usePageTitle } from '../../components/usePageTitle';
import { useFormat } from '../../i18n/useFormat';
import { AdminOnly } from './AdminOnly';
import { auditQuery, FILTERS, type Filter } from './auditQuery';

// What the log holds: record entities (their pages open from a row) and administration.
const RECORD_ENTITIES = ['accounts', 'contacts', 'leads', 'deals', 'activities', 'tasks', 'products', 'orders', 'pipelines'];
const ADMIN_ENTITIES = ['users', 'roles', 'teams', 'custom_fields', 'backups'];
const ACTIONS = ['create', 'update', 'delete', 'restore', 'convert', 'export', 'backup', 'reset_password', 'rehash_password'];
function recordPath(entity: string, id: string): string | null {
  if (!id) return null;
  if (RECORD_ENTITIES.includes(entity)) return entity === 'pipelines' ? '/admin/pipelines' : `/${entity}/${id}`;
  if (entity === 'users') return '/admin/users';
  if (entity === 'roles') return '/admin/roles';
  if (entity === 'teams') return '/admin/teams';
  if (entity === 'custom_fields') return '/admin/custom-fields';
  if (entity === 'backups') return '/admin/backups';
  return null;
}

function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const changes = Object.entries((entry.changes ?? {}) as Record<string, unknown>);
  if (!changes.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <ul className="audit-changes">
      {changes.map(([field, v]) => {
        const pair = Array.isArray(v) && v.length === 2;
        return (
          <li key={field}>
            <Typography.Text strong>{field}</Typography.Text>{': '}
            {pair ? (
              <>
                <Typography.Text delete type="secondary">{shown(v[0])}</Typography.Text>
                {' → '}
                <span>{shown(v[1])}</span>
              </>
            ) : <span>{shown(v)}</span>}
          </li>
        );
      })}
      {entry.action === 'update' && changes.length > 3 && <li className="sr-only">{t('audit.fieldsChanged', { count: changes.length })}</li>}
    </ul>
  );
}

export function AuditLogPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('audit.title'));
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const users = useUsers().data ?? [];
  const query = auditQuery(params);
  const log = useInfiniteQuery({
    queryKey: ['audit', query],
    queryFn: ({ pageParam }) =>
      api.get<AuditPage>('/api/v1/audit', { query: pageParam ? { ...query, before: String(pageParam) } : query }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
  const rows = log.data?.pages.flatMap((p) => p.data) ?? [];
  const set = (f: Filter, v: string | null | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(f, v);
    else next.delete(f);
    setParams(next, { replace: true });
  };
  const entityLabel = (e: string) =>
    i18n.exists(`entity.${e}.one`) ? t(`entity.${e}.one`) : i18n.exists(`audit.entities.${e}`) ? t(`audit.entities.${e}`) : e;
  const actionLabel = (a: string) => (i18n.exists(`audit.actions.${a}`) ? t(`audit.actions.${a}`) : a);
  const who = (e: AuditEntry) => {
    if (e.user_name) return e.user_name;
    if (e.request_id === 'schedule') return t('audit.bySchedule');
    if (e.request_id === 'cli') return t('audit.byCommandLine');
    return e.user_id || '—';
  };
  const filtered = FILTERS.some((f) => params.get(f));

  return (
    <AdminOnly>
      <div className="page">
        <div className="page-header">
          <h1>{t('audit.title')}</h1>
        </div>
        <Typography.Paragraph type="secondary">{t('audit.intro')}</Typography.Paragraph>
        <Space wrap className="audit-filters" align="end">
          <label className="filter-field">
            <span>{t('audit.entity')}</span>
            <Select
              allowClear
              style={{ minWidth: 160 }}
              aria-label={t('audit.entity')}
              placeholder={t('audit.any')}
              value={params.get('entity') || undefined}
              onChange={(v: string | undefined) => set('entity', v)}
              options={[...RECORD_ENTITIES, ...ADMIN_ENTITIES].map((e) => ({ value: e, label: entityLabel(e) }))}
            />
          </label>
          <label className="filter-field">
            <span>{t('audit.action')}</span>
            <Select
              allowClear
              style={{ minWidth: 140 }}
              aria-label={t('audit.action')}
              placeholder={t('audit.any')}
              value={params.get('action') || undefined}
              onChange={(v: string | undefined) => set('action', v)}
              options={ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))}
            />
          </label>
          <label className="filter-field">
            <span>{t('audit.user')}</span>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ minWidth: 180 }}
              aria-label={t('audit.user')}
              placeholder={t('audit.any')}
              value={params.get('user_id') || undefined}
              onChange={(v: string | undefined) => set('user_id', v)}
              // Deactivated people too: what they changed stays in the log.
              options={users.map((u) => ({ value: u.id, label: u.active ? u.name : t('audit.inactiveUser', { name: u.name }) }))}
            />
          </label>
          <label className="filter-field">
            <span>{t('audit.record')}</span>
            <Input.Search
              allowClear
              aria-label={t('audit.record')}
              placeholder={t('audit.recordPlaceholder')}
              defaultValue={params.get('record_id') ?? ''}
              key={params.get('record_id') ?? ''}
              onSearch={(v) => set('record_id', v.trim())}
              style={{ width: 260 }}
            />
          </label>
          <label className="filter-field">
            <span>{t('audit.from')}</span>
            <DateInput aria-label={t('audit.from')} value={params.get('from')} onChange={(v) => set('from', v)} />
          </label>
          <label className="filter-field">
            <span>{t('audit.to')}</span>
            <DateInput aria-label={t('audit.to')} value={params.get('to')} onChange={(v) => set('to', v)} />
          </label>
          {filtered && <Button onClick={() => setParams(new URLSearchParams(), { replace: true })}>{t('audit.clear')}</Button>}
        </Space>
        <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />
        {log.isLoading ? <Loading /> : (
          <>
            <Table<AuditEntry>
              rowKey="id"
              pagination={false}
              dataSource={rows}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: filtered ? t('audit.noneMatch') : t('audit.empty') }}
              columns={[
                { title: t('audit.at'), dataIndex: 'at', render: (at: string) => <span className="nowrap">{fmt.dateTime(at)}</span> },
                { title: t('audit.user'), key: 'user', render: (_: unknown, e: AuditEntry) => who(e) },
                { title: t('audit.action'), dataIndex: 'action', render: (a: string) => <Tag>{actionLabel(a)}</Tag> },
                { title: t('audit.entity'), dataIndex: 'entity', render: (e: string) => entityLabel(e) },
                {
                  title: t('audit.record'),
                  key: 'record',
                  render: (_: unknown, e: AuditEntry) => {
                    const path = recordPath(e.entity, e.record_id);
                    const id = e.record_id ? <code>{e.record_id.slice(-12)}</code> : '—';
                    return (
                      <Space size={4}>
                        {path ? <Link to={path} aria-label={t('audit.openRecord', { id: e.record_id })}>{id}</Link> : id}
                        {e.record_id && (
                          <Button size="small" type="link" onClick={() => set('record_id', e.record_id)}>{t('audit.onlyThis')}</Button>
                        )}
                      </Space>
                    );
                  },
                },
                { title: t('audit.changes'), key: 'changes', render: (_: unknown, e: AuditEntry) => <Changes entry={e} /> },
              ]}
            />
            {log.hasNextPage && (
              <div className="load-more">
                <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>{t('audit.older')}</Button>
              </div>
            )}
          </>
        )}
      </div>
    </AdminOnly>
  );
}
