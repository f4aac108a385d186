// An order's lines on its page: what was ordered, quantity, unit price and line total, and the
// order's total; a table on a desktop, two lines per item on a phone.
import { Card, Grid, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AnyRecord, OrderItem } from '../../api/types';
import { RefLabel } from '../../components/RefLabel';
import { fieldLabel } from '../../i18n/labels';
import { useFormat } from '../../i18n/useFormat';

function OrderLinesTable({ order }: { order: AnyRecord }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const narrow = !Grid.useBreakpoint().sm;
  const currency = order.currency as string;
  const items = (order.items as OrderItem[] | null) ?? [];
  const total = <strong data-testid="order-total">{fmt.money(order.total_minor as number, currency)}</strong>;
  // On a phone five columns do not fit (quantity, price and the total fell off the right): each
  // line is two rows, what was ordered and "quantity × price = line total", then the total.
  if (narrow) {
    return (
      <div className="order-lines">
        {items.map((it, i) => (
          <div key={i} className="order-line" data-testid="order-line">
            <div className="order-line-what">
              {it.product_id && <RefLabel entity="products" id={it.product_id} />}
              {it.name && <span>{it.product_id ? ' · ' : ''}{it.name}</span>}
            </div>
            <div className="order-line-sum">
              <span>{fmt.number(it.quantity ?? 0)} × {fmt.money(it.unit_price_minor, currency)}</span>
              <span>{fmt.money((it.quantity ?? 0) * (it.unit_price_minor ?? 0), currency)}</span>
            </div>
          </div>
        ))}
        <div className="order-line-sum order-total"><strong>{fieldLabel('orders', 'total_minor')}</strong>{total}</div>
      </div>
    );
  }
  return (
    <Table
      size="small"
      pagination={false}
      rowKey={(_, i) => String(i)}
      scroll={{ x: 'max-content' }}
      dataSource={items}
      columns={[
        { title: t('record.product'), render: (_: unknown, it: OrderItem) => it.product_id ? <RefLabel entity="products" id={it.product_id} /> : null, key: 'p' },
        { title: t('record.itemName'), dataIndex: 'name', key: 'n' },
        { title: t('record.quantity'), dataIndex: 'quantity', key: 'q', align: 'right' },
        { title: t('record.unitPrice'), key: 'u', align: 'right', render: (_: unknown, it: OrderItem) => fmt.money(it.unit_price_minor, currency) },
        { title: t('record.lineTotal'), key: 't', align: 'right', render: (_: unknown, it: OrderItem) => fmt.money((it.quantity ?? 0) * (it.unit_price_minor ?? 0), currency) },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={4}><strong>{fieldLabel('orders', 'total_minor')}</strong></Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">{total}</Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}

export function OrderLines({ order }: { order: AnyRecord }) {
  return <Card size="small" title={fieldLabel('orders', 'items')}><OrderLinesTable order={order} /></Card>;
}
