// Records that point at this one (an account's contacts, deals and orders), each a short list
// with links, as the entity's display choices name them (DISPLAY[entity].related). What belongs
// to one entity (an order's lines, a deal's contacts) is a panel its feature registers.
import { Card, List, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fieldMeta } from '../../api/meta';
import { useList } from '../../api/queries';
import { DISPLAY, type RelatedList } from '../../api/entities';
import type { AnyRecord, EntityName } from '../../api/types';
import { entityLabel } from '../../i18n/labels';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { recordTitle } from '../../lib/recordTitle';
import { can } from '../../lib/permissions';
import { useMe } from '../../auth/session';
import { FieldValue } from './FieldValue';

function LinkedList({ link, id }: { link: RelatedList; id: string }) {
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

export function hasRelated(entity: EntityName): boolean {
  return (DISPLAY[entity].related ?? []).length > 0;
}

export function RelatedRecords({ entity, record }: { entity: EntityName; record: AnyRecord }) {
  const { t } = useTranslation();
  const me = useMe();
  const links = (DISPLAY[entity].related ?? []).filter((l) => can(me, l.entity, 'read'));
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
