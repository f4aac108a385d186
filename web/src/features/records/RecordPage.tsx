// One record: its name and actions, quick activity logging, fields (edited in place), the
// timeline, related records and tasks. Two columns on a desktop, one on a phone.
import { ArrowLeftOutlined, DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Popconfirm, Result, Row, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import { keys, useRecord, useTeams, useUsers } from '../../api/queries';
import type { AnyRecord, EntityName } from '../../api/types';
import { useMe } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/PageStates';
import { entityLabel } from '../../i18n/labels';
import { can } from '../../lib/permissions';
import { recordTitle } from '../../lib/recordTitle';
import { QuickLog, type ActivityLinks } from '../activities/QuickLog';
import { DealStages } from '../deals/DealStages';
import { ConvertLeadButton } from '../leads/ConvertLeadButton';
import { RecordTasks, TASK_TARGETS } from '../tasks/RecordTasks';
import { RecordDetails } from './RecordDetails';
import { hasRelated, RelatedRecords } from './RelatedRecords';
import { RecordTimeline } from './Timeline';

// Which links an activity logged from this record gets (a deal's account too, so the call
// shows on the account's timeline as well).
function activityLinks(entity: EntityName, r: AnyRecord): ActivityLinks | null {
  switch (entity) {
    case 'accounts': return { account_id: r.id };
    case 'contacts': return { contact_id: r.id, account_id: r.account_id as string | null };
    case 'deals': return { deal_id: r.id, account_id: r.account_id as string | null };
    case 'leads': return { lead_id: r.id };
    case 'orders': return { account_id: r.account_id as string | null, contact_id: r.contact_id as string | null };
    default: return null;
  }
}

export function RecordPage({ entity, id }: { entity: EntityName; id: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data: record, error, isLoading, refetch } = useRecord<AnyRecord>(entity, id);
  const users = useUsers().data ?? [];
  const teams = useTeams().data ?? [];

  if (isLoading) return <Loading />;
  if (error instanceof ApiError && (error.status === 404 || error.status === 403))
    return <Result status="404" title={t('record.notFound')} extra={<Button onClick={() => navigate(`/${entity}`)}>{t('record.back')}</Button>} />;
  if (error || !record) return <div className="page"><ErrorAlert error={error} onRetry={() => void refetch()} /></div>;

  const org = { users, teams };
  const canEdit = can(me, entity, 'update', record, org);
  const canDelete = can(me, entity, 'delete', record, org);
  const title = recordTitle(entity, record);
  const links = activityLinks(entity, record);
  const canLog = links && can(me, 'activities', 'read') && (me.permissions.entities.activities?.create ?? false);

  const remove = async () => {
    try {
      const r = await api.del<AnyRecord>(`/api/v1/${entity}/${id}`, { version: record.version });
      queryClient.setQueryData(keys.record(entity, id), r);
      void queryClient.invalidateQueries({ queryKey: keys.listAll(entity) });
      void message.success(t('record.deleted'));
    } catch (e) {
      if (e instanceof ApiError && e.isConflict) void refetch();
      void message.error(errorMessage(e));
    }
  };
  const restore = async () => {
    try {
      const r = await api.post<AnyRecord>(`/api/v1/${entity}/${id}/restore`);
      queryClient.setQueryData(keys.record(entity, id), r);
      void queryClient.invalidateQueries({ queryKey: keys.listAll(entity) });
      void message.success(t('record.restored'));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <div className="page">
      <div className="page-header">
        <Space align="center" wrap style={{ minWidth: 0 }}>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('record.back')} />
          <div style={{ minWidth: 0 }}>
            <div className="muted">{entityLabel(entity)}</div>
            <h1 className="record-title" data-testid="record-title">{title}</h1>
          </div>
          {record.deleted_at && <Tag color="red">{t('list.trash')}</Tag>}
        </Space>
        <Space wrap>
          {entity === 'leads' && !record.deleted_at && <ConvertLeadButton lead={record} />}
          {canDelete && !record.deleted_at && (
            <Popconfirm title={t('record.confirmDelete', { entity: entityLabel(entity) })} onConfirm={() => void remove()} okText={t('record.delete')} cancelText={t('record.cancel')}>
              <Button danger icon={<DeleteOutlined />} data-testid="delete-record">{t('record.delete')}</Button>
            </Popconfirm>
          )}
          {canDelete && record.deleted_at && (
            <Button icon={<UndoOutlined />} onClick={() => void restore()} data-testid="restore-record">{t('record.restore')}</Button>
          )}
        </Space>
      </div>
      {record.deleted_at && <Alert type="warning" showIcon message={t('record.inTrash')} style={{ marginBottom: 12 }} />}
      {canLog && !record.deleted_at && (
        <div style={{ marginBottom: 12 }}>
          <QuickLog links={links} recordTitle={title} />
        </div>
      )}
      {entity === 'deals' && <DealStages deal={record} canEdit={canEdit && !record.deleted_at} />}
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Space direction="vertical" size={12} style={{ width: '100%' }}>
            <RecordDetails entity={entity} record={record} canEdit={canEdit} />
            {hasRelated(entity) && <RelatedRecords entity={entity} record={record} />}
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Space direction="vertical" size={12} style={{ width: '100%' }}>
            {TASK_TARGETS.includes(entity) && can(me, 'tasks', 'read') && <RecordTasks entity={entity} id={id} />}
            <RecordTimeline entity={entity} id={id} />
          </Space>
        </Col>
      </Row>
    </div>
  );
}
