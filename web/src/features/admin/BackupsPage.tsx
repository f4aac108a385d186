// Backups (administrators): make one now, see the schedule and the recent backups with their
// verification (each file was read back and found restorable before it is called "ok"). While a
// backup runs the list refreshes every second, so the screen shows it finish without a reload.
import { CloudUploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import type { Backup, BackupList } from '../../api/types';
import { ErrorAlert, Loading } from '../../components/PageStates';
import { usePageTitle } from '../../components/usePageTitle';
import { useFormat } from '../../i18n/useFormat';
import { formatBytes } from '../../lib/bytes';
import { AdminOnly } from './AdminOnly';

const BACKUPS_KEY = ['admin', 'backups'] as const;

function StatusTag({ b }: { b: Backup }) {
  const { t } = useTranslation();
  if (b.status === 'running') return <Tag color="processing">{t('backups.running')}</Tag>;
  if (b.status === 'ok') return <Tag color="success">{t('backups.verified')}</Tag>;
  return (
    <Tooltip title={b.error}>
      <Tag color="error">{t('backups.failed')}</Tag>
    </Tooltip>
  );
}

export function BackupsPage() {
  const { t } = useTranslation();
  usePageTitle(t('backups.title'));
  const fmt = useFormat();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [starting, setStarting] = useState(false);
  const list = useQuery({
    queryKey: BACKUPS_KEY,
    queryFn: () => api.get<BackupList>('/api/v1/admin/backups'),
    refetchInterval: (q) => (q.state.data?.data.some((b) => b.status === 'running') ? 1000 : false),
  });
  const backups = list.data?.data ?? [];
  const schedule = list.data?.schedule;
  const running = backups.some((b) => b.status === 'running');
  const latestOk = backups.find((b) => b.status === 'ok');
  const latest = backups[0];

  const backUpNow = async () => {
    setStarting(true);
    try {
      await api.post('/api/v1/admin/backups');
      void message.info(t('backups.started'));
      await queryClient.invalidateQueries({ queryKey: BACKUPS_KEY });
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  return (
    <AdminOnly>
      <div className="page" style={{ maxWidth: 1100 }}>
        <div className="page-header">
          <h1>{t('backups.title')}</h1>
          <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => void backUpNow()} loading={starting || running} disabled={running}>
            {running ? t('backups.inProgress') : t('backups.now')}
          </Button>
        </div>
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        {list.isLoading ? <Loading /> : (
          <>
            {schedule && (
              <Typography.Paragraph>
                {schedule.interval_hours > 0
                  ? t('backups.schedule', { count: schedule.interval_hours, keep: schedule.keep })
                  : t('backups.noSchedule', { keep: schedule.keep })}
                {schedule.next_at && <> {t('backups.next', { at: fmt.dateTime(schedule.next_at) })}</>}
                {' '}{t('backups.where', { directory: schedule.directory, server: schedule.server })}
              </Typography.Paragraph>
            )}
            {latest?.status === 'failed' && (
              <Alert type="error" showIcon className="page-alert" message={t('backups.lastFailed', { at: fmt.dateTime(latest.started_at) })} description={latest.error} />
            )}
            {!latestOk && !running && latest?.status !== 'failed' && (
              <Alert type="warning" showIcon className="page-alert" message={t('backups.none')} />
            )}
            <Table<Backup>
              rowKey="id"
              pagination={false}
              dataSource={backups}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('backups.empty') }}
              columns={[
                { title: t('backups.started_at'), dataIndex: 'started_at', render: (at: string) => <span className="nowrap">{fmt.dateTime(at)}</span> },
                {
                  title: t('backups.kind'),
                  key: 'kind',
                  render: (_: unknown, b: Backup) => (b.kind === 'scheduled' ? t('backups.scheduled') : t('backups.manual', { name: b.requested_by_name ?? '—' })),
                },
                { title: t('backups.status'), key: 'status', render: (_: unknown, b: Backup) => <StatusTag b={b} /> },
                { title: t('backups.size'), dataIndex: 'size_bytes', render: (n: number | null) => (n === null ? '—' : formatBytes(n, fmt.number)) },
                {
                  title: t('backups.duration'),
                  dataIndex: 'duration_ms',
                  render: (ms: number | null) => (ms === null ? '—' : t('backups.seconds', { value: fmt.number(Math.round(ms / 100) / 10) })),
                },
                {
                  title: t('backups.file'),
                  key: 'file',
                  render: (_: unknown, b: Backup) => {
                    if (!b.file_name) return b.status === 'failed' ? <Typography.Text type="danger">{b.error}</Typography.Text> : '—';
                    if (b.pruned_at) return <Typography.Text type="secondary" delete>{b.file_name}</Typography.Text>;
                    return <Typography.Text copyable={{ text: b.file_name }}><code>{b.file_name}</code></Typography.Text>;
                  },
                },
                {
                  title: 'SHA-256',
                  dataIndex: 'sha256',
                  render: (h: string | null) => (h ? <Typography.Text copyable={{ text: h }}><code title={h}>{h.slice(0, 12)}…</code></Typography.Text> : '—'),
                },
              ]}
            />
            <Typography.Paragraph type="secondary" className="backups-restore">
              {t('backups.restoreHelp')} <code>keel restore {schedule?.directory ?? 'DIR'}/FILE</code>
            </Typography.Paragraph>
          </>
        )}
      </div>
    </AdminOnly>
  );
}
