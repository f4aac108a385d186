// Custom fields per kind of record: text, number, date or a choice list. They appear on record
// pages and forms, and can be shown as list columns.
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Switch, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { LIST_ENTITIES } from '../../api/entities';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import { keys, useCustomFields } from '../../api/queries';
import type { CustomField, CustomFieldType, EntityName } from '../../api/types';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { entityLabel } from '../../i18n/labels';
import { applyServerErrors } from '../records/formValues';
import { AdminOnly } from './AdminOnly';

const TYPES: CustomFieldType[] = ['text', 'number', 'date', 'select'];

interface NewField {
  name: string;
  label: string;
  type: CustomFieldType;
  options?: string[];
  required?: boolean;
  max_length?: number;
  position?: number;
}

export function CustomFieldsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [entity, setEntity] = useState<EntityName>('accounts');
  const { data, isLoading, error, refetch } = useCustomFields(entity);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<NewField>();
  const type = Form.useWatch('type', form);
  const [saveError, setSaveError] = useState<unknown>(null);

  const add = async (v: NewField) => {
    setSaveError(null);
    try {
      await api.post('/api/v1/custom-fields', { ...v, entity, options: v.type === 'select' ? v.options ?? [] : undefined });
      void message.success(t('admin.saved'));
      setAdding(false);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: keys.customFields });
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) applyServerErrors(form, e, new Set(['name', 'label', 'type', 'options', 'required', 'max_length', 'position']));
      else setSaveError(e);
    }
  };
  const remove = async (f: CustomField) => {
    try {
      await api.del(`/api/v1/custom-fields/${f.id}`);
      void message.success(t('admin.deleted'));
      void queryClient.invalidateQueries({ queryKey: keys.customFields });
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <AdminOnly>
      <div className="page">
        <div className="page-header">
          <h1>{t('admin.customFields.title')}</h1>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => { setSaveError(null); setAdding(true); }}>{t('admin.customFields.add')}</Button>
        </div>
        <Tabs activeKey={entity} onChange={(k) => setEntity(k as EntityName)} items={LIST_ENTITIES.map((e) => ({ key: e, label: entityLabel(e, true) }))} />
        <ErrorAlert error={error} onRetry={() => void refetch()} />
        {isLoading ? <Loading /> : (data?.length ?? 0) === 0 ? <EmptyState>{t('admin.customFields.none', { entity: entityLabel(entity, true) })}</EmptyState> : (
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
                  <Popconfirm title={t('admin.customFields.confirmDelete', { label: f.label })} onConfirm={() => void remove(f)} okText={t('admin.delete')} cancelText={t('record.cancel')}>
                    <Button size="small" danger>{t('admin.delete')}</Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
        )}
        <Modal open={adding} title={`${t('admin.customFields.add')} · ${entityLabel(entity, true)}`} onCancel={() => setAdding(false)} onOk={() => form.submit()} okText={t('record.save')} cancelText={t('record.cancel')} forceRender>
          <ErrorAlert error={saveError} />
          <Form form={form} layout="vertical" onFinish={(v) => void add(v)} initialValues={{ type: 'text', required: false, max_length: 200, position: 0 }}>
            <Form.Item name="label" label={t('admin.customFields.label')} rules={[{ required: true, message: t('errors.field.required') }]}><Input maxLength={100} /></Form.Item>
            <Form.Item name="name" label={t('admin.customFields.name')} extra={t('admin.customFields.nameHint')} rules={[{ required: true, message: t('errors.field.required') }, { pattern: /^[a-z][a-z0-9_]{0,39}$/, message: t('errors.field.invalid_format') }]}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name="type" label={t('admin.customFields.type')}>
              <Select options={TYPES.map((ty) => ({ value: ty, label: t(`admin.customFields.types.${ty}`) }))} />
            </Form.Item>
            {type === 'select' && (
              <Form.Item name="options" label={t('admin.customFields.options')} extra={t('admin.customFields.optionsHint')} rules={[{ required: true, message: t('errors.field.required') }]}>
                <Select mode="tags" open={false} suffixIcon={null} />
              </Form.Item>
            )}
            {type === 'text' && <Form.Item name="max_length" label={t('admin.customFields.maxLength')}><InputNumber min={1} max={5000} precision={0} /></Form.Item>}
            <Form.Item name="position" label={t('admin.customFields.position')}><InputNumber precision={0} /></Form.Item>
            <Form.Item name="required" label={t('admin.customFields.required')} valuePropName="checked"><Switch /></Form.Item>
          </Form>
        </Modal>
      </div>
    </AdminOnly>
  );
}
