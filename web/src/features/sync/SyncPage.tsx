// The sync panel: where this device stands with the server (connection, last successful sync,
// what waits, why the last attempt failed), "Sync now", and the changes that need the user:
//  - a conflict: someone else changed a field this device changed since the device saw it.
//    Field by field, the value both started from, this device's and the server's; the user
//    keeps theirs or the server's for each, and the choice is sent as a new change.
//  - a refusal: the server's reasons, in the user's language, at each field; the user corrects
//    the values and sends again, or discards the change.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Input, List, Radio, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fieldErrorMessage } from '../../api/errorMessages';
import { newId } from '../../api/client';
import { useOfflineQueue } from '../../components/OfflineQueue';
import { syncSummary } from '../../components/SyncStatus';
import { usePageTitle } from '../../components/usePageTitle';
import { tr } from '../../i18n';
import { fieldLabel } from '../../i18n/labels';
import { useFormat } from '../../i18n/useFormat';
import { valueAt } from '../../lib/conflict';
import type { SyncEngine } from '../../sync/engine';
import type { FieldConflict, Mutation } from '../../sync/protocol';
import type { ProblemEntry } from '../../sync/replica';

const PANEL_KEY = ['sync', 'panel'] as const;

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map(show).join(', ') : '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function failureText(code: string): string {
  return code === 'network' ? tr('network.failed', 'Could not reach the server.') : tr(`errors.code.${code}`, code);
}

function ConflictCard({ p, engine, done }: { p: ProblemEntry; engine: SyncEngine; done: () => void }) {
  const { t } = useTranslation();
  const m = p.mutation;
  const r = p.result;
  const conflicts: FieldConflict[] = r.conflicts ?? [];
  const [choice, setChoice] = useState<Record<string, 'mine' | 'theirs'>>(() =>
    Object.fromEntries(conflicts.map((c) => [c.field, 'theirs'])));
  const server = r.server ?? null;

  const apply = async () => {
    if (!server) return;
    if (r.reason === 'deleted') {
      // Restore it, then make the change on the restored record.
      await engine.resolve(p.id, { id: newId(), entity: m.entity, op: 'restore', record_id: m.record_id, base_version: server.version }, p.label);
      await engine.enqueue({ ...m, id: newId(), base_version: server.version + 1, base: {} }, p.label);
    } else if (m.op === 'delete') {
      await engine.resolve(p.id, { id: newId(), entity: m.entity, op: 'delete', record_id: m.record_id, base_version: server.version }, p.label);
    } else {
      const fields: Record<string, unknown> = {};
      const base: Record<string, unknown> = {};
      for (const c of conflicts) {
        if (choice[c.field] !== 'mine') continue;
        if (c.field.startsWith('custom.')) {
          fields.custom = { ...(fields.custom as Record<string, unknown> | undefined), [c.field.slice(7)]: c.client };
          base.custom = { ...(server.custom ?? {}) };
        } else {
          fields[c.field] = c.client;
          base[c.field] = valueAt(server, c.field);
        }
      }
      // Fields of the change that were not in conflict were not written either: send them too.
      for (const [k, v] of Object.entries(m.fields ?? {}))
        if (!conflicts.some((c) => c.field === k || c.field.startsWith(`${k}.`)) && !(k in fields)) {
          fields[k] = v;
          base[k] = valueAt(server, k);
        }
      if (Object.keys(fields).length === 0) await engine.discard(p.id);
      else await engine.resolve(p.id, { id: newId(), entity: m.entity, op: 'update', record_id: m.record_id, base_version: server.version, fields, base }, p.label);
    }
    done();
  };

  const discard = async () => {
    await engine.discard(p.id);
    done();
  };

  return (
    <Card size="small" title={<><Tag color="warning">{t('sync.conflict')}</Tag> {p.label}</>} data-testid="sync-conflict"
      extra={<Link to={`/${m.entity}/${m.record_id}`}>{t('sync.openRecord')}</Link>}>
      {r.reason === 'deleted' && <Alert type="info" showIcon message={t('sync.deletedMeanwhile')} style={{ marginBottom: 12 }} />}
      {m.op === 'delete' && r.reason === 'changed' && <Alert type="info" showIcon message={t('sync.changedBeforeDelete')} style={{ marginBottom: 12 }} />}
      {conflicts.length > 0 && (
        <Table
          size="small"
          pagination={false}
          rowKey="field"
          dataSource={conflicts}
          scroll={{ x: true }}
          columns={[
            { title: t('sync.field'), dataIndex: 'field', render: (f: string) => fieldLabel(m.entity, f) },
            { title: t('sync.before'), dataIndex: 'base', render: show },
            { title: t('sync.mine'), dataIndex: 'client', render: show },
            { title: t('sync.theirs'), dataIndex: 'server', render: show },
            {
              title: t('sync.keep'),
              dataIndex: 'field',
              key: 'keep',
              render: (f: string) => (
                <Radio.Group
                  size="small"
                  value={choice[f]}
                  onChange={(e) => setChoice((c) => ({ ...c, [f]: e.target.value as 'mine' | 'theirs' }))}
                  aria-label={t('sync.keepFor', { field: fieldLabel(m.entity, f) })}
                >
                  <Radio value="mine" data-testid={`keep-mine-${f}`}>{t('sync.mine')}</Radio>
                  <Radio value="theirs" data-testid={`keep-theirs-${f}`}>{t('sync.theirs')}</Radio>
                </Radio.Group>
              ),
            },
          ]}
        />
      )}
      <Space style={{ marginTop: 12 }} wrap>
        <Button type="primary" onClick={() => void apply()} disabled={!server} data-testid="resolve-conflict">
          {r.reason === 'deleted' ? t('sync.restoreAndApply') : m.op === 'delete' ? t('sync.deleteAnyway') : t('sync.applyChoice')}
        </Button>
        <Button onClick={() => void discard()} data-testid="discard-problem">{t('sync.discard')}</Button>
      </Space>
    </Card>
  );
}

function RefusedCard({ p, engine, done }: { p: ProblemEntry; engine: SyncEngine; done: () => void }) {
  const { t } = useTranslation();
  const m = p.mutation;
  const r = p.result;
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(m.fields ?? {}).filter(([k]) => k !== 'custom')
      .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
  const errorsAt = (field: string) => (r.errors ?? []).filter((e) => e.field === field || e.field.startsWith(`${field}[`) || e.field.startsWith(`${field}.`));

  const resend = async () => {
    const fields: Record<string, unknown> = { ...m.fields };
    for (const [k, text] of Object.entries(values)) {
      const was = m.fields?.[k];
      if (typeof was === 'string' || was === undefined) fields[k] = text;
      else {
        try {
          fields[k] = text.trim() === '' ? null : JSON.parse(text);
        } catch {
          fields[k] = text;
        }
      }
    }
    const again: Mutation = { ...m, id: newId(), fields };
    await engine.resolve(p.id, again, p.label);
    done();
  };

  return (
    <Card size="small" title={<><Tag color="error">{t('sync.refused')}</Tag> {p.label}</>} data-testid="sync-refused">
      <Typography.Paragraph>{tr(`errors.code.${r.code ?? ''}`, r.code ?? '')}</Typography.Paragraph>
      {Object.keys(values).length > 0 && (m.op === 'create' || m.op === 'update') && (
        <Space direction="vertical" style={{ width: '100%' }}>
          {Object.keys(values).map((k) => (
            <label key={k} style={{ display: 'block' }}>
              <span>{fieldLabel(m.entity, k)}</span>
              <Input
                value={values[k]}
                onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.value }))}
                status={errorsAt(k).length ? 'error' : undefined}
                data-testid={`refused-field-${k}`}
              />
              {errorsAt(k).map((e) => (
                <Typography.Text type="danger" key={e.field + e.code} style={{ display: 'block' }}>{fieldErrorMessage(e.code)}</Typography.Text>
              ))}
            </label>
          ))}
        </Space>
      )}
      {(r.errors ?? []).filter((e) => !Object.keys(values).some((k) => errorsAt(k).includes(e))).map((e) => (
        <Typography.Text type="danger" key={e.field + e.code} style={{ display: 'block' }}>
          {e.field ? `${fieldLabel(m.entity, e.field)}: ` : ''}{fieldErrorMessage(e.code)}
        </Typography.Text>
      ))}
      <Space style={{ marginTop: 12 }} wrap>
        {(m.op === 'create' || m.op === 'update') && (
          <Button type="primary" onClick={() => void resend()} data-testid="resend-problem">{t('sync.resend')}</Button>
        )}
        <Button onClick={() => void engine.discard(p.id).then(done)} data-testid="discard-problem">{t('sync.discard')}</Button>
      </Space>
    </Card>
  );
}

export function SyncPage() {
  const { t } = useTranslation();
  usePageTitle(t('sync.title'));
  const fmt = useFormat();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { sync, reachable, engine, flush } = useOfflineQueue();
  const panel = useQuery({
    queryKey: [...PANEL_KEY, sync.pending, sync.problems, sync.lastSyncAt],
    queryFn: async () => ({ outbox: await engine.outbox(), problems: await engine.problems() }),
    networkMode: 'always',
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: PANEL_KEY });
    void queryClient.invalidateQueries({ queryKey: ['list'] });
    void queryClient.invalidateQueries({ queryKey: ['record'] });
    if (reachable) void flush();
  };
  const summary = syncSummary(sync, reachable, t, fmt.relative);
  const problems = panel.data?.problems ?? [];
  const outbox = panel.data?.outbox ?? [];

  return (
    <div className="page" style={{ maxWidth: 900 }} data-testid="sync-page">
      <div className="page-header">
        <h1>{t('sync.title')}</h1>
      </div>
      <Card size="small">
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('sync.connection')}>
            {reachable ? <Tag color="success">{t('sync.online')}</Tag> : <Tag>{t('sync.offline')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('sync.status')}><span data-testid="sync-summary">{summary.text}</span></Descriptions.Item>
          <Descriptions.Item label={t('sync.lastSuccess')}>
            <span data-testid="sync-last">{sync.lastSyncAt ? fmt.dateTime(sync.lastSyncAt) : t('sync.never')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('sync.waitingLabel')}><span data-testid="sync-pending">{fmt.number(sync.pending)}</span></Descriptions.Item>
          {!sync.ready && <Descriptions.Item label={t('sync.copy')}>{t('sync.notReady')}</Descriptions.Item>}
        </Descriptions>
        {sync.lastError && (
          <Alert type="warning" showIcon data-testid="sync-error" style={{ marginTop: 8 }}
            message={t('sync.failedBecause', { reason: failureText(sync.lastError.code), time: fmt.dateTime(sync.lastError.at) })} />
        )}
        <Button type="primary" style={{ marginTop: 12 }} loading={sync.running} data-testid="sync-now"
          onClick={() => void flush().then(() => void message.info(engine.state().lastError ? t('sync.failed') : t('sync.done')))}>
          {t('sync.now')}
        </Button>
      </Card>

      <h2 style={{ marginTop: 24 }}>{t('sync.attention')}</h2>
      {problems.length === 0 ? <Empty description={t('sync.noProblems')} /> : (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="sync-problems">
          {problems.map((p) => p.result.status === 'conflict'
            ? <ConflictCard key={p.id} p={p} engine={engine} done={refresh} />
            : <RefusedCard key={p.id} p={p} engine={engine} done={refresh} />)}
        </Space>
      )}

      <h2 style={{ marginTop: 24 }}>{t('sync.waitingTitle')}</h2>
      {outbox.length === 0 ? <Empty description={t('sync.nothingWaiting')} /> : (
        <List
          size="small"
          bordered
          data-testid="sync-outbox"
          dataSource={outbox}
          renderItem={(o) => (
            <List.Item>
              <List.Item.Meta title={o.label} description={t('sync.queuedAt', { time: fmt.dateTime(o.queuedAt), count: o.attempts })} />
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
