// Shows the user's version and the saved version of a record side by side, field by field,
// and lets them keep theirs (saved on top of the new version) or take the saved one.
import { Alert, Button, Grid, Modal, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { fieldMeta, withFieldValue } from '../../api/meta';
import { useUsers } from '../../api/queries';
import { useEntityMeta } from '../../components/MetaProvider';
import type { AnyRecord, EntityName } from '../../api/types';
import { fieldLabel } from '../../i18n/labels';
import { conflictRows } from '../../lib/conflict';
import { FieldValue } from './FieldValue';
import type { Conflict } from './useRecordEditor';

function Shown({ entity, field, value, context }: { entity: EntityName; field: string; value: unknown; context: AnyRecord }) {
  const meta = fieldMeta(entity, field);
  if (!meta) return <span>{value === null || value === undefined || value === '' ? '—' : String(value)}</span>;
  return <FieldValue meta={meta} record={withFieldValue(context, field, value)} />;
}

export function ConflictDialog({ entity, conflict, saving, onKeepMine, onTakeTheirs }: {
  entity: EntityName;
  conflict: Conflict | null;
  saving: boolean;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const { t } = useTranslation();
  useEntityMeta(entity); // re-rendered when the definitions (custom field labels) change
  const { data: users } = useUsers();
  // On a phone the three columns do not fit: each field becomes a block with both versions under
  // its name, so the saved version is never cut off.
  const narrow = !Grid.useBreakpoint().sm;
  if (!conflict) return null;
  const rows = conflictRows(conflict.base, conflict.patch, conflict.theirs);
  return (
    <Modal
      open
      title={t('conflict.title')}
      closable={false}
      maskClosable={false}
      keyboard={false}
      width={760}
      footer={[
        <Button key="theirs" onClick={onTakeTheirs} disabled={saving} data-testid="take-theirs">{t('conflict.takeTheirs')}</Button>,
        <Button key="mine" type="primary" onClick={onKeepMine} loading={saving} data-testid="keep-mine">{t('conflict.keepMine')}</Button>,
      ]}
    >
      <div data-testid="conflict-dialog">
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        message={t('conflict.intro', { user: users?.find((u) => u.id === conflict.theirs.updated_by)?.name ?? t('conflict.someone') })}
      />
      {conflict.theirs.deleted_at && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={t('conflict.deletedMeanwhile')} />}
      {narrow ? (
        <div className="conflict-stack">
          {rows.map((r) => (
            <section key={r.field} className="conflict-field" data-testid={`conflict-field-${r.field}`}>
              <div className="conflict-field-name">{fieldLabel(entity, r.field)} {r.clash && <Tag color="orange">{t('conflict.differs')}</Tag>}</div>
              <div className="conflict-mine">
                <div className="muted conflict-version">{t('conflict.mine')}</div>
                <span data-testid={`mine-${r.field}`}><Shown entity={entity} field={r.field} value={r.mine} context={conflict.base} /></span>
                {!r.editedByMe && <div className="muted" style={{ fontSize: 12 }}>{t('conflict.notEdited')}</div>}
              </div>
              <div className="conflict-theirs">
                <div className="muted conflict-version">{t('conflict.theirs', { version: conflict.theirs.version })}</div>
                <span data-testid={`theirs-${r.field}`}><Shown entity={entity} field={r.field} value={r.theirs} context={conflict.theirs} /></span>
              </div>
            </section>
          ))}
        </div>
      ) : (
      <Table
        size="small"
        pagination={false}
        rowKey="field"
        scroll={{ x: 'max-content' }}
        dataSource={rows}
        columns={[
          { title: t('conflict.field'), dataIndex: 'field', render: (f: string, r) => <span>{fieldLabel(entity, f)} {r.clash && <Tag color="orange">{t('conflict.differs')}</Tag>}</span> },
          {
            title: t('conflict.mine'),
            dataIndex: 'mine',
            onCell: () => ({ className: 'conflict-mine' }),
            render: (v: unknown, r) => (
              <span data-testid={`mine-${r.field}`}>
                <Shown entity={entity} field={r.field} value={v} context={conflict.base} />
                {!r.editedByMe && <div className="muted" style={{ fontSize: 12 }}>{t('conflict.notEdited')}</div>}
              </span>
            ),
          },
          {
            title: t('conflict.theirs', { version: conflict.theirs.version }),
            dataIndex: 'theirs',
            onCell: () => ({ className: 'conflict-theirs' }),
            render: (v: unknown, r) => <span data-testid={`theirs-${r.field}`}><Shown entity={entity} field={r.field} value={v} context={conflict.theirs} /></span>,
          },
        ]}
      />
      )}
      </div>
    </Modal>
  );
}
