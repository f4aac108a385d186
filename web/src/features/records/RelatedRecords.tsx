// Records linked to this one (an account's contacts, deals and orders; a contact's deals and
// orders; an order's lines; a deal's contacts), each a short list with links.
import { Card, Grid, List, Table, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fieldMeta } from '../../api/meta';
import { useList } from '../../api/queries';
import type { AnyRecord, EntityName, OrderItem } from '../../api/types';
import { entityLabel, fieldLabel } from '../../i18n/labels';
import { useFormat } from '../../i18n/useFormat';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { recordTitle } from '../../lib/recordTitle';
import { can } from '../../lib/permissions';
import { useMe } from '../../auth/session';
import { FieldValue } from './FieldValue';
import { RefLabel } from '../../components/RefLabel';

interface RelatedLink {
  entity: EntityName;
  field: string;
  extra: string[]; // columns besides the title
}

const LINKS: Partial<Record<EntityName, RelatedLink[]>> = {
  accounts: [
    { entity: 'contacts', field: 'account_id', extra: ['title', 'phones'] },
    { entity: 'deals', field: 'account_id', extra: ['stage_id', 'amount_minor'] },
    { entity: 'orders', field: 'account_id', extra: ['status', 'total_minor'] },
  ],
  contacts: [
    // contact_ids is a list field: the filter matches deals whose list contains the contact.
    { entity: 'deals', field: 'contact_ids', extra: ['stage_id', 'amount_minor'] },
    { entity: 'orders', field: 'contact_id', extra: ['status', 'total_minor'] },
  ],
  pipelines: [{ entity: 'deals', field: 'pipeline_id', extra: ['stage_id', 'amount_minor'] }],
};

function LinkedList({ link, id }: { link: RelatedLink; id: string }) {
  const { t } = useTranslation();
  const { data, isLoading, error, refetch } = useList(link.entity, { [link.field]: id, limit: '50' });
  if (isLoading) return <Loading />;
  // Not loaded is not "nothing related".
  if (!data) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  const rows = data.data;
  if (rows.length === 0) return <EmptyState>{t('record.noRelated')}</EmptyState>;
  return (
    <List
      size="small"
      dataSource={rows}
      renderItem={(r: AnyRecord) => (
        <List.Item>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, width: '100%', justifyContent: 'space-between' }}>
            <Link to={`/${link.entity}/${r.id}`}>{recordTitle(link.entity, r)}</Link>
            <span style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
              {link.extra.map((f) => {
                const meta = fieldMeta(link.entity, f);
                return meta ? <FieldValue key={f} meta={meta} record={r} /> : null;
              })}
            </span>
          </div>
        </List.Item>
      )}
    />
  );
}

function OrderLines({ order }: { order: AnyRecord }) {
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

export function hasRelated(entity: EntityName): boolean {
  return !!LINKS[entity] || entity === 'orders' || entity === 'deals';
}

export function RelatedRecords({ entity, record }: { entity: EntityName; record: AnyRecord }) {
  const { t } = useTranslation();
  const me = useMe();
  if (entity === 'orders') return <Card size="small" title={fieldLabel('orders', 'items')}><OrderLines order={record} /></Card>;
  if (entity === 'deals') {
    const ids = (record.contact_ids as string[] | null) ?? [];
    return (
      <Card size="small" title={fieldLabel('deals', 'contact_ids')}>
        {ids.length === 0 ? <EmptyState>{t('record.noRelated')}</EmptyState> : (
          <List size="small" dataSource={ids} renderItem={(id) => <List.Item><RefLabel entity="contacts" id={id} /></List.Item>} />
        )}
      </Card>
    );
  }
  const links = (LINKS[entity] ?? []).filter((l) => can(me, l.entity, 'read'));
  if (links.length === 0) return null;
  return (
    <Card size="small" title={t('record.related')} data-testid="related-records">
      <Tabs
        size="small"
        items={links.map((l) => ({ key: l.entity, label: entityLabel(l.entity, true), children: <LinkedList link={l} id={record.id} /> }))}
      />
    </Card>
  );
}

