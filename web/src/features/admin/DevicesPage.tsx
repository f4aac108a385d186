// Devices and sync (administrators): every device that syncs, whose it is, when it last pulled
// and pushed, how far behind the change log it is, what the server refused from it; stale ones
// (no sync for the server's stale limit) flagged. Revoking a device ends its session, and its
// next sync tells it to wipe what it holds.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Popconfirm, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { ErrorAlert, Loading } from '../../components/PageStates';
import { usePageTitle } from '../../components/usePageTitle';
import { tr } from '../../i18n';
import { useFormat } from '../../i18n/useFormat';
import type { MutationResult } from '../../sync/protocol';
import { AdminOnly } from './AdminOnly';

interface Device {
  id: string;
  name: string;
  user_id: string;
  user_name: string;
  created_at: string;
  last_pull_at: string | null;
  last_push_at: string | null;
  lag: number;
  stale: boolean;
  revoked_at: string | null;
  expired_at: string | null;
  pulls: number;
  pushes: number;
  applied: number;
  conflicts: number;
  rejected: number;
}

const DEVICES_KEY = ['admin', 'devices'] as const;

function Problems({ device }: { device: Device }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const q = useQuery({
    queryKey: [...DEVICES_KEY, device.id, 'problems'],
    queryFn: () => api.get<{ data: (MutationResult & { at: string })[] }>(`/api/v1/admin/devices/${device.id}/problems`),
  });
  if (q.isLoading) return <Loading />;
  return (
    <>
      <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={q.data?.data ?? []}
        locale={{ emptyText: t('devices.noProblems') }}
        columns={[
          { title: t('devices.at'), dataIndex: 'at', render: (at: string) => fmt.dateTime(at) },
          { title: t('devices.what'), key: 'what', render: (_: unknown, r: MutationResult) => `${t(`sync.op.${r.status === 'conflict' ? 'update' : 'create'}`)} · ${tr(`entity.${r.entity}.one`, r.entity)}` },
          {
            title: t('devices.outcome'),
            key: 'outcome',
            render: (_: unknown, r: MutationResult) => (r.status === 'conflict'
              ? <Tag color="warning">{t('sync.conflict')}</Tag>
              : <Tag color="error">{tr(`errors.code.${r.code ?? ''}`, r.code ?? '')}</Tag>),
          },
        ]}
      />
    </>
  );
}

export function DevicesPage() {
  const { t } = useTranslation();
  usePageTitle(t('devices.title'));
  const fmt = useFormat();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Device | null>(null);
  const list = useQuery({
    queryKey: DEVICES_KEY,
    queryFn: () => api.get<{ data: Device[]; stale_days: number }>('/api/v1/admin/devices'),
  });

  const revoke = async (d: Device) => {
    try {
      await api.post(`/api/v1/admin/devices/${d.id}/revoke`);
      void message.success(t('devices.revoked', { name: d.name || d.id }));
      await queryClient.invalidateQueries({ queryKey: DEVICES_KEY });
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  const when = (iso: string | null) => (iso ? <span className="nowrap" title={fmt.dateTime(iso)}>{fmt.relative(iso)}</span> : '—');

  return (
    <AdminOnly>
      <div className="page" style={{ maxWidth: 1200 }}>
        <div className="page-header">
          <h1>{t('devices.title')}</h1>
        </div>
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        {list.isLoading ? <Loading /> : (
          <>
            <Typography.Paragraph type="secondary">{t('devices.help', { count: list.data?.stale_days ?? 30 })}</Typography.Paragraph>
            <Table<Device>
              rowKey="id"
              pagination={false}
              dataSource={list.data?.data ?? []}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('devices.empty') }}
              data-testid="devices-table"
              columns={[
                { title: t('devices.device'), dataIndex: 'name', render: (n: string, d: Device) => n || <code>{d.id.slice(0, 8)}</code> },
                { title: t('devices.user'), dataIndex: 'user_name' },
                {
                  title: t('devices.state'),
                  key: 'state',
                  render: (_: unknown, d: Device) => (d.revoked_at ? <Tag>{t('devices.revokedTag')}</Tag>
                    : d.expired_at ? <Tag>{t('devices.expired')}</Tag>
                      : d.stale ? <Tag color="warning">{t('devices.stale')}</Tag> : <Tag color="success">{t('devices.active')}</Tag>),
                },
                { title: t('devices.lastPull'), dataIndex: 'last_pull_at', render: when },
                { title: t('devices.lastPush'), dataIndex: 'last_push_at', render: when },
                { title: t('devices.lag'), dataIndex: 'lag', render: (n: number) => fmt.number(n) },
                { title: t('devices.applied'), dataIndex: 'applied', render: (n: number) => fmt.number(n) },
                {
                  title: t('devices.refused'),
                  key: 'refused',
                  render: (_: unknown, d: Device) => (d.rejected + d.conflicts > 0
                    ? <Button size="small" type="link" onClick={() => setOpen(d)}>{t('devices.problems', { rejected: d.rejected, conflicts: d.conflicts })}</Button>
                    : '0'),
                },
                {
                  title: '',
                  key: 'actions',
                  render: (_: unknown, d: Device) => (d.revoked_at ? null : (
                    <Popconfirm title={t('devices.revokeConfirm', { name: d.name || d.id.slice(0, 8), user: d.user_name })}
                      onConfirm={() => void revoke(d)} okText={t('devices.revoke')} cancelText={t('record.cancel')}>
                      <Button size="small" danger data-testid={`revoke-${d.id}`}>{t('devices.revoke')}</Button>
                    </Popconfirm>
                  )),
                },
              ]}
            />
          </>
        )}
        <Drawer open={open !== null} onClose={() => setOpen(null)} width={560} title={open ? `${open.name} · ${open.user_name}` : ''}>
          {open && <Problems device={open} />}
        </Drawer>
      </div>
    </AdminOnly>
  );
}
