// The tasks about one record, and a quick way to add one.
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, List } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, newId } from '../../api/client';
import { useList } from '../../api/queries';
import type { EntityName, Task } from '../../api/types';
import { useMe } from '../../auth/session';
import { DateTimeInput } from '../../components/inputs';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { useUnsavedChanges } from '../../components/UnsavedChanges';
import { can, canCreate } from '../../lib/permissions';
import { TaskRow } from './TaskRow';

export const TASK_TARGETS: EntityName[] = ['accounts', 'contacts', 'leads', 'deals', 'orders'];

export function RecordTasks({ entity, id }: { entity: EntityName; id: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data, isLoading, error, refetch } = useList<Task>('tasks', { related_entity: entity, related_id: id, sort: 'due_at', limit: '100' });
  const [adding, setAdding] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ title: string; due_at?: string }>();
  const [key, setKey] = useState(newId);
  const [typed, setTyped] = useState(false);
  useUnsavedChanges(adding && (typed || !!saveError));

  const add = async (v: { title: string; due_at?: string }) => {
    setBusy(true);
    setSaveError(null);
    try {
      await api.post('/api/v1/tasks', { title: v.title, due_at: v.due_at ?? null, related_entity: entity, related_id: id }, { idempotencyKey: key });
      void message.success(t('record.created'));
      form.resetFields();
      setKey(newId());
      setAdding(false);
      setTyped(false);
      void queryClient.invalidateQueries({ queryKey: ['list', 'tasks'] });
    } catch (e) {
      setSaveError(e); // the typed title stays in the form
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      title={t('record.tasks')}
      extra={canCreate(me, 'tasks') && !adding ? <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('record.addTask')}</Button> : null}
    >
      {adding && (
        <Form form={form} layout="vertical" onFinish={(v) => void add(v)} onValuesChange={() => setTyped(true)} style={{ marginBottom: 12 }}>
          <ErrorAlert error={saveError} onRetry={() => form.submit()} save />
          <Form.Item name="title" label={t('fields.tasks.title')} rules={[{ required: true, message: t('errors.field.required') }]}>
            <Input maxLength={300} autoFocus />
          </Form.Item>
          <Form.Item name="due_at" label={t('fields.tasks.due_at')}>
            <DateTimeInput />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>{t('record.save')}</Button>{' '}
          <Button onClick={() => { setAdding(false); setTyped(false); setSaveError(null); }}>{t('record.cancel')}</Button>
        </Form>
      )}
      <ErrorAlert error={error} onRetry={() => void refetch()} />
      {isLoading ? <Loading /> : !data ? null : data.data.length === 0 ? <EmptyState>{t('record.noTasks')}</EmptyState> : (
        <List
          size="small"
          dataSource={data.data}
          renderItem={(task) => (
            <List.Item>
              <TaskRow task={task} canUpdate={can(me, 'tasks', 'update', task)} showRelated={false} />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

// The tasks card on a record page, for roles that may read tasks.
export function RecordTasksPanel({ entity, id }: { entity: EntityName; id: string }) {
  const me = useMe();
  return can(me, 'tasks', 'read') ? <RecordTasks entity={entity} id={id} /> : null;
}
