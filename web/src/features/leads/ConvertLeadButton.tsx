// Converting a lead makes an account, a contact and (optionally) a deal in one transaction
// (POST /api/v1/leads/{id}/convert).
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Form, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import type { AnyRecord } from '../../api/types';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/PageStates';
import { canCreate } from '../../lib/permissions';
import { FieldInput } from '../records/FieldInput';
import { fieldMeta } from '../../api/meta';
import { fieldLabel } from '../../i18n/labels';

export function ConvertLeadButton({ lead }: { lead: AnyRecord }) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [withDeal, setWithDeal] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ amount_minor?: number; currency?: string }>();
  const currency = (Form.useWatch('currency', form) as string | undefined) ?? 'CNY';
  if (lead.status === 'converted' || !canCreate(me, 'accounts') || !canCreate(me, 'contacts')) return null;

  const convert = async () => {
    setBusy(true);
    setError(null);
    try {
      const v = form.getFieldsValue();
      const body = withDeal ? { deal: { amount_minor: v.amount_minor ?? null, currency: v.currency ?? 'CNY' } } : {};
      const r = await api.post<Record<string, unknown>>(`/api/v1/leads/${lead.id}/convert`, body);
      void message.success(t('record.converted', { deal: withDeal ? t('record.convertedDeal') : '' }));
      void queryClient.invalidateQueries();
      setOpen(false);
      const account = r.account as { id?: string } | undefined;
      if (account?.id) navigate(`/accounts/${account.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="convert-lead">{t('record.convert')}</Button>
      <Modal open={open} title={t('record.convertTitle')} onCancel={() => setOpen(false)} onOk={() => void convert()} confirmLoading={busy} okText={t('record.convert')} cancelText={t('record.cancel')}>
        <ErrorAlert error={error} />
        <Checkbox checked={withDeal} onChange={(e) => setWithDeal(e.target.checked)} style={{ marginBottom: 12 }}>{t('record.convertCreateDeal')}</Checkbox>
        {withDeal && (
          <Form form={form} layout="vertical" initialValues={{ currency: 'CNY' }}>
            <Form.Item name="currency" label={fieldLabel('deals', 'currency')}>
              <FieldInput meta={fieldMeta('deals', 'currency')!} />
            </Form.Item>
            <Form.Item name="amount_minor" label={fieldLabel('deals', 'amount_minor')}>
              <FieldInput meta={fieldMeta('deals', 'amount_minor')!} currency={currency} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}
