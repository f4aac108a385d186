// A deal's contacts on its page, each a link (contact_ids is a list on the deal itself, so it is
// not one of the related lists that are found by filtering another entity).
import { Card, List } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AnyRecord } from '../../api/types';
import { EmptyState } from '../../components/PageStates';
import { RefLabel } from '../../components/RefLabel';
import { fieldLabel } from '../../i18n/labels';

export function DealContacts({ deal }: { deal: AnyRecord }) {
  const { t } = useTranslation();
  const ids = (deal.contact_ids as string[] | null) ?? [];
  return (
    <Card size="small" title={fieldLabel('deals', 'contact_ids')}>
      {ids.length === 0 ? <EmptyState>{t('record.noRelated')}</EmptyState> : (
        <List size="small" dataSource={ids} renderItem={(id) => <List.Item><RefLabel entity="contacts" id={id} /></List.Item>} />
      )}
    </Card>
  );
}
