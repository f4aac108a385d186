// The input for one field, reading and writing the value in the API's own format (minor units,
// "YYYY-MM-DD", UTC instants), so forms need no conversion step.
import { DatePicker, Input, InputNumber, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { FieldMeta } from '../../api/entities';
import { fieldErrorMessage } from '../../api/errorMessages';
import type { CustomField } from '../../api/types';
import { choiceLabel } from '../../i18n/labels';
import { useTimeZone } from '../../i18n/useFormat';
import { isoToWall, wallToIso } from '../../lib/dates';
import { COMMON_CURRENCIES, minorToDecimal, currencyDigits, parseMoney } from '../../lib/money';
import { RefSelect, UserSelect } from './RefSelect';
import { ItemsEditor } from '../orders/ItemsEditor';

interface ValueProps<T> {
  value?: T | null;
  onChange?: (v: T | null) => void;
  id?: string;
  disabled?: boolean;
  'aria-label'?: string;
}

export function DateInput({ value, onChange, ...rest }: ValueProps<string>) {
  return (
    <DatePicker
      {...rest}
      style={{ width: '100%' }}
      value={value ? dayjs(value, 'YYYY-MM-DD') : null}
      onChange={(d: Dayjs | null) => onChange?.(d ? d.format('YYYY-MM-DD') : null)}
    />
  );
}

export function DateTimeInput({ value, onChange, ...rest }: ValueProps<string>) {
  const tz = useTimeZone();
  return (
    <DatePicker
      {...rest}
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      style={{ width: '100%' }}
      value={value ? dayjs(isoToWall(value, tz)) : null}
      onChange={(d: Dayjs | null) => onChange?.(d ? wallToIso(d.format('YYYY-MM-DDTHH:mm:ss'), tz) : null)}
    />
  );
}

// Money typed in major units ("12,500.50"); the form holds minor units. Text that is not yet a
// valid amount is passed on as text, so the form's validator can say what is wrong.
export function MoneyInput({ value, onChange, currency, ...rest }: ValueProps<number | string> & { currency: string }) {
  const shown = typeof value === 'number' ? minorToDecimal(value, currencyDigits(currency)) : (value ?? '');
  const [text, setText] = useState(shown);
  useEffect(() => {
    // Follow outside changes (reset, conflict "take theirs") without fighting the user's typing.
    if (typeof value === 'number') {
      const p = parseMoney(text, currency);
      if (!p.ok || p.minor !== value) setText(shown);
    } else if (value === null || value === undefined) setText('');
  }, [value, currency]);
  return (
    <Input
      {...rest}
      inputMode="decimal"
      prefix={<span className="muted">{currency}</span>}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        if (!e.target.value.trim()) return onChange?.(null);
        const p = parseMoney(e.target.value, currency);
        onChange?.(p.ok ? p.minor : e.target.value);
      }}
    />
  );
}

export function moneyRule(currencyOf: () => string) {
  return {
    validator: async (_: unknown, v: unknown) => {
      if (typeof v !== 'string') return;
      const p = parseMoney(v, currencyOf());
      if (!p.ok) throw new Error(fieldErrorMessage(p.code));
    },
  };
}

function CurrencySelect(props: ValueProps<string>) {
  const { value, onChange, ...rest } = props;
  const options = [...new Set([...(value ? [value] : []), ...COMMON_CURRENCIES])].map((c) => ({ value: c, label: c }));
  return <Select {...rest} showSearch value={value ?? undefined} onChange={(v: string) => onChange?.(v)} options={options} style={{ width: '100%' }} />;
}

function ListInput({ value, onChange, ...rest }: ValueProps<string[]>) {
  return (
    <Select
      {...rest}
      mode="tags"
      open={false}
      suffixIcon={null}
      tokenSeparators={[',', '，', ';', '；']}
      value={value ?? []}
      onChange={(v: string[]) => onChange?.(v.length ? v : null)}
      style={{ width: '100%' }}
    />
  );
}

function BoolInput({ value, onChange, ...rest }: ValueProps<boolean>) {
  return <Switch {...rest} checked={!!value} onChange={(c) => onChange?.(c)} />;
}

// Form.Item injects value/onChange of whatever type the field holds; each input below narrows it.
type InjectedProps = ValueProps<any>;

// No type="email"/"url" on inputs: the browser's own validation bubbles are in the browser's
// language and would block the server's precise, translated field errors; inputMode still
// brings up the right phone keyboard.
export function FieldInput({ meta, currency, ...props }: ValueProps<unknown> & { meta: FieldMeta; currency?: string }) {
  const p = props as InjectedProps;
  switch (meta.kind) {
    case 'longtext':
      return <Input.TextArea {...p} value={(props.value as string) ?? ''} autoSize={{ minRows: 2, maxRows: 12 }} />;
    case 'integer':
      return <InputNumber {...p} precision={0} style={{ width: '100%' }} />;
    case 'money':
      return <MoneyInput {...p} currency={currency || 'CNY'} />;
    case 'currency':
      return <CurrencySelect {...p} />;
    case 'date':
      return <DateInput {...p} />;
    case 'datetime':
      return <DateTimeInput {...p} />;
    case 'boolean':
      return <BoolInput {...p} />;
    case 'choice':
      return (
        <Select
          {...p}
          allowClear={!meta.required}
          value={(props.value as string) ?? undefined}
          options={(meta.choices ?? []).map((c) => ({ value: c, label: choiceLabel(meta, c) }))}
          style={{ width: '100%' }}
        />
      );
    case 'ref':
      return <RefSelect {...p} entity={meta.ref!} />;
    case 'reflist':
      return <RefSelect {...p} entity={meta.ref!} multiple />;
    case 'user':
      return <UserSelect {...p} />;
    case 'tags':
    case 'emails':
    case 'phones':
      return <ListInput {...p} />;
    case 'items':
      return <ItemsEditor {...p} currency={currency || 'CNY'} />;
    case 'email':
      return <Input {...p} inputMode="email" autoComplete="email" value={(props.value as string) ?? ''} />;
    case 'phone':
      return <Input {...p} inputMode="tel" autoComplete="tel" value={(props.value as string) ?? ''} />;
    case 'url':
      return <Input {...p} inputMode="url" placeholder="https://" value={(props.value as string) ?? ''} />;
    default:
      return <Input {...p} maxLength={meta.maxLength} value={(props.value as string) ?? ''} />;
  }
}

export function CustomFieldInput({ def, ...props }: ValueProps<unknown> & { def: CustomField }) {
  const p = props as InjectedProps;
  switch (def.type) {
    case 'date':
      return <DateInput {...p} />;
    case 'select':
      return <Select {...p} allowClear={!def.required} value={(props.value as string) ?? undefined} options={def.options.map((o) => ({ value: o, label: o }))} style={{ width: '100%' }} />;
    case 'number':
      return <Input {...p} inputMode="decimal" value={(props.value as string) ?? ''} />;
    default:
      return <Input {...p} maxLength={def.max_length} value={(props.value as string) ?? ''} />;
  }
}
