// Pipelines and their stages: names, win probability, won/lost flags and order, and whether a
// deal moved to a lost stage needs a reason. Saved with
// If-Match so two administrators editing one pipeline do not overwrite each other.
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Input, Popconfirm, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import { keys, usePipelines } from '../../api/queries';
import type { Pipeline, Stage } from '../../api/types';
import { ErrorAlert, Loading } from '../../components/PageStates';
import { AdminOnly } from './AdminOnly';
import { usePageTitle } from '../../components/usePageTitle';
import { NumberInput } from '../../components/inputs';

interface Draft {
  id?: string;
  version?: number;
  name: string;
  stages: Stage[];
  require_lost_reason: boolean;
}

const draftOf = (p: Pipeline): Draft => ({
  id: p.id,
  version: p.version,
  name: p.name,
  stages: p.stages,
  require_lost_reason: !!p.require_lost_reason,
});

function PipelineEditor({ draft, onCancel, onSaved }: { draft: Draft; onCancel?: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [d, setD] = useState(draft);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const setStage = (i: number, patch: Partial<Stage>) => setD({ ...d, stages: d.stages.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const swap = (i: number, j: number) => {
    const stages = [...d.stages];
    [stages[i], stages[j]] = [stages[j]!, stages[i]!];
    setD({ ...d, stages });
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = { name: d.name, stages: d.stages, require_lost_reason: d.require_lost_reason };
      if (d.id) await api.patch(`/api/v1/pipelines/${d.id}`, body, { version: d.version });
      else await api.post('/api/v1/pipelines', body);
      void message.success(t('admin.saved'));
      onSaved();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.isConflict && e.current) {
        // Show the saved version; the administrator re-applies their change knowingly.
        const cur = e.current as unknown as Pipeline;
        setD(draftOf(cur));
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <ErrorAlert error={error} />
      <Input value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} aria-label={t('admin.pipelines.name')} placeholder={t('admin.pipelines.name')} style={{ marginBottom: 8, maxWidth: 360 }} />
      <Table<Stage>
        size="small"
        pagination={false}
        rowKey={(s) => s.id ?? `new-${d.stages.indexOf(s)}`}
        dataSource={d.stages}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('admin.pipelines.stageName'), key: 'n', render: (_: unknown, s: Stage, i: number) => <Input aria-label={t('admin.pipelines.stageName')} value={s.name ?? ''} onChange={(e) => setStage(i, { name: e.target.value })} style={{ minWidth: 140 }} /> },
          { title: t('admin.pipelines.probability'), key: 'p', render: (_: unknown, s: Stage, i: number) => <NumberInput aria-label={t('admin.pipelines.probability')} min={0} max={100} precision={0} value={s.probability ?? 0} onChange={(v) => setStage(i, { probability: v ?? 0 })} /> },
          { title: t('admin.pipelines.won'), key: 'w', render: (_: unknown, s: Stage, i: number) => <Checkbox aria-label={t('admin.pipelines.won')} checked={!!s.is_won} onChange={(e) => setStage(i, { is_won: e.target.checked, is_lost: e.target.checked ? false : s.is_lost })} /> },
          { title: t('admin.pipelines.lost'), key: 'l', render: (_: unknown, s: Stage, i: number) => <Checkbox aria-label={t('admin.pipelines.lost')} checked={!!s.is_lost} onChange={(e) => setStage(i, { is_lost: e.target.checked, is_won: e.target.checked ? false : s.is_won })} /> },
          {
            title: '',
            key: 'a',
            render: (_: unknown, _s: Stage, i: number) => (
              <Space size={0}>
                <Button type="text" size="small" icon={<ArrowUpOutlined />} aria-label={t('admin.pipelines.moveUp')} disabled={i === 0} onClick={() => swap(i, i - 1)} />
                <Button type="text" size="small" icon={<ArrowDownOutlined />} aria-label={t('admin.pipelines.moveDown')} disabled={i === d.stages.length - 1} onClick={() => swap(i, i + 1)} />
                <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('admin.pipelines.removeStage')} onClick={() => setD({ ...d, stages: d.stages.filter((_, j) => j !== i) })} />
              </Space>
            ),
          },
        ]}
      />
      <Checkbox
        style={{ marginTop: 8, display: 'flex' }}
        checked={d.require_lost_reason}
        onChange={(e) => setD({ ...d, require_lost_reason: e.target.checked })}
        data-testid="require-lost-reason"
      >
        {t('admin.pipelines.requireLostReason')}
      </Checkbox>
      <Space style={{ marginTop: 8 }} wrap>
        <Button icon={<PlusOutlined />} onClick={() => setD({ ...d, stages: [...d.stages, { name: '', probability: 50, is_won: false, is_lost: false }] })}>{t('admin.pipelines.addStage')}</Button>
        <Button type="primary" loading={busy} onClick={() => void save()}>{t('record.save')}</Button>
        {onCancel && <Button onClick={onCancel}>{t('record.cancel')}</Button>}
      </Space>
    </div>
  );
}

export function PipelinesPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.pipelines.title'));
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data, isLoading, error, refetch } = usePipelines();
  const [creating, setCreating] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.pipelines });
  const remove = async (p: Pipeline) => {
    try {
      await api.del(`/api/v1/pipelines/${p.id}`, { version: p.version });
      void message.success(t('admin.deleted'));
      refresh();
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };
  return (
    <AdminOnly>
      <div className="page">
        <div className="page-header">
          <h1>{t('admin.pipelines.title')}</h1>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('admin.pipelines.add')}</Button>
        </div>
        <ErrorAlert error={error} onRetry={() => void refetch()} />
        {isLoading ? <Loading /> : (
          <Space direction="vertical" size={12} style={{ width: '100%' }}>
            {creating && (
              <Card size="small" title={t('admin.pipelines.add')}>
                <PipelineEditor
                  draft={{ name: '', require_lost_reason: false, stages: [{ name: '', probability: 10, is_won: false, is_lost: false }, { name: '', probability: 100, is_won: true, is_lost: false }, { name: '', probability: 0, is_won: false, is_lost: true }] }}
                  onCancel={() => setCreating(false)}
                  onSaved={() => { setCreating(false); refresh(); }}
                />
              </Card>
            )}
            {(data ?? []).map((p) => (
              <Card
                key={`${p.id}-${p.version}`}
                size="small"
                title={p.name}
                extra={
                  <Popconfirm title={t('admin.pipelines.confirmDelete', { name: p.name })} onConfirm={() => void remove(p)} okText={t('admin.delete')} cancelText={t('record.cancel')}>
                    <Button size="small" danger>{t('admin.delete')}</Button>
                  </Popconfirm>
                }
              >
                <PipelineEditor draft={draftOf(p)} onSaved={refresh} />
              </Card>
            ))}
          </Space>
        )}
      </div>
    </AdminOnly>
  );
}
