// Form inputs for a set of fields of an entity (and its custom fields), laid out in a grid
// that becomes one column on a phone.
import { Col, Form, Row, Select, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { customFieldMeta, fieldMeta, type CustomFieldMeta, type FieldMeta } from '../../api/meta';
import { usePipelines } from '../../api/queries';
import type { EntityName } from '../../api/types';
import { fieldErrorMessage } from '../../api/errorMessages';
import { fieldLabel } from '../../i18n/labels';
import { useEntityMeta } from '../../components/MetaProvider';
import { fieldValueProblem } from '../../lib/fieldChecks';
import { DEFAULT_CURRENCY } from '../../lib/money';
import { CustomFieldInput, FieldInput } from './FieldInput';

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

// The rules of one field's input: required, and the checks of its kind (money, integer,
// decimal; lib/fieldChecks) with the server's field error messages.
function fieldRules(meta: FieldMeta, form: FormInstance, requiredMessage: string) {
  const currency = () => (form.getFieldValue(meta.currencyField ?? 'currency') as string | undefined) || DEFAULT_CURRENCY;
  return [
    ...(meta.required ? [{ required: true, message: requiredMessage }] : []),
    {
      validator: async (_: unknown, v: unknown) => {
        const code = fieldValueProblem(meta.kind, v, meta, currency());
        if (code) throw new Error(fieldErrorMessage(code));
      },
    },
  ];
}

const filled = (v: unknown) => v !== null && v !== undefined && (typeof v !== 'string' || v.trim() !== '');

// The entity's "at least one of" rule (a person's last or first name) when the form shows all
// of its fields: the first of them shown carries the message, and is checked again whenever
// another of them changes (Form.Item dependencies), so the message goes as soon as any is filled.
function useAnyOfRule(entity: EntityName, fields: string[]) {
  const { t, i18n } = useTranslation();
  const form = Form.useFormInstance();
  const group = useEntityMeta(entity).anyOfRequired;
  if (group.length === 0 || !group.every((n) => fields.includes(n))) return null;
  const carrier = fields.find((n) => group.includes(n))!;
  const names = new Intl.ListFormat(i18n.language, { type: 'disjunction' }).format(
    fields.filter((n) => group.includes(n)).map((n) => fieldLabel(entity, n)),
  );
  return {
    carrier,
    dependencies: group.filter((n) => n !== carrier),
    rule: {
      validator: async () => {
        if (!group.some((n) => filled(form.getFieldValue(n)))) throw new Error(t('record.anyOfRequired', { fields: names }));
      },
    },
  };
}

export function RecordFormFields({ entity, fields, customFields }: { entity: EntityName; fields: string[]; customFields: CustomFieldMeta[] }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const anyOf = useAnyOfRule(entity, fields);
  const currency = (Form.useWatch('currency', form) as string | undefined) || DEFAULT_CURRENCY;
  const pipelineId = (Form.useWatch('pipeline_id', form) as string | undefined) ?? null;
  return (
    <Row gutter={12}>
      {fields.map((name) => {
        const meta = fieldMeta(entity, name);
        if (!meta) return null;
        const wide = WIDE.includes(meta.kind);
        return (
          <Col key={name} xs={24} md={wide ? 24 : 12} xl={wide ? 24 : 8}>
            <Form.Item
              name={name}
              label={fieldLabel(entity, name)}
              rules={[...fieldRules(meta, form, t('errors.field.required')), ...(anyOf?.carrier === name ? [anyOf.rule] : [])]}
              dependencies={anyOf?.carrier === name ? anyOf.dependencies : undefined}
              valuePropName="value"
              data-field={name}
            >
              {name === 'stage_id' ? <StageSelect pipelineId={pipelineId} /> : <FieldInput meta={meta} currency={currency} />}
            </Form.Item>
          </Col>
        );
      })}
      {customFields.map((def) => {
        const meta = customFieldMeta(def);
        return (
          <Col key={meta.name} xs={24} md={12} xl={8}>
            <Form.Item
              name={['custom', def.name]}
              label={def.label}
              rules={fieldRules(meta, form, t('errors.field.required'))}
              data-field={meta.name}
            >
              <CustomFieldInput def={def} currency={currency} />
            </Form.Item>
          </Col>
        );
      })}
    </Row>
  );
}
