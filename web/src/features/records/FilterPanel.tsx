// Filters of a list: one input per filterable field (choices, yes/no, linked records, owners,
// ranges for amounts and dates), applied as the API's field=value and field[gte]= parameters.
import { Button, Drawer, Form, Grid, Input, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { findField, type FieldMeta } from '../../api/meta';
import { useEntityMeta } from '../../components/MetaProvider';
import { usePipelines, useUsers } from '../../api/queries';
import type { EntityName } from '../../api/types';
import { choiceLabel, fieldLabel } from '../../i18n/labels';
import { useFormat, useTimeZone } from '../../i18n/useFormat';
import { isoToWall, wallToIso } from '../../lib/dates';
import { DEFAULT_CURRENCY } from '../../lib/money';
import { DateInput } from '../../components/inputs';
import { RefLabel } from '../../components/RefLabel';
import { RefSelect, UserSelect } from '../../components/RefSelect';
import { filterableFields, RANGE_KINDS, rangeBoundFromText, rangeBoundToText, splitFilterKey } from './listParams';

type Filters = Record<string, string>;

function FilterInput({ meta, label, filters, set, currency }: { meta: FieldMeta; label: string; filters: Filters; set: (k: string, v: string | null) => void; currency: string }) {
  const { t } = useTranslation();
  const tz = useTimeZone();
  const { data: pipelines } = usePipelines();
  const n = meta.name;
  if (n === 'stage_id') {
    const options = (pipelines ?? []).flatMap((p) => p.stages.map((s) => ({ value: s.id!, label: pipelines!.length > 1 ? `${p.name} · ${s.name}` : s.name })));
    return <Select allowClear value={filters[n]} onChange={(v: string | undefined) => set(n, v ?? null)} options={options} placeholder={t('list.any')} style={{ width: '100%' }} />;
  }
  if (RANGE_KINDS.has(meta.kind)) {
    const [from, to] = [filters[`${n}[gte]`] ?? null, filters[`${n}[lte]`] ?? null];
    if (meta.kind === 'date' || meta.kind === 'datetime') {
      // Dates are picked as days; a date-time range covers whole days in the user's zone.
      const toDay = (v: string | null) => (v && meta.kind === 'datetime' ? isoToWall(v, tz).slice(0, 10) : v);
      const fromDay = (d: string | null, end: boolean) =>
        d && meta.kind === 'datetime' ? wallToIso(`${d}T${end ? '23:59:59.999' : '00:00:00'}`, tz) : d;
      return (
        <div style={{ display: 'flex', gap: 6 }}>
          <DateInput aria-label={`${label} ${t('list.from')}`} value={toDay(from)} onChange={(d) => set(`${n}[gte]`, fromDay(d, false))} />
          <DateInput aria-label={`${label} ${t('list.to')}`} value={toDay(to)} onChange={(d) => set(`${n}[lte]`, fromDay(d, true))} />
        </div>
      );
    }
    const show = (v: string | null) => rangeBoundToText(meta.kind, v, currency);
    const read = (text: string) => rangeBoundFromText(meta.kind, text, currency);
    const mode = meta.kind === 'integer' ? 'numeric' : 'decimal';
    return (
      <div style={{ display: 'flex', gap: 6 }}>
        <Input inputMode={mode} aria-label={`${label} ${t('list.from')}`} placeholder={t('list.from')} defaultValue={show(from)} onBlur={(e) => set(`${n}[gte]`, read(e.target.value))} onPressEnter={(e) => set(`${n}[gte]`, read((e.target as HTMLInputElement).value))} />
        <Input inputMode={mode} aria-label={`${label} ${t('list.to')}`} placeholder={t('list.to')} defaultValue={show(to)} onBlur={(e) => set(`${n}[lte]`, read(e.target.value))} onPressEnter={(e) => set(`${n}[lte]`, read((e.target as HTMLInputElement).value))} />
      </div>
    );
  }
  switch (meta.kind) {
    case 'choice':
      return <Select allowClear placeholder={t('list.any')} value={filters[n]} onChange={(v: string | undefined) => set(n, v ?? null)} options={(meta.choices ?? []).map((c) => ({ value: c, label: choiceLabel(meta, c) }))} style={{ width: '100%' }} />;
    case 'boolean':
      return <Select allowClear placeholder={t('list.any')} value={filters[n]} onChange={(v: string | undefined) => set(n, v ?? null)} options={[{ value: 'true', label: t('choices.yes') }, { value: 'false', label: t('choices.no') }]} style={{ width: '100%' }} />;
    case 'ref':
      return <RefSelect entity={meta.ref!} value={filters[n] ?? null} onChange={(v) => set(n, (v as string | null) ?? null)} />;
    case 'user':
      return <UserSelect allowClear value={filters[n] ?? null} onChange={(v) => set(n, v)} />;
    default:
      return <Input allowClear defaultValue={filters[n] ?? ''} onBlur={(e) => set(n, e.target.value.trim() || null)} onPressEnter={(e) => set(n, (e.target as HTMLInputElement).value.trim() || null)} />;
  }
}

export function FilterPanel({ entity, open, onClose, filters, onChange }: {
  entity: EntityName;
  open: boolean;
  onClose: () => void;
  filters: Filters;
  onChange: (f: Filters) => void;
}) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const entityMeta = useEntityMeta(entity);
  const set = (k: string, v: string | null) => {
    const next = { ...filters };
    if (v === null || v === '') delete next[k];
    else next[k] = v;
    onChange(next);
  };
  const currency = filters.currency ?? DEFAULT_CURRENCY;
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('list.filters')}
      placement={screens.md ? 'right' : 'bottom'}
      height="80%"
      width={380}
      extra={<Button onClick={() => onChange({})}>{t('list.clearFilters')}</Button>}
    >
      {/* Remount inputs when filters are cleared from outside, so uncontrolled text inputs follow. */}
      <Form layout="vertical" key={Object.keys(filters).length === 0 ? 'empty' : 'set'}>
        {filterableFields(entityMeta).map((meta) => (
          <Form.Item key={meta.name} label={fieldLabel(entity, meta.name)}>
            <FilterInput meta={meta} label={fieldLabel(entity, meta.name)} filters={filters} set={set} currency={currency} />
          </Form.Item>
        ))}
      </Form>
    </Drawer>
  );
}

// The active filters as removable chips above the list.
export function FilterChips({ entity, filters, onChange }: { entity: EntityName; filters: Filters; onChange: (f: Filters) => void }) {
  const fmt = useFormat();
  const { t } = useTranslation();
  const { data: users } = useUsers();
  const { data: pipelines } = usePipelines();
  const entityMeta = useEntityMeta(entity);
  const entries = Object.entries(filters);
  if (entries.length === 0) return null;
  const describe = (key: string, value: string) => {
    const { field, op } = splitFilterKey(key);
    const meta = findField(entityMeta, field);
    const prefix = op === 'gte' ? '≥ ' : op === 'lte' ? '≤ ' : op === 'gt' ? '> ' : op === 'lt' ? '< ' : op === 'ne' ? '≠ ' : '';
    let shown: React.ReactNode = value;
    if (field === 'stage_id') shown = pipelines?.flatMap((p) => p.stages).find((s) => s.id === value)?.name ?? value;
    else if (meta?.kind === 'choice') shown = choiceLabel(meta, value);
    else if (meta?.kind === 'boolean') shown = value === 'true' ? t('choices.yes') : t('choices.no');
    else if (meta?.kind === 'user') shown = users?.find((u) => u.id === value)?.name ?? '…';
    else if (meta?.kind === 'ref') shown = <RefLabel entity={meta.ref!} id={value} link={false} />;
    else if (meta?.kind === 'money') shown = fmt.money(Number(value), filters.currency ?? DEFAULT_CURRENCY);
    else if (meta?.kind === 'datetime') shown = fmt.dateTime(value);
    else if (meta?.kind === 'date') shown = fmt.date(value);
    return <>{fieldLabel(entity, field)}: {prefix}{shown}</>;
  };
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, marginBottom: 8 }} data-testid="filter-chips">
      {entries.map(([k, v]) => (
        <Tag
          key={k}
          closable
          onClose={() => {
            const next = { ...filters };
            delete next[k];
            onChange(next);
          }}
        >
          {describe(k, v)}
        </Tag>
      ))}
      {entries.length > 1 && <Button size="small" type="link" onClick={() => onChange({})}>{t('list.clearFilters')}</Button>}
    </div>
  );
}
