// My open tasks grouped as overdue, today, upcoming and without a date, in the user's time
// zone; a checkbox completes one (kept and sent later when offline).
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, List, Space, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useList } from '../../api/queries';
import type { Task } from '../../api/types';
import { useMe } from '../../auth/session';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { useTimeZone } from '../../i18n/useFormat';
import { dueBucket, type DueBucket } from '../../lib/dates';
import { can, canCreate } from '../../lib/permissions';
import { CreateRecordModal } from '../records/CreateRecordModal';
import { TaskRow } from './TaskRow';
import { usePageTitle } from '../../components/usePageTitle';

const GROUPS: DueBucket[] = ['overdue', 'today', 'upcoming', 'noDate'];

export function groupTasks(tasks: Task[], tz: string, now = new Date()): Record<DueBucket, Task[]> {
  const out: Record<DueBucket, Task[]> = { overdue: [], today: [], upcoming: [], noDate: [] };
  for (const task of tasks) out[dueBucket(task.due_at, tz, now)].push(task);
  return out;
}

export function MyTasksPage() {
  const { t } = useTranslation();
  usePageTitle(t('tasks.title'));
  const me = useMe();
  const tz = useTimeZone();
  const navigate = useNavigate();
  const [showDone, setShowDone] = useState(false);
  const [creating, setCreating] = useState(false);
  const open = useList<Task>('tasks', { owner_id: me.id, status: 'open', sort: 'due_at', limit: '200' });
  const done = useList<Task>('tasks', { owner_id: me.id, status: 'done', sort: '-completed_at', limit: '20' }, showDone);
  const groups = groupTasks(open.data?.data ?? [], tz);
  const canUpdate = (task: Task) => can(me, 'tasks', 'update', task);

  return (
    <div className="page" style={{ maxWidth: 900 }}>
      <div className="page-header">
        <h1>{t('tasks.title')}</h1>
        <Space wrap>
          <label><Switch size="small" checked={showDone} onChange={setShowDone} /> {t('tasks.showDone')}</label>
          {canCreate(me, 'tasks') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('tasks.newTask')}</Button>}
        </Space>
      </div>
      <ErrorAlert error={open.error} onRetry={() => void open.refetch()} />
      {open.isLoading ? <Loading /> : !open.data ? null : open.data.data.length === 0 ? <EmptyState>{t('tasks.nothing')}</EmptyState> : (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          {GROUPS.filter((g) => groups[g].length > 0).map((g) => (
            <Card
              key={g}
              size="small"
              title={<span style={g === 'overdue' ? { color: '#cf1322' } : undefined}>{t(`tasks.${g}`)} ({groups[g].length})</span>}
              data-testid={`tasks-${g}`}
            >
              <List size="small" dataSource={groups[g]} renderItem={(task) => <List.Item><TaskRow task={task} canUpdate={canUpdate(task)} /></List.Item>} />
            </Card>
          ))}
        </Space>
      )}
      {showDone && (done.data?.data.length ?? 0) > 0 && (
        <Card size="small" title={t('choices.task_status.done')} style={{ marginTop: 12 }}>
          <List size="small" dataSource={done.data?.data ?? []} renderItem={(task) => <List.Item><TaskRow task={task} canUpdate={canUpdate(task)} /></List.Item>} />
        </Card>
      )}
      <CreateRecordModal entity="tasks" open={creating} onClose={() => setCreating(false)} defaults={{ owner_id: me.id }} onCreated={(r) => { setCreating(false); navigate(`/tasks/${r.id}`); }} />
    </div>
  );
}
