// Actions on the selected rows that the role allows: move to trash, restore, assign to a
// user. One bulk request per 200 records, each with its version (see runBulk.ts), then a
// summary of what was done and why the rest was not.
import { DeleteOutlined, UndoOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, List, Modal, Popconfirm, Popover, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keys } from '../../api/queries';
import type { AnyRecord, EntityName } from '../../api/types';
import { recordTitle } from '../../lib/recordTitle';
import { UserSelect } from '../../components/RefSelect';
import { bulkFailureReason, runBulk, type BulkAction, type BulkOutcome } from './runBulk';

export function BulkActions({ entity, selected, trashed, canDelete, canUpdate, onDone }: {
  entity: EntityName;
  selected: AnyRecord[];
  trashed: boolean;
  canDelete: boolean;
  canUpdate: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<BulkOutcome<AnyRecord>[] | null>(null);
  const [assignOpen, setAssignOpen] = useState(false);

  const run = async (action: BulkAction, changes?: Record<string, unknown>) => {
    setBusy(true);
    const result = await runBulk(entity, action, selected, changes);
    setBusy(false);
    setOutcomes(result);
    void queryClient.invalidateQueries({ queryKey: keys.listAll(entity) });
    // The answer carries each saved record: open record pages and linked names show it at once.
    for (const o of result) {
      if (o.record) queryClient.setQueryData(keys.record(entity, o.item.id), o.record);
      else void queryClient.invalidateQueries({ queryKey: keys.record(entity, o.item.id) });
    }
    onDone();
  };

  const failed = outcomes?.filter((o) => o.error) ?? [];
  // The summary outlives the selection (which is cleared when the actions finish).
  const summary = (
      <Modal
        open={outcomes !== null}
        onCancel={() => setOutcomes(null)}
        onOk={() => setOutcomes(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        title={t('list.bulkResult', { ok: (outcomes?.length ?? 0) - failed.length, failed: failed.length })}
      >
        {failed.length > 0 && (
          <List
            size="small"
            data-testid="bulk-failures"
            dataSource={failed}
            renderItem={(o) => (
              <List.Item>{t('list.bulkFailedRow', { name: recordTitle(entity, o.item), reason: bulkFailureReason(entity, o.error) })}</List.Item>
            )}
          />
        )}
      </Modal>
  );
  if (selected.length === 0) return summary;
  return (
    <Space wrap data-testid="bulk-actions" style={{ marginBottom: 8 }}>
      <span>{t('list.selected', { count: selected.length })}</span>
      {canDelete && !trashed && (
        <Popconfirm
          title={t('list.bulkConfirmDelete', { count: selected.length })}
          okText={t('list.bulkDelete')}
          cancelText={t('record.cancel')}
          onConfirm={() => void run('delete')}
        >
          <Button danger icon={<DeleteOutlined />} loading={busy} data-testid="bulk-delete">{t('list.bulkDelete')}</Button>
        </Popconfirm>
      )}
      {canDelete && trashed && (
        <Button icon={<UndoOutlined />} loading={busy} onClick={() => void run('restore')} data-testid="bulk-restore">
          {t('record.restore')}
        </Button>
      )}
      {canUpdate && !trashed && (
        <Popover
          open={assignOpen}
          onOpenChange={setAssignOpen}
          trigger="click"
          content={
            <div style={{ width: 240 }}>
              <UserSelect
                aria-label={t('list.bulkAssign')}
                onChange={(userId) => {
                  setAssignOpen(false);
                  if (userId) void run('update', { owner_id: userId });
                }}
              />
            </div>
          }
        >
          <Button icon={<UserSwitchOutlined />} loading={busy} data-testid="bulk-assign">{t('list.bulkAssign')}</Button>
        </Popover>
      )}
      {summary}
    </Space>
  );
}
