// Saved views on a list: choose one to apply its filters, search, sort and columns; save the
// list as it is now under a name (personal, or shared with the team by a team manager or an
// administrator); save changes to the view in use, or delete it. A view is "in use" while the
// list's query is exactly the view's, so changing a filter by hand shows that the list has
// left the view (and offers to save the change).
import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Form, Input, Modal, Popconfirm, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import { useTeams } from '../../api/queries';
import type { EntityName, SavedView } from '../../api/types';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/PageStates';

const viewsKey = (entity: string) => ['saved-views', entity] as const;

export function SavedViews({ entity, query, columns, onApply }: {
  entity: EntityName;
  query: string; // the list's query as a view keeps it (no page position)
  columns: string[];
  onApply: (view: SavedView) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const queryClient = useQueryClient();
  const teams = useTeams().data ?? [];
  const mayShare = me.permissions.admin || teams.some((tm) => tm.manager_id === me.id);
  const { data: views = [] } = useQuery({
    queryKey: viewsKey(entity),
    queryFn: () => api.get<{ data: SavedView[] }>('/api/v1/saved-views', { query: { entity } }).then((r) => r.data),
  });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const active = views.find((v) => v.query === query);
  const mine = (v: SavedView) => v.owner_id === me.id || me.permissions.admin;
  const refresh = () => queryClient.invalidateQueries({ queryKey: viewsKey(entity) });

  const saveNew = async (v: { name: string; shared: boolean }) => {
    setSaveError(null);
    try {
      await api.post('/api/v1/saved-views', { entity, name: v.name.trim(), query, columns, shared: !!v.shared });
      void message.success(t('views.saved', { name: v.name.trim() }));
      setSaving(false);
      await refresh();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'name_taken') form.setFields([{ name: 'name', errors: [t('views.nameTaken')] }]);
      else setSaveError(e);
    }
  };
  // The view in use keeps its name; its columns follow the list's.
  const saveColumns = async (view: SavedView) => {
    try {
      await api.patch(`/api/v1/saved-views/${view.id}`, { columns }, { version: view.version });
      void message.success(t('views.saved', { name: view.name }));
      await refresh();
    } catch (e) {
      void message.error(errorMessage(e));
      await refresh();
    }
  };
  const remove = async (view: SavedView) => {
    try {
      await api.del(`/api/v1/saved-views/${view.id}`);
      void message.success(t('views.deleted', { name: view.name }));
      await refresh();
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  const own = views.filter((v) => v.owner_id === me.id);
  const others = views.filter((v) => v.owner_id !== me.id);
  const option = (v: SavedView) => ({ value: v.id, label: v.shared ? `${v.name} · ${t('views.sharedMark')}` : v.name });
  return (
    <Space.Compact>
      <Select
        aria-label={t('views.label')}
        data-testid="saved-views"
        placeholder={views.length ? t('views.choose') : t('views.none')}
        disabled={!views.length}
        value={active?.id}
        style={{ minWidth: 170 }}
        onChange={(id: string) => {
          const v = views.find((x) => x.id === id);
          if (v) onApply(v);
        }}
        options={[
          ...(own.length ? [{ label: t('views.mine'), options: own.map(option) }] : []),
          ...(others.length ? [{ label: t('views.shared'), options: others.map((v) => ({ ...option(v), label: `${v.name} · ${v.owner_name ?? ''}` })) }] : []),
        ]}
      />
      {active && mine(active) && active.columns.join(',') !== columns.join(',') && (
        <Button onClick={() => void saveColumns(active)} data-testid="update-view">{t('views.update')}</Button>
      )}
      <Button icon={<SaveOutlined />} onClick={() => { setSaveError(null); setSaving(true); }} data-testid="save-view">
        {t('views.save')}
      </Button>
      {active && mine(active) && (
        <Popconfirm title={t('views.confirmDelete', { name: active.name })} onConfirm={() => void remove(active)} okText={t('admin.delete')} cancelText={t('record.cancel')}>
          <Button icon={<DeleteOutlined />} aria-label={t('views.delete', { name: active.name })} data-testid="delete-view" />
        </Popconfirm>
      )}
      <Modal open={saving} title={t('views.saveTitle')} onCancel={() => setSaving(false)} onOk={() => form.submit()} okText={t('record.save')} cancelText={t('record.cancel')} destroyOnClose>
        <ErrorAlert error={saveError} />
        <Form form={form} layout="vertical" preserve={false} onFinish={(v) => void saveNew(v)} initialValues={{ shared: false }}>
          <Form.Item name="name" label={t('views.name')} rules={[{ required: true, whitespace: true, message: t('errors.field.required') }]}>
            <Input maxLength={100} data-testid="view-name" />
          </Form.Item>
          {mayShare && (
            <Form.Item name="shared" valuePropName="checked" extra={t('views.sharedHint')}>
              <Checkbox data-testid="view-shared">{t('views.shareWithTeam')}</Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space.Compact>
  );
}
