// Log a call, meeting, note or email on a record in two taps: the type button opens the form
// with the time set to now, and Save sends it. Without a connection the entry is kept on the
// device and sent later (it carries its own id, so it is never recorded twice).
import { Button, Drawer, Form, Grid, Input, Select } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newId } from '../../api/client';
import { ApiError } from '../../api/errors';
import { fieldMeta } from '../../api/meta';
import type { ActivityType, AnyRecord, EntityName } from '../../api/types';
import { useMe } from '../../auth/session';
import { ACTIVITY_ICON } from '../../components/activityIcons';
import { DateTimeInput, NumberInput } from '../../components/inputs';
import { useOfflineQueue } from '../../components/OfflineQueue';
import { ErrorAlert } from '../../components/PageStates';
import { useUnsavedChanges } from '../../components/UnsavedChanges';
import { choiceLabel } from '../../i18n/labels';
import { nowIso } from '../../lib/dates';
import { applyServerErrors } from '../../lib/formValues';
import { can } from '../../lib/permissions';
import { recordTitle } from '../../lib/recordTitle';

export type ActivityLinks = Partial<Record<'account_id' | 'contact_id' | 'deal_id' | 'lead_id', string | null>>;

const BUTTON_KEY: Record<ActivityType, 'activity.logCall' | 'activity.logMeeting' | 'activity.logNote' | 'activity.logEmail'> = {
  call: 'activity.logCall',
  meeting: 'activity.logMeeting',
  note: 'activity.logNote',
  email: 'activity.logEmail',
};

interface FormValues {
  subject?: string;
  body?: string;
  occurred_at?: string;
  duration_minutes?: number | null;
  direction?: string | null;
}

export function QuickLog({ links, recordTitle }: { links: ActivityLinks; recordTitle: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const offline = useOfflineQueue();
  const screens = Grid.useBreakpoint();
  const [type, setType] = useState<ActivityType | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<FormValues>();
  // One id per opened form: pressing Save again after a lost answer replays the same create.
  const [draftId, setDraftId] = useState(newId);
  const [typed, setTyped] = useState(false);
  useUnsavedChanges(type !== null && typed);
  const typeMeta = fieldMeta('activities', 'type');
  const types = (typeMeta?.choices ?? []) as ActivityType[];
  const directions = fieldMeta('activities', 'direction')?.choices ?? [];

  const open = (ty: ActivityType) => {
    setType(ty);
    setError(null);
    setDraftId(newId());
    setTyped(false);
    form.resetFields();
    form.setFieldsValue({ occurred_at: nowIso(), direction: ty === 'call' || ty === 'email' ? 'outbound' : null });
  };

  const submit = async (v: FormValues) => {
    if (!type) return;
    setBusy(true);
    setError(null);
    const typeName = choiceLabel(typeMeta, type);
    const body = {
      id: draftId,
      type,
      subject: v.subject?.trim() || null,
      body: v.body?.trim() || null,
      occurred_at: v.occurred_at ?? nowIso(),
      duration_minutes: v.duration_minutes ?? null,
      direction: v.direction ?? null,
      ...Object.fromEntries(Object.entries(links).filter(([, id]) => !!id)),
    };
    try {
      const r = await offline.submit({
        key: draftId,
        method: 'POST',
        path: '/api/v1/activities',
        body,
        label: `${typeName} · ${recordTitle}`,
      });
      if (r.queued) void message.warning(t('network.queued'));
      else void message.success(t('activity.logged', { type: typeName }));
      setType(null);
      setTyped(false);
      void queryClient.invalidateQueries({ queryKey: ['list', 'activities'] });
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) applyServerErrors(form, e, new Set(['subject', 'body', 'occurred_at', 'duration_minutes', 'direction']));
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="quick-log" role="group" aria-label={t('activity.log')}>
        {types.map((ty) => (
          <Button key={ty} onClick={() => open(ty)} data-testid={`log-${ty}`} icon={ACTIVITY_ICON[ty]}>
            {t(BUTTON_KEY[ty])}
          </Button>
        ))}
      </div>
      <Drawer
        open={type !== null}
        onClose={() => setType(null)}
        placement={screens.md ? 'right' : 'bottom'}
        height="85%"
        width={420}
        title={type ? t('activity.logTitle', { type: choiceLabel(typeMeta, type) }) : ''}
        destroyOnClose={false}
        extra={
          <Button type="primary" onClick={() => form.submit()} loading={busy} data-testid="save-activity">
            {t('record.save')}
          </Button>
        }
      >
        <p className="muted">{t('activity.on', { record: recordTitle })} · {t('activity.quickHint')}</p>
        <ErrorAlert error={error} onRetry={() => form.submit()} save />
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} onValuesChange={() => setTyped(true)}>
          <Form.Item name="subject" label={t('fields.activities.subject')}>
            <Input maxLength={300} data-testid="activity-subject" />
          </Form.Item>
          <Form.Item name="body" label={t('fields.activities.body')}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} autoFocus data-testid="activity-body" />
          </Form.Item>
          <Form.Item name="occurred_at" label={t('fields.activities.occurred_at')}>
            <DateTimeInput />
          </Form.Item>
          {(type === 'call' || type === 'meeting') && (
            <Form.Item name="duration_minutes" label={t('fields.activities.duration_minutes')}>
              <NumberInput min={0} max={100000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          )}
          {(type === 'call' || type === 'email') && (
            <Form.Item name="direction" label={t('fields.activities.direction')}>
              <Select allowClear options={directions.map((d) => ({ value: d, label: t(`choices.direction.${d}`) }))} />
            </Form.Item>
          )}
        </Form>
      </Drawer>
    </>
  );
}

// Which links an activity logged from this record gets (a deal's account too, so the call
// shows on the account's timeline as well).
export function activityLinks(entity: EntityName, r: AnyRecord): ActivityLinks | null {
  switch (entity) {
    case 'accounts': return { account_id: r.id };
    case 'contacts': return { contact_id: r.id, account_id: r.account_id as string | null };
    case 'deals': return { deal_id: r.id, account_id: r.account_id as string | null };
    case 'leads': return { lead_id: r.id };
    case 'orders': return { account_id: r.account_id as string | null, contact_id: r.contact_id as string | null };
    default: return null;
  }
}

// The quick log on a record page, for roles that may read and create activities.
export function QuickLogPanel({ entity, record }: { entity: EntityName; record: AnyRecord }) {
  const me = useMe();
  const links = activityLinks(entity, record);
  const canLog = links && can(me, 'activities', 'read') && (me.permissions.entities.activities?.create ?? false);
  if (!canLog || record.deleted_at) return null;
  return (
    <div style={{ marginBottom: 12 }}>
      <QuickLog links={links} recordTitle={recordTitle(entity, record)} />
    </div>
  );
}
