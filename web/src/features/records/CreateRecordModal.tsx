// Creating a record. The create carries a client-chosen id and an Idempotency-Key, so pressing
// Save again after a network failure cannot make a second record; what was typed stays.
import { App, Alert, Button, Form, Grid, Modal, Space } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, isLocalAnswer, newId } from '../../api/client';
import { DISPLAY } from '../../api/entities';
import { ApiError } from '../../api/errors';
import { keys } from '../../api/queries';
import type { AnyRecord, EntityName } from '../../api/types';
import { useEntityMeta } from '../../components/MetaProvider';
import { ErrorAlert } from '../../components/PageStates';
import { useUnsavedChanges } from '../../components/UnsavedChanges';
import { entityLabel } from '../../i18n/labels';
import { patchToBody } from '../../lib/conflict';
import { applyServerErrors, flattenValues } from '../../lib/formValues';
import { findDuplicates, type DuplicateMatch } from './duplicates';
import { RecordFormFields } from './RecordFormFields';
import { recordTitle } from '../../lib/recordTitle';

export function CreateRecordModal({ entity, open, onClose, onCreated, defaults }: {
  entity: EntityName;
  open: boolean;
  onClose: () => void;
  onCreated: (r: AnyRecord) => void;
  defaults?: Record<string, unknown>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm();
  const meta = useEntityMeta(entity);
  const customDefs = meta.custom;
  const [error, setError] = useState<unknown>(null);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [draftId, setDraftId] = useState(newId);
  const [typed, setTyped] = useState(false);
  // Contacts already holding the email or phone typed: shown before saving, until the user
  // creates anyway or changes what they typed.
  const [duplicates, setDuplicates] = useState<DuplicateMatch[]>([]);
  const release = useUnsavedChanges(open && typed);
  const fields = meta.createFields;
  // Required custom fields must be asked for, or the create cannot succeed.
  const customFields = customDefs.filter((d) => d.required || customDefs.length <= 4);
  // A yes/no field starts at "no": a switch cannot show "not answered", and one shown off must
  // save what it shows.
  const customDefaults = Object.fromEntries(customFields.filter((d) => d.type === 'boolean').map((d) => [d.name, false]));

  const submit = async (anyway = false) => {
    let values: Record<string, unknown>;
    try {
      values = (await form.validateFields()) as Record<string, unknown>;
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    setUnplaced([]);
    const flat = flattenValues(values);
    const cleaned = Object.fromEntries(Object.entries(flat).filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));
    const body = { id: draftId, ...defaults, ...patchToBody(cleaned, {}) };
    if (DISPLAY[entity].checkDuplicates && !anyway) {
      const asList = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
      try {
        const found = await findDuplicates(entity, asList(cleaned.emails), asList(cleaned.phones));
        if (found.length > 0) {
          setDuplicates(found);
          setBusy(false);
          return;
        }
      } catch {
        // The check is a courtesy: if it cannot run, saving still can.
      }
    }
    setDuplicates([]);
    try {
      const created = await api.post<AnyRecord>(`/api/v1/${entity}`, body, { idempotencyKey: draftId });
      if (isLocalAnswer(created)) void message.warning(t('network.queued'));
      else void message.success(t('record.created'));
      void queryClient.invalidateQueries({ queryKey: keys.listAll(entity) });
      form.resetFields();
      setDraftId(newId());
      setTyped(false);
      release();
      onCreated(created);
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.code === 'validation_failed')
        setUnplaced(applyServerErrors(form, e, new Set([...fields, ...customFields.map((d) => `custom.${d.name}`)])));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('list.new', { entity: entityLabel(entity) })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('record.create')}
      cancelText={t('record.cancel')}
      confirmLoading={busy}
      width={screens.md ? 760 : '100%'}
      style={screens.md ? undefined : { top: 0, maxWidth: '100vw', margin: 0, paddingBottom: 0 }}
      okButtonProps={{ 'data-testid': 'create-submit' } as Record<string, string>}
      destroyOnClose={false}
    >
      <ErrorAlert error={error} onRetry={() => void submit()} save />
      {duplicates.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="duplicate-warning"
          message={duplicates.map((d) => (
            <div key={d.record.id}>
              {t(d.by === 'email' ? 'record.duplicateEmail' : 'record.duplicatePhone')}{' '}
              <Link to={`/${entity}/${d.record.id}`} target="_blank" rel="noopener">{recordTitle(entity, d.record)}</Link>
            </div>
          ))}
          action={(
            <Space direction="vertical" size={4}>
              <Button size="small" type="primary" data-testid="duplicate-create-anyway" onClick={() => void submit(true)}>{t('record.createAnyway')}</Button>
              <Button size="small" data-testid="duplicate-cancel" onClick={() => setDuplicates([])}>{t('record.cancel')}</Button>
            </Space>
          )}
        />
      )}
      {unplaced.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={unplaced.join('; ')} />}
      <Form form={form} layout="vertical" noValidate initialValues={{ currency: 'CNY', ...DISPLAY[entity].createDefaults, custom: customDefaults, ...defaults }} onValuesChange={() => { setTyped(true); setDuplicates([]); }} data-testid="create-form">
        <RecordFormFields entity={entity} fields={fields} customFields={customFields} />
      </Form>
    </Modal>
  );
}
