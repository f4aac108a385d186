// The input for one field of a record, chosen by the field's kind from the server's metadata.
// Kinds that belong to one entity (an order's line items) are provided by their feature through
// the registry (registry.ts), so this engine imports no feature.
import { Input, Select } from 'antd';
import { customFieldMeta, type CustomFieldMeta, type FieldMeta } from '../../api/meta';
import { choiceLabel } from '../../i18n/labels';
import { BoolInput, CurrencySelect, DateInput, DateTimeInput, ListInput, MoneyInput, NumberInput, type ValueProps } from '../../components/inputs';
import { RefSelect, UserSelect } from '../../components/RefSelect';
import { DEFAULT_CURRENCY } from '../../lib/money';
import { fieldInputFor } from './registry';

// Form.Item injects value/onChange of whatever type the field holds; each input below narrows it.
type InjectedProps = ValueProps<any>;

// Addresses, numbers and links get their input type, keyboard (inputMode) and autofill. The
// forms that hold these inputs are noValidate: the browser's own validation bubbles are in the
// browser's language and would block the server's precise, translated field errors.
export function FieldInput({ meta, currency, ...props }: ValueProps<unknown> & { meta: FieldMeta; currency?: string }) {
  const p = props as InjectedProps;
  const Registered = fieldInputFor(meta.kind);
  if (Registered) return <Registered {...p} currency={currency || DEFAULT_CURRENCY} />;
  switch (meta.kind) {
    case 'longtext':
      return <Input.TextArea {...p} value={(props.value as string) ?? ''} autoSize={{ minRows: 2, maxRows: 12 }} />;
    case 'integer':
      return <NumberInput {...p} precision={0} inputMode="numeric" style={{ width: '100%' }} />;
    case 'decimal':
      return <Input {...p} inputMode="decimal" value={(props.value as string) ?? ''} />;
    case 'money':
      return <MoneyInput {...p} currency={currency || DEFAULT_CURRENCY} />;
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
      return <ListInput {...p} />;
    case 'emails':
      return <ListInput {...p} keyboard="email" />;
    case 'phones':
      return <ListInput {...p} keyboard="tel" />;
    case 'email':
      return <Input {...p} type="email" inputMode="email" autoComplete="email" autoCapitalize="none" spellCheck={false} value={(props.value as string) ?? ''} />;
    case 'phone':
      return <Input {...p} type="tel" inputMode="tel" autoComplete="tel" value={(props.value as string) ?? ''} />;
    case 'url':
      return <Input {...p} type="url" inputMode="url" autoComplete="url" autoCapitalize="none" spellCheck={false} placeholder="https://" value={(props.value as string) ?? ''} />;
    default:
      return <Input {...p} maxLength={meta.maxLength} value={(props.value as string) ?? ''} />;
  }
}

// A custom field's input: the one of the kind its type maps to (customFieldMeta), so integer,
// money, boolean and the rest read and write values exactly as built-in fields of that kind.
// Money is in the record's currency, else DEFAULT_CURRENCY.
export function CustomFieldInput({ def, currency, ...props }: ValueProps<unknown> & { def: CustomFieldMeta; currency?: string }) {
  return <FieldInput {...props} meta={customFieldMeta(def)} currency={currency} />;
}
