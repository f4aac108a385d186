// Actions on the selected rows that the role allows: move to trash, restore, assign to a
// user. One API call per record with its version (If-Match), then a summary of what was done
// and why the rest was not.
import { DeleteOutlined, UndoOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, List, Modal, Popconfirm, Popover, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { keys } from '../../api/queries';
import type { AnyRecord, EntityName } from '../../api/types';
import { recordTitle } from '../../lib/recordTitle';
import { UserSelect } from './RefSelect';
import { runBulk, type BulkOutcome } from './runBulk';

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

  const run = async (action: (r: AnyRecord) => Promise<unknown>) => {
    setBusy(true);
    const result = await runBulk(selected, action);
    setBusy(false);
    setOutcomes(result);
    void queryClient.invalidateQueries({ queryKey: keys.listAll(entity) });
    for (const r of selected) void queryClient.invalidateQueries({ queryKey: keys.record(entity, r.id) });
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
            dataSource={failed}
            renderItem={(o) => (
              <List.Item>{t('list.bulkFailedRow', { name: recordTitle(entity, o.item), reason: errorMessage(o.error) })}</List.Item>
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
          onConfirm={() => void run((r) => api.del(`/api/v1/${entity}/${r.id}`, { version: r.version }))}
        >
          <Button danger icon={<DeleteOutlined />} loading={busy} data-testid="bulk-delete">{t('list.bulkDelete')}</Button>
        </Popconfirm>
      )}
      {canDelete && trashed && (
        <Button icon={<UndoOutlined />} loading={busy} onClick={() => void run((r) => api.post(`/api/v1/${entity}/${r.id}/restore`))}>
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
                  if (userId) void run((r) => api.patch(`/api/v1/${entity}/${r.id}`, { owner_id: userId }, { version: r.version }));
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
