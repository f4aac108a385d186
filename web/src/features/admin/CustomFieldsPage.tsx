// Custom fields per kind of record: text, number, date or a choice list. They appear on record
// pages and forms, and can be shown as list columns. Adding and editing: CustomFieldModal.
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Space, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { LIST_ENTITIES } from '../../api/entities';
import { errorMessage } from '../../api/errorMessages';
import { keys, useCustomFields } from '../../api/queries';
import type { CustomField, CustomFieldType, EntityName } from '../../api/types';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { entityLabel } from '../../i18n/labels';
import { AdminOnly } from './AdminOnly';
import { CustomFieldModal } from './CustomFieldModal';
import { usePageTitle } from '../../components/usePageTitle';

export function CustomFieldsPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.customFields.title'));
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [entity, setEntity] = useState<EntityName>('accounts');
  const { data, isLoading, error, refetch } = useCustomFields(entity);
  const [modalOpen, setModalOpen] = useState(false);
  // Kept as clicked (not looked up in the refreshed list) so a refetch never resets the form.
  const [editing, setEditing] = useState<CustomField | null>(null);
  const openModal = (f: CustomField | null) => {
    setEditing(f);
    setModalOpen(true);
  };

  const remove = async (f: CustomField) => {
    try {
      await api.del(`/api/v1/custom-fields/${f.id}`);
      void message.success(t('admin.deleted'));
      void queryClient.invalidateQueries({ queryKey: keys.customFields });
      void queryClient.invalidateQueries({ queryKey: keys.meta }); // record forms follow the change
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <AdminOnly>
      <div className="page">
        <div className="page-header">
          <h1>{t('admin.customFields.title')}</h1>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => openModal(null)}>{t('admin.customFields.add')}</Button>
        </div>
        <Tabs activeKey={entity} onChange={(k) => setEntity(k as EntityName)} items={LIST_ENTITIES.map((e) => ({ key: e, label: entityLabel(e, true) }))} />
        <ErrorAlert error={error} onRetry={() => void refetch()} />
        {isLoading ? <Loading /> : !data ? null : data.length === 0 ? <EmptyState>{t('admin.customFields.none', { entity: entityLabel(entity, true) })}</EmptyState> : (
          <Table<CustomField>
            rowKey="id"
            pagination={false}
            dataSource={data ?? []}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('admin.customFields.label'), dataIndex: 'label' },
              { title: t('admin.customFields.name'), dataIndex: 'name', render: (n: string) => <code>{n}</code> },
              { title: t('admin.customFields.type'), dataIndex: 'type', render: (ty: CustomFieldType) => t(`admin.customFields.types.${ty}`) },
              { title: t('admin.customFields.options'), dataIndex: 'options', render: (o: string[]) => o.map((x) => <Tag key={x}>{x}</Tag>) },
              { title: t('admin.customFields.required'), dataIndex: 'required', render: (r: boolean) => (r ? t('choices.yes') : t('choices.no')) },
              { title: t('admin.customFields.position'), dataIndex: 'position' },
              {
                title: t('list.rowActions'),
                key: 'a',
                render: (_: unknown, f: CustomField) => (
                  <Space>
                    <Button size="small" onClick={() => openModal(f)} data-testid="edit-field">{t('admin.edit')}</Button>
                    <Popconfirm title={t('admin.customFields.confirmDelete', { label: f.label })} onConfirm={() => void remove(f)} okText={t('admin.delete')} cancelText={t('record.cancel')}>
                      <Button size="small" danger>{t('admin.delete')}</Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
        <CustomFieldModal entity={entity} field={editing} open={modalOpen} onClose={() => setModalOpen(false)} />
      </div>
    </AdminOnly>
  );
}
