// Form inputs for a set of fields of an entity (and its custom fields), laid out in a grid
// that becomes one column on a phone.
import { Col, Form, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { fieldMeta, type FieldMeta } from '../../api/entities';
import { usePipelines } from '../../api/queries';
import type { CustomField, EntityName } from '../../api/types';
import { fieldLabel } from '../../i18n/labels';
import { CustomFieldInput, FieldInput, moneyRule } from './FieldInput';

function StageSelect({ value, onChange, pipelineId, id }: { value?: string | null; onChange?: (v: string | null) => void; pipelineId: string | null; id?: string }) {
  const { data } = usePipelines();
  const pipeline = data?.find((p) => p.id === pipelineId) ?? data?.[0];
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v: string) => onChange?.(v)}
      options={(pipeline?.stages ?? []).map((s) => ({ value: s.id!, label: s.name }))}
      style={{ width: '100%' }}
    />
  );
}

const WIDE: FieldMeta['kind'][] = ['longtext', 'items', 'reflist'];

export function RecordFormFields({ entity, fields, customFields }: { entity: EntityName; fields: string[]; customFields: CustomField[] }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const currency = (Form.useWatch('currency', form) as string | undefined) ?? 'CNY';
  const pipelineId = (Form.useWatch('pipeline_id', form) as string | undefined) ?? null;
  const decimalRule = { pattern: /^-?\d+(\.\d+)?$/, message: t('errors.field.invalid_decimal') };
  return (
    <Row gutter={12}>
      {fields.map((name) => {
        const meta = fieldMeta(entity, name);
        if (!meta) return null;
        const rules = [];
        if (meta.required) rules.push({ required: true, message: t('errors.field.required') });
        if (meta.kind === 'money')
          rules.push(moneyRule(() => (form.getFieldValue(meta.currencyField ?? 'currency') as string) || 'CNY'));
        const wide = WIDE.includes(meta.kind);
        return (
          <Col key={name} xs={24} md={wide ? 24 : 12} xl={wide ? 24 : 8}>
            <Form.Item
              name={name}
              label={fieldLabel(entity, name)}
              rules={rules}
              valuePropName="value"
              data-field={name}
            >
              {name === 'stage_id' ? <StageSelect pipelineId={pipelineId} /> : <FieldInput meta={meta} currency={currency} />}
            </Form.Item>
          </Col>
        );
      })}
      {customFields.map((def) => (
        <Col key={def.id} xs={24} md={12} xl={8}>
          <Form.Item
            name={['custom', def.name]}
            label={def.label}
            rules={[
              ...(def.required ? [{ required: true, message: t('errors.field.required') }] : []),
              ...(def.type === 'number' ? [decimalRule] : []),
            ]}
            data-field={`custom.${def.name}`}
          >
            <CustomFieldInput def={def} />
          </Form.Item>
        </Col>
      ))}
    </Row>
  );
}
