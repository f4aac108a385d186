// Inputs that read and write values in the API's own format (minor units, "YYYY-MM-DD", UTC
// instants), so forms need no conversion step. Shared by the record engine's field inputs and
// the screens of every feature (quick log, tasks, order lines).
import { DatePicker, Input, InputNumber, Select, Switch, type InputNumberProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTimeZone } from '../i18n/useFormat';
import { isoToWall, wallToIso } from '../lib/dates';
import { COMMON_CURRENCIES, minorToDecimal, currencyDigits, parseMoney } from '../lib/money';

export interface ValueProps<T> {
  value?: T | null;
  onChange?: (v: T | null) => void;
  id?: string;
  disabled?: boolean;
  'aria-label'?: string;
}

// A number typed in. Without Ant Design's up/down steppers: they are labelled "Increase Value" /
// "Decrease Value" in English whatever the locale, cannot be reached with Tab, and the arrow
// keys step the value anyway.
export function NumberInput(props: InputNumberProps<number>) {
  return <InputNumber<number> {...props} controls={false} />;
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

export function CurrencySelect(props: ValueProps<string>) {
  const { value, onChange, ...rest } = props;
  const options = [...new Set([...(value ? [value] : []), ...COMMON_CURRENCIES])].map((c) => ({ value: c, label: c }));
  return <Select {...rest} showSearch value={value ?? undefined} onChange={(v: string) => onChange?.(v)} options={options} style={{ width: '100%' }} />;
}

// The phone's keyboard for the items of a list of addresses or numbers. Ant Design's Select does
// not pass input attributes on, so they are set on its search input after it renders. Not
// type="email": an email input has no selection API, which the select's input uses.
export type ListKeyboard = 'email' | 'tel';
const LIST_INPUT_ATTRS: Record<ListKeyboard, Record<string, string>> = {
  email: { inputmode: 'email', autocomplete: 'email', autocapitalize: 'none', spellcheck: 'false' },
  tel: { type: 'tel', inputmode: 'tel', autocomplete: 'tel' },
};

export function ListInput({ value, onChange, keyboard, ...rest }: ValueProps<string[]> & { keyboard?: ListKeyboard }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const input = box.current?.querySelector('input');
    if (!input || !keyboard) return;
    for (const [k, v] of Object.entries(LIST_INPUT_ATTRS[keyboard])) input.setAttribute(k, v);
  });
  const select = (
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
  return keyboard ? <div ref={box}>{select}</div> : select;
}

export function BoolInput({ value, onChange, ...rest }: ValueProps<boolean>) {
  return <Switch {...rest} checked={!!value} onChange={(c) => onChange?.(c)} />;
}

