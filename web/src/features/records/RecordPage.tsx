// One record: its name and actions, fields (edited in place), the timeline and related records,
// plus the panels other features register for it (quick activity logging, deal stages, lead
// conversion, tasks; see registry.ts). Two columns on a desktop, one on a phone.
import { ArrowLeftOutlined, DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Popconfirm, Result, Row, Space, Tag } from 'antd';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import { keys, useRecord, useTeams, useUsers } from '../../api/queries';
import type { AnyRecord, EntityName } from '../../api/types';
import { useMe } from '../../auth/session';
import { useOfflineQueue } from '../../components/OfflineQueue';
import { usePageTitle } from '../../components/usePageTitle';
import { LoadNotice, Loading } from '../../components/PageStates';
import { entityLabel } from '../../i18n/labels';
import { loadState } from '../../lib/loadState';
import { can } from '../../lib/permissions';
import { recordTitle } from '../../lib/recordTitle';
import { RecordDetails } from './RecordDetails';
import { recordPanels, type PanelSlot } from './registry';
import { hasRelated, RelatedRecords } from './RelatedRecords';
import { RecordTimeline } from './Timeline';

export function RecordPage({ entity, id }: { entity: EntityName; id: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data: record, error, isLoading, dataUpdatedAt, refetch } = useRecord<AnyRecord>(entity, id);
  const users = useUsers().data ?? [];
  const teams = useTeams().data ?? [];
  const { reachable } = useOfflineQueue();
  usePageTitle(record ? recordTitle(entity, record) : entityLabel(entity));

  if (isLoading) return <Loading />;
  if (error instanceof ApiError && (error.status === 404 || error.status === 403))
    return <Result status="404" title={t('record.notFound')} extra={<Button onClick={() => navigate(`/${entity}`)}>{t('record.back')}</Button>} />;
  // A record loaded once stays on the page, marked, when a later load fails.
  const state = loadState({ hasData: !!record, error, loading: false }, reachable);
  const notice = <LoadNotice state={state} error={error} loadedAt={dataUpdatedAt} onRetry={() => void refetch()} />;
  if (!record) return <div className="page">{notice}</div>;

  const org = { users, teams };
  const canEdit = can(me, entity, 'update', record, org);
  const canDelete = can(me, entity, 'delete', record, org);
  const title = recordTitle(entity, record);
  const panels = (slot: PanelSlot) =>
    recordPanels(slot, entity, record).map((p) => (
      <Fragment key={p.key}>{p.render({ entity, record, canEdit: canEdit && !record.deleted_at })}</Fragment>
    ));

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
          {panels('actions')}
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
      {notice}
      {record.deleted_at && <Alert type="warning" showIcon message={t('record.inTrash')} style={{ marginBottom: 12 }} />}
      {panels('top')}
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Space direction="vertical" size={12} style={{ width: '100%' }}>
            <RecordDetails entity={entity} record={record} canEdit={canEdit} />
            {hasRelated(entity) && <RelatedRecords entity={entity} record={record} />}
            {panels('main')}
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Space direction="vertical" size={12} style={{ width: '100%' }}>
            {panels('side')}
            <RecordTimeline entity={entity} id={id} />
          </Space>
        </Col>
      </Row>
    </div>
  );
}
