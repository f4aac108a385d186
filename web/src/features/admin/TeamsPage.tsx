// Teams and their managers; "team" permissions reach records of members and of teams a user
// manages.
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Popconfirm, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { keys, useTeams, useUsers } from '../../api/queries';
import type { Team } from '../../api/types';
import { ErrorAlert, Loading } from '../../components/PageStates';
import { UserSelect } from '../../components/RefSelect';
import { AdminOnly } from './AdminOnly';
import { usePageTitle } from '../../components/usePageTitle';

export function TeamsPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.teams.title'));
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data, isLoading, error, refetch } = useTeams();
  const users = useUsers().data ?? [];
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [form] = Form.useForm<{ name: string; manager_id: string | null }>();
  const [saveError, setSaveError] = useState<unknown>(null);

  const save = async (v: { name: string; manager_id: string | null }) => {
    setSaveError(null);
    try {
      if (editing === 'new') await api.post('/api/v1/teams', { name: v.name, manager_id: v.manager_id || undefined });
      else if (editing) await api.patch(`/api/v1/teams/${editing.id}`, { name: v.name, manager_id: v.manager_id ?? '' });
      void message.success(t('admin.saved'));
      setEditing(null);
      void queryClient.invalidateQueries({ queryKey: keys.teams });
    } catch (e) {
      setSaveError(e);
    }
  };
  const remove = async (team: Team) => {
    try {
      await api.del(`/api/v1/teams/${team.id}`);
      void message.success(t('admin.deleted'));
      void queryClient.invalidateQueries({ queryKey: keys.teams });
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <AdminOnly>
      <div className="page" style={{ maxWidth: 900 }}>
        <div className="page-header">
          <h1>{t('admin.teams.title')}</h1>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => { form.resetFields(); setSaveError(null); setEditing('new'); }}>{t('admin.teams.add')}</Button>
        </div>
        <ErrorAlert error={error} onRetry={() => void refetch()} />
        {isLoading ? <Loading /> : (
          <Table<Team>
            rowKey="id"
            pagination={false}
            dataSource={data ?? []}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('admin.teams.name'), dataIndex: 'name' },
              { title: t('admin.teams.manager'), dataIndex: 'manager_id', render: (id: string | null) => users.find((u) => u.id === id)?.name ?? '—' },
              { title: t('admin.teams.members'), key: 'members', render: (_: unknown, team: Team) => users.filter((u) => u.team_id === team.id).length },
              {
                title: t('list.rowActions'),
                key: 'a',
                render: (_: unknown, team: Team) => (
                  <Space>
                    <Button size="small" onClick={() => { form.setFieldsValue({ name: team.name, manager_id: team.manager_id }); setSaveError(null); setEditing(team); }}>{t('admin.edit')}</Button>
                    <Popconfirm title={t('admin.teams.confirmDelete', { name: team.name })} onConfirm={() => void remove(team)} okText={t('admin.delete')} cancelText={t('record.cancel')}>
                      <Button size="small" danger>{t('admin.delete')}</Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
        <Modal open={editing !== null} title={editing === 'new' ? t('admin.teams.add') : t('admin.edit')} onCancel={() => setEditing(null)} onOk={() => form.submit()} okText={t('record.save')} cancelText={t('record.cancel')} forceRender>
          <ErrorAlert error={saveError} />
          <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
            <Form.Item name="name" label={t('admin.teams.name')} rules={[{ required: true, message: t('errors.field.required') }]}><Input maxLength={100} /></Form.Item>
            <Form.Item name="manager_id" label={t('admin.teams.manager')}><UserSelect allowClear /></Form.Item>
          </Form>
        </Modal>
      </div>
    </AdminOnly>
  );
}
