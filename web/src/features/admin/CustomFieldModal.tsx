// Adding a custom field, or editing one (label, choice options, length, position, required;
// the key and type stay as they are). An edit that meets someone else's change shows the saved
// version in the form and says so; nothing is overwritten silently.
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ApiError } from '../../api/errors';
import { fetchCustomFields, keys } from '../../api/queries';
import type { CustomField, CustomFieldType, EntityName } from '../../api/types';
import { ErrorAlert } from '../../components/PageStates';
import { entityLabel } from '../../i18n/labels';
import { applyServerErrors } from '../../lib/formValues';
import { customFieldPatch, type CustomFieldValues } from './customFieldPatch';
import { NumberInput } from '../../components/inputs';

const TYPES: CustomFieldType[] = ['text', 'number', 'integer', 'money', 'date', 'select', 'boolean'];
// What the server keeps for these types, which the form has no setting for: a number is an exact
// decimal; money is minor units only (no currency of its own, never negative), shown in the
// record's currency or the app's default; a yes/no field is true or false.
const TYPE_HINTS = new Set<CustomFieldType>(['number', 'integer', 'money', 'boolean']);
const FORM_FIELDS = new Set(['name', 'label', 'type', 'options', 'required', 'max_length', 'position']);
const NEW_FIELD = { type: 'text', required: false, max_length: 200, position: 0 } as const;

export function CustomFieldModal({ entity, field, open, onClose }: {
  entity: EntityName;
  field: CustomField | null; // null: a new field
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CustomFieldValues>();
  const type = Form.useWatch('type', form);
  const [base, setBase] = useState<CustomField | null>(field); // the version the edit applies to
  const [saveError, setSaveError] = useState<unknown>(null);
  const [changedMeanwhile, setChangedMeanwhile] = useState(false);

  useEffect(() => {
    if (!open) return;
    setBase(field);
    setSaveError(null);
    setChangedMeanwhile(false);
    form.resetFields();
    if (field) form.setFieldsValue(field);
  }, [open, field, form]);

  const saved = () => {
    void message.success(t('admin.saved'));
    void queryClient.invalidateQueries({ queryKey: keys.customFields });
    void queryClient.invalidateQueries({ queryKey: keys.meta }); // record forms follow the change
    onClose();
  };

  // Someone else saved the field first: show their version, to edit again from there.
  const takeSavedVersion = async () => {
    const fresh = (await queryClient.fetchQuery({ queryKey: keys.customFields, queryFn: fetchCustomFields, staleTime: 0 }))
      .find((f) => f.id === base?.id);
    if (!fresh) return setSaveError(new ApiError({ status: 404, code: 'not_found' }));
    setBase(fresh);
    form.setFieldsValue(fresh);
    setChangedMeanwhile(true);
  };

  const submit = async (v: CustomFieldValues) => {
    setSaveError(null);
    setChangedMeanwhile(false);
    try {
      if (!base) {
        await api.post('/api/v1/custom-fields', { ...v, entity, options: v.type === 'select' ? v.options ?? [] : undefined });
        return saved();
      }
      const patch = customFieldPatch(base, v);
      if (patch) await api.patch(`/api/v1/custom-fields/${base.id}`, patch);
      saved();
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) applyServerErrors(form, e, FORM_FIELDS);
      else if (e instanceof ApiError && e.isConflict) await takeSavedVersion().catch(setSaveError);
      else setSaveError(e);
    }
  };

  const editing = !!field;
  return (
    <Modal
      open={open}
      title={`${editing ? t('admin.customFields.edit') : t('admin.customFields.add')} · ${entityLabel(entity, true)}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('record.save')}
      cancelText={t('record.cancel')}
      forceRender
    >
      {changedMeanwhile && <Alert type="warning" showIcon role="alert" message={t('admin.customFields.changedMeanwhile')} style={{ marginBottom: 12 }} />}
      <ErrorAlert error={saveError} />
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={NEW_FIELD} data-testid="custom-field-form">
        <Form.Item name="label" label={t('admin.customFields.label')} rules={[{ required: true, message: t('errors.field.required') }]}><Input maxLength={100} /></Form.Item>
        <Form.Item
          name="name"
          label={t('admin.customFields.name')}
          extra={editing ? t('admin.customFields.fixedHint') : t('admin.customFields.nameHint')}
          rules={[{ required: true, message: t('errors.field.required') }, { pattern: /^[a-z][a-z0-9_]{0,39}$/, message: t('errors.field.invalid_format') }]}
        >
          <Input maxLength={40} disabled={editing} />
        </Form.Item>
        <Form.Item name="type" label={t('admin.customFields.type')} extra={type && TYPE_HINTS.has(type) ? t(`admin.customFields.typeHints.${type}`) : undefined}>
          <Select disabled={editing} options={TYPES.map((ty) => ({ value: ty, label: t(`admin.customFields.types.${ty}`) }))} />
        </Form.Item>
        {type === 'select' && (
          <Form.Item name="options" label={t('admin.customFields.options')} extra={t('admin.customFields.optionsHint')} rules={[{ required: true, message: t('errors.field.required') }]}>
            <Select mode="tags" open={false} suffixIcon={null} />
          </Form.Item>
        )}
        {type === 'text' && <Form.Item name="max_length" label={t('admin.customFields.maxLength')}><NumberInput min={1} max={5000} precision={0} /></Form.Item>}
        <Form.Item name="position" label={t('admin.customFields.position')}><NumberInput precision={0} /></Form.Item>
        <Form.Item name="required" label={t('admin.customFields.required')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Modal>
  );
}
