// Users: add (a password is generated and shown once if none is given), change name, role,
// team, language, time zone, deactivate, reset a password.
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import { keys, useRoles, useTeams, useUsers } from '../../api/queries';
import type { User } from '../../api/types';
import { ErrorAlert, Loading } from '../../components/PageStates';
import { applyServerErrors } from '../../lib/formValues';
import { AdminOnly } from './AdminOnly';
import { roleName } from '../../i18n/labels';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { timeZoneOption } from '../../lib/timeZones';
import { usePageTitle } from '../../components/usePageTitle';

interface UserForm {
  email?: string;
  name: string;
  password?: string;
  role_id: string;
  team_id: string | null;
  locale: string | null;
  time_zone: string;
  active?: boolean;
}

function UserModal({ user, open, onClose }: { user: User | null; open: boolean; onClose: (shownPassword?: { email: string; password: string }) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UserForm>();
  const roles = useRoles().data ?? [];
  const teams = useTeams().data ?? [];
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: UserForm) => {
    setBusy(true);
    setError(null);
    try {
      if (user) {
        await api.patch(`/api/v1/users/${user.id}`, { name: v.name, role_id: v.role_id, team_id: v.team_id ?? null, locale: v.locale ?? null, time_zone: v.time_zone, active: v.active, version: user.version });
        onClose();
      } else {
        const created = await api.post<User>('/api/v1/users', { ...v, password: v.password || undefined, team_id: v.team_id || undefined });
        onClose(created.initial_password ? { email: created.email, password: created.initial_password } : undefined);
      }
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: keys.users });
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) applyServerErrors(form, e, new Set(['email', 'name', 'password', 'role_id', 'team_id', 'locale', 'time_zone']));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={user ? user.name : t('admin.users.add')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okText={t('record.save')}
      cancelText={t('record.cancel')}
      destroyOnClose
    >
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        preserve={false}
        initialValues={user ?? { role_id: 'read_only', locale: null, time_zone: 'Asia/Shanghai', team_id: null }}
      >
        {!user && (
          <Form.Item name="email" label={t('admin.users.email')} rules={[{ required: true, message: t('errors.field.required') }]}>
            <Input inputMode="email" />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('admin.users.name')} rules={[{ required: true, message: t('errors.field.required') }]}><Input maxLength={100} /></Form.Item>
        {!user && <Form.Item name="password" label={t('admin.users.passwordOptional')}><Input.Password autoComplete="new-password" /></Form.Item>}
        <Form.Item name="role_id" label={t('admin.users.role')}><Select options={roles.map((r) => ({ value: r.id, label: roleName(r) }))} /></Form.Item>
        <Form.Item name="team_id" label={t('admin.users.team')}>
          <Select allowClear placeholder={t('admin.users.noTeam')} options={teams.map((x) => ({ value: x.id, label: x.name }))} />
        </Form.Item>
        <Form.Item name="locale" label={t('admin.users.locale')}>
          <Select allowClear placeholder={t('admin.users.localeBrowser')} options={[{ value: 'en', label: 'English' }, { value: 'zh-CN', label: '简体中文' }]} />
        </Form.Item>
        <Form.Item name="time_zone" label={t('admin.users.timeZone')}><TimeZoneSelect /></Form.Item>
        {user && <Form.Item name="active" label={t('admin.users.active')} valuePropName="checked"><Switch /></Form.Item>}
      </Form>
    </Modal>
  );
}

export function UsersPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('admin.users.title'));
  const { message } = App.useApp();
  const { data, isLoading, error, refetch } = useUsers();
  const roles = useRoles().data ?? [];
  const teams = useTeams().data ?? [];
  const [editing, setEditing] = useState<User | null>(null);
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<{ email: string; password: string } | null>(null);

  const reset = async (u: User) => {
    try {
      const r = await api.post<{ password: string }>(`/api/v1/users/${u.id}/reset-password`);
      setShown({ email: u.email, password: r.password });
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <AdminOnly>
      <div className="page">
        <div className="page-header">
          <h1>{t('admin.users.title')}</h1>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => { setEditing(null); setOpen(true); }}>{t('admin.users.add')}</Button>
        </div>
        {shown && (
          <Alert
            type="success"
            showIcon
            closable
            onClose={() => setShown(null)}
            style={{ marginBottom: 12 }}
            message={<Typography.Text copyable={{ text: shown.password }}>{t('admin.users.initialPassword', shown)}</Typography.Text>}
          />
        )}
        <ErrorAlert error={error} onRetry={() => void refetch()} />
        {isLoading ? <Loading /> : (
          <Table<User>
            rowKey="id"
            dataSource={data ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('admin.users.name'), dataIndex: 'name' },
              { title: t('admin.users.email'), dataIndex: 'email' },
              { title: t('admin.users.role'), dataIndex: 'role_id', render: (id: string) => roleName(roles.find((r) => r.id === id), id) },
              { title: t('admin.users.team'), dataIndex: 'team_id', render: (id: string | null) => teams.find((x) => x.id === id)?.name ?? '—' },
              { title: t('admin.users.active'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">{t('choices.yes')}</Tag> : <Tag>{t('choices.no')}</Tag>) },
              // Named as the time zone picker names it ("UTC+08:00 · 上海 · 中国标准时间"), not by its IANA id.
              { title: t('admin.users.timeZone'), dataIndex: 'time_zone', render: (z: string) => timeZoneOption(z, i18n.language).label },
              {
                title: t('list.rowActions'),
                key: 'actions',
                render: (_: unknown, u: User) => (
                  <Space>
                    <Button size="small" onClick={() => { setEditing(u); setOpen(true); }}>{t('admin.edit')}</Button>
                    <Popconfirm title={t('admin.users.confirmReset', { name: u.name })} onConfirm={() => void reset(u)} okText={t('admin.users.resetPassword')} cancelText={t('record.cancel')}>
                      <Button size="small">{t('admin.users.resetPassword')}</Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
        <UserModal
          key={editing?.id ?? 'new'}
          user={editing}
          open={open}
          onClose={(pw) => {
            setOpen(false);
            if (pw) setShown(pw);
          }}
        />
      </div>
    </AdminOnly>
  );
}
