// The fields of a record, read-only until "Edit", then edited in place on the same card.
import { EditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Form, Space } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldKind } from '../../api/entities';
import type { AnyRecord, EntityName } from '../../api/types';
import { fieldLabel } from '../../i18n/labels';
import { useEntityMeta } from '../../components/MetaProvider';
import { ErrorAlert } from '../../components/PageStates';
import { useUnsavedChanges } from '../../components/UnsavedChanges';
import { ConflictDialog } from './ConflictDialog';
import { CustomFieldValue, FieldValue } from './FieldValue';
import { isBlank } from '../../lib/blank';
import { recordToFormValues } from '../../lib/formValues';
import { RecordFormFields } from './RecordFormFields';
import { fieldInputFor } from './registry';
import { useRecordEditor } from './useRecordEditor';

// Shown by a panel of their own (an order's lines) or elsewhere, not in the field grid; in the
// edit form only where a feature registered an input for them.
const HIDDEN_IN_DETAILS = new Set<FieldKind>(['items', 'stages']);

export function RecordDetails({ entity, record, canEdit }: { entity: EntityName; record: AnyRecord; canEdit: boolean }) {
  const { t } = useTranslation();
  const meta = useEntityMeta(entity);
  const customDefs = meta.custom;
  const [form] = Form.useForm();
  // A contact's or lead's name is made from first and last name, which are shown already.
  const viewFields = meta.fields.filter((f) => !HIDDEN_IN_DETAILS.has(f.kind) && !(f.name === 'name' && f.readOnly));
  const editable = meta.fields.filter((f) => !f.readOnly);
  const editFields = editable.map((f) => f.name);
  const formFields = editable.filter((f) => !HIDDEN_IN_DETAILS.has(f.kind) || fieldInputFor(f.kind)).map((f) => f.name);
  const shown = useMemo(
    () => new Set([...editFields, ...customDefs.map((d) => `custom.${d.name}`)]),
    [entity, customDefs],
  );
  const editor = useRecordEditor(entity, record, form, shown);
  // Empty fields wait behind one link, so what is known about the customer, and the timeline
  // below it on a phone, are not pushed down by twenty rows of "—".
  const [showEmpty, setShowEmpty] = useState(false);
  const filledFields = viewFields.filter((f) => showEmpty || !isBlank(record[f.name]));
  const custom = (record.custom ?? {}) as Record<string, unknown>;
  const filledCustom = customDefs.filter((d) => showEmpty || !isBlank(custom[d.name]));
  const hiddenCount = viewFields.length - filledFields.length + customDefs.length - filledCustom.length;
  useUnsavedChanges(editor.unsent);
  const initialValues = useMemo(
    () => recordToFormValues(record, editFields, customDefs.map((d) => d.name)),
    [record, customDefs],
  );
  useEffect(() => {
    if (!editor.editing) form.setFieldsValue(initialValues);
  }, [initialValues, editor.editing, form]);

  return (
    <Card
      title={t('record.details')}
      size="small"
      extra={
        canEdit && !record.deleted_at && !editor.editing ? (
          <Button icon={<EditOutlined />} onClick={editor.startEditing} data-testid="edit-record">{t('record.edit')}</Button>
        ) : null
      }
    >
      {editor.editing ? (
        <Form
          form={form}
          layout="vertical"
          noValidate // FieldInput: the form's own rules and the server's errors, not the browser's
          initialValues={initialValues}
          onFinish={() => void editor.save()}
          onValuesChange={editor.markTouched}
          data-testid="record-form"
          disabled={editor.saving}
        >
          <ErrorAlert error={editor.error} onRetry={() => void editor.save()} save />
          {editor.unplaced.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={editor.unplaced.join('; ')} />}
          <RecordFormFields entity={entity} fields={formFields} customFields={customDefs} />
          <Space>
            <Button type="primary" htmlType="submit" loading={editor.saving} data-testid="save-record">
              {editor.saving ? t('record.saving') : t('record.save')}
            </Button>
            <Button onClick={editor.cancel} disabled={editor.saving}>{t('record.cancel')}</Button>
          </Space>
        </Form>
      ) : (
        <>
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} layout="vertical" colon={false}>
            {filledFields.map((f) => (
              <Descriptions.Item key={f.name} label={fieldLabel(entity, f.name)} span={f.kind === 'longtext' ? 'filled' : 1}>
                <span data-field={f.name}><FieldValue meta={f} record={record} /></span>
              </Descriptions.Item>
            ))}
            {filledCustom.map((d) => (
              <Descriptions.Item key={`custom.${d.name}`} label={d.label}>
                <span data-field={`custom.${d.name}`}><CustomFieldValue def={d} record={record} /></span>
              </Descriptions.Item>
            ))}
          </Descriptions>
          {(hiddenCount > 0 || showEmpty) && (
            <Button type="link" size="small" className="empty-fields-toggle" onClick={() => setShowEmpty(!showEmpty)} data-testid="toggle-empty-fields">
              {showEmpty ? t('record.hideEmpty') : t('record.showEmpty', { count: hiddenCount })}
            </Button>
          )}
        </>
      )}
      <ConflictDialog
        entity={entity}
        conflict={editor.conflict}
        saving={editor.saving}
        onKeepMine={() => void editor.resolveKeepMine()}
        onTakeTheirs={editor.resolveTakeTheirs}
      />
    </Card>
  );
}
