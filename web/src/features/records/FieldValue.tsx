// Shows one field's value the way a person reads it: money with its currency, times in the
// user's zone, links for linked records, translated choices.
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { customFieldMeta, fieldValue, recordCurrency, type CustomFieldMeta, type FieldMeta } from '../../api/meta';
import type { AnyRecord, OrderItem } from '../../api/types';
import { choiceLabel } from '../../i18n/labels';
import { useFormat } from '../../i18n/useFormat';
import { RefLabel, UserName } from '../../components/RefLabel';
import { usePipelines } from '../../api/queries';
import { isBlank } from '../../lib/blank';

function StageName({ id }: { id: string }) {
  const { data } = usePipelines();
  for (const p of data ?? []) {
    const s = p.stages.find((x) => x.id === id);
    if (s) return <span>{s.name}</span>;
  }
  return <span>…</span>;
}

export function FieldValue({ meta, record }: { meta: FieldMeta; record: AnyRecord }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const v = fieldValue(record, meta.name);
  const empty = <span className="muted">{t('record.empty')}</span>;
  if (isBlank(v)) return empty;
  if (meta.name === 'stage_id' && typeof v === 'string') return <StageName id={v} />;
  switch (meta.kind) {
    case 'money':
      return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{fmt.money(v as number, recordCurrency(record, meta))}</span>;
    case 'date':
      return <span>{fmt.date(v as string)}</span>;
    case 'datetime':
      return <span>{fmt.dateTime(v as string)}</span>;
    case 'boolean':
      return <span>{v ? t('choices.yes') : t('choices.no')}</span>;
    case 'choice':
      return <span>{choiceLabel(meta, String(v))}</span>;
    case 'ref':
      return <RefLabel entity={meta.ref!} id={v as string} />;
    case 'reflist':
      return (
        <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 8 }}>
          {(v as string[]).map((id) => <RefLabel key={id} entity={meta.ref!} id={id} />)}
        </span>
      );
    case 'user':
      return <UserName id={v as string} />;
    case 'tags':
      return <span>{(v as string[]).map((x) => <Tag key={x}>{x}</Tag>)}</span>;
    case 'emails':
      return <span>{(v as string[]).map((x, i) => <span key={x}>{i > 0 && ', '}<a href={`mailto:${x}`}>{x}</a></span>)}</span>;
    case 'phones':
      return <span>{(v as string[]).map((x, i) => <span key={x}>{i > 0 && ', '}<a href={`tel:${x}`}>{x}</a></span>)}</span>;
    case 'email':
      return <a href={`mailto:${String(v)}`}>{String(v)}</a>;
    case 'phone':
      return <a href={`tel:${String(v)}`}>{String(v)}</a>;
    case 'url':
      return <a href={String(v)} target="_blank" rel="noreferrer noopener">{String(v)}</a>;
    case 'integer':
      return <span>{fmt.number(v as number)}</span>;
    case 'longtext':
      return <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{String(v)}</Typography.Paragraph>;
    case 'items':
      return <span>{(v as OrderItem[]).length}</span>;
    default:
      return <span>{String(v)}</span>;
  }
}

// A custom field's value, shown as a built-in field of its kind (customFieldMeta).
export function CustomFieldValue({ def, record }: { def: CustomFieldMeta; record: AnyRecord }) {
  return <FieldValue meta={customFieldMeta(def)} record={record} />;
}
