// Roles and their permissions: for each kind of record, read/change/delete with a scope
// (none, own, team, all) and create/export yes or no; plus administration. Built-in roles are
// shown read-only and can be copied into a custom role.
import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Form, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import { keys, useRoles, useUsers } from '../../api/queries';
import type { EntityName, EntityPermissions, Permissions, Role, Scope } from '../../api/types';
import { ErrorAlert, Loading } from '../../components/PageStates';
import { entityLabel, roleDescription, roleName } from '../../i18n/labels';
import { AdminOnly } from './AdminOnly';
import { usePageTitle } from '../../components/usePageTitle';

const ENTITY_ORDER: EntityName[] = ['accounts', 'contacts', 'leads', 'deals', 'activities', 'tasks', 'products', 'orders', 'pipelines'];
const SCOPES: Scope[] = ['none', 'own', 'team', 'all'];
const NONE: EntityPermissions = { read: 'none', create: false, update: 'none', delete: 'none', export: false };

interface Draft {
  id?: string;
  version?: number;
  name: string;
  description: string;
  permissions: Permissions;
}

function PermissionMatrix({ value, onChange, readOnly }: { value: Permissions; onChange: (p: Permissions) => void; readOnly: boolean }) {
  const { t } = useTranslation();
  const set = (entity: string, patch: Partial<EntityPermissions>) =>
    onChange({ ...value, entities: { ...value.entities, [entity]: { ...NONE, ...value.entities[entity], ...patch } } });
  const scopeSelect = (entity: string, action: 'read' | 'update' | 'delete') => (
    <Select<Scope>
      size="small"
      disabled={readOnly}
      aria-label={`${entityLabel(entity, true)} ${t(`admin.roles.${action}`)}`}
      value={value.entities[entity]?.[action] ?? 'none'}
      onChange={(s) => set(entity, { [action]: s })}
      options={SCOPES.map((s) => ({ value: s, label: t(`admin.roles.scope.${s}`) }))}
      style={{ width: 90 }}
    />
  );
  return (
    <>
      <Checkbox disabled={readOnly} checked={value.admin} onChange={(e) => onChange({ ...value, admin: e.target.checked })} style={{ marginBottom: 12 }}>
        {t('admin.roles.adminFlag')}
      </Checkbox>
      <Table
        size="small"
        rowKey="entity"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={ENTITY_ORDER.map((entity) => ({ entity }))}
        columns={[
          { title: t('admin.roles.entity'), dataIndex: 'entity', render: (e: string) => entityLabel(e, true) },
          { title: t('admin.roles.read'), key: 'r', render: (_: unknown, r: { entity: string }) => scopeSelect(r.entity, 'read') },
          { title: t('admin.roles.create'), key: 'c', render: (_: unknown, r: { entity: string }) => <Checkbox disabled={readOnly} aria-label={`${entityLabel(r.entity, true)} ${t('admin.roles.create')}`} checked={value.entities[r.entity]?.create ?? false} onChange={(e) => set(r.entity, { create: e.target.checked })} /> },
          { title: t('admin.roles.update'), key: 'u', render: (_: unknown, r: { entity: string }) => scopeSelect(r.entity, 'update') },
          { title: t('admin.roles.delete'), key: 'd', render: (_: unknown, r: { entity: string }) => scopeSelect(r.entity, 'delete') },
          { title: t('admin.roles.export'), key: 'x', render: (_: unknown, r: { entity: string }) => <Checkbox disabled={readOnly} aria-label={`${entityLabel(r.entity, true)} ${t('admin.roles.export')}`} checked={value.entities[r.entity]?.export ?? false} onChange={(e) => set(r.entity, { export: e.target.checked })} /> },
        ]}
      />
    </>
  );
}

export function RolesPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.roles.title'));
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data: roles, isLoading, error, refetch } = useRoles();
  const users = useUsers().data ?? [];
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const selected = roles?.find((r) => r.id === selectedId) ?? null;

  const edit = (r: Role) => {
    setSelectedId(r.id);
    setSaveError(null);
    setDraft(r.builtin ? null : { id: r.id, version: r.version, name: r.name, description: r.description, permissions: r.permissions });
  };
  const copy = (r: Role) => {
    setSelectedId(null);
    setSaveError(null);
    setDraft({ name: t('admin.roles.copyOf', { name: roleName(r) }), description: roleDescription(r), permissions: r.permissions });
  };
  const save = async () => {
    if (!draft) return;
    setBusy(true);
    setSaveError(null);
    try {
      const body = { name: draft.name, description: draft.description, permissions: draft.permissions };
      const saved = draft.id
        ? await api.patch<Role>(`/api/v1/roles/${draft.id}`, { ...body, version: draft.version })
        : await api.post<Role>('/api/v1/roles', body);
      void message.success(t('admin.saved'));
      await queryClient.invalidateQueries({ queryKey: keys.roles });
      edit(saved);
    } catch (e) {
      if (e instanceof ApiError && e.isConflict) void refetch();
      setSaveError(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (r: Role) => {
    try {
      await api.del(`/api/v1/roles/${r.id}`);
      void message.success(t('admin.deleted'));
      setSelectedId(null);
      setDraft(null);
      void queryClient.invalidateQueries({ queryKey: keys.roles });
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <AdminOnly>
      <div className="page">
        <div className="page-header">
          <h1>{t('admin.roles.title')}</h1>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => { setSelectedId(null); setDraft({ name: '', description: '', permissions: { admin: false, entities: {} } }); }}>
            {t('admin.roles.add')}
          </Button>
        </div>
        <ErrorAlert error={error} onRetry={() => void refetch()} />
        {isLoading ? <Loading /> : (
          <Table<Role>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={roles ?? []}
            scroll={{ x: 'max-content' }}
            rowClassName={(r) => (r.id === selectedId ? 'ant-table-row-selected' : '')}
            onRow={(r) => ({ onClick: () => edit(r) })}
            columns={[
              { title: t('admin.roles.name'), dataIndex: 'name', render: (_: string, r: Role) => <Button type="link" style={{ padding: 0 }} onClick={() => edit(r)}>{roleName(r)}</Button> },
              { title: t('admin.roles.description'), dataIndex: 'description', render: (_: string, r: Role) => roleDescription(r) },
              { title: t('admin.roles.builtin'), dataIndex: 'builtin', render: (b: boolean) => (b ? <Tag>{t('admin.roles.builtin')}</Tag> : null) },
              { title: t('admin.teams.members'), key: 'n', render: (_: unknown, r: Role) => users.filter((u) => u.role_id === r.id).length },
            ]}
          />
        )}
        {selected?.builtin && !draft && (
          <Card size="small" style={{ marginTop: 12 }} title={roleName(selected)} extra={<Button icon={<CopyOutlined />} onClick={() => copy(selected)}>{t('admin.roles.copy')}</Button>}>
            <Alert type="info" showIcon message={t('admin.roles.builtinHint')} style={{ marginBottom: 12 }} />
            <PermissionMatrix value={selected.permissions} onChange={() => undefined} readOnly />
          </Card>
        )}
        {draft && (
          <Card size="small" style={{ marginTop: 12 }} title={draft.id ? draft.name : t('admin.roles.add')} data-testid="role-editor">
            <ErrorAlert error={saveError} />
            <Form layout="vertical">
              <Form.Item label={t('admin.roles.name')} required>
                <Input value={draft.name} maxLength={64} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
              </Form.Item>
              <Form.Item label={t('admin.roles.description')}>
                <Input.TextArea value={draft.description} maxLength={500} autoSize onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
              </Form.Item>
            </Form>
            <PermissionMatrix value={draft.permissions} onChange={(p) => setDraft({ ...draft, permissions: p })} readOnly={false} />
            <Space style={{ marginTop: 12 }}>
              <Button type="primary" loading={busy} onClick={() => void save()}>{t('record.save')}</Button>
              <Button onClick={() => setDraft(null)}>{t('record.cancel')}</Button>
              {draft.id && selected && !selected.builtin && (
                <Popconfirm title={t('admin.roles.confirmDelete', { name: selected.name })} onConfirm={() => void remove(selected)} okText={t('admin.delete')} cancelText={t('record.cancel')}>
                  <Button danger>{t('admin.delete')}</Button>
                </Popconfirm>
              )}
            </Space>
          </Card>
        )}
      </div>
    </AdminOnly>
  );
}
