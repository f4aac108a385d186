// Order lines: product, name, quantity and unit price in minor units. Name and price may be
// left empty to take the product's own (the server fills them in).
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderItem } from '../../api/types';
import { useFormat } from '../../i18n/useFormat';
import { MoneyInput, NumberInput } from '../../components/inputs';
import { RefSelect } from '../../components/RefSelect';

interface Props {
  value?: OrderItem[] | null;
  onChange?: (v: OrderItem[] | null) => void;
  currency: string;
  id?: string;
}

export function ItemsEditor({ value, onChange, currency, id }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const items = value ?? [];
  const set = (i: number, patch: Partial<OrderItem>) =>
    onChange?.(items.map((it, j) => (j === i ? { ...it, ...patch } : it)));
  return (
    <div id={id} style={{ display: 'grid', gap: 8 }}>
      {items.map((it, i) => (
        <div key={i} style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center', padding: 8, border: '1px solid #eee', borderRadius: 6 }}>
          <div style={{ flex: '1 1 180px', minWidth: 0 }}>
            <RefSelect
              entity="products"
              aria-label={t('record.product')}
              placeholder={t('record.product')}
              value={it.product_id ?? null}
              onChange={(v) => set(i, { product_id: (v as string | null) ?? undefined })}
            />
          </div>
          <Input
            style={{ flex: '1 1 140px' }}
            aria-label={t('record.itemName')}
            placeholder={t('record.itemName')}
            value={it.name ?? ''}
            onChange={(e) => set(i, { name: e.target.value || undefined })}
          />
          <NumberInput
            style={{ width: 80 }}
            aria-label={t('record.quantity')}
            placeholder={t('record.quantity')}
            min={1}
            precision={0}
            value={it.quantity ?? null}
            onChange={(q) => set(i, { quantity: q ?? undefined })}
          />
          <div style={{ width: 150 }}>
            <MoneyInput
              aria-label={t('record.unitPrice')}
              currency={currency}
              value={it.unit_price_minor ?? null}
              onChange={(v) => set(i, { unit_price_minor: typeof v === 'number' ? v : undefined })}
            />
          </div>
          <span className="muted" style={{ minWidth: 90, textAlign: 'right' }} aria-label={t('record.lineTotal')}>
            {it.quantity && it.unit_price_minor != null ? fmt.money(it.quantity * it.unit_price_minor, currency) : ''}
          </span>
          <Button
            type="text"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('record.removeItem')}
            onClick={() => onChange?.(items.filter((_, j) => j !== i))}
          />
        </div>
      ))}
      <Button icon={<PlusOutlined />} onClick={() => onChange?.([...items, { quantity: 1 }])} style={{ justifySelf: 'start' }}>
        {t('record.addItem')}
      </Button>
    </div>
  );
}
