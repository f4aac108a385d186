// One task with a checkbox to complete it, its due time, and overdue shown in red.
import { Checkbox, Tag } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { newId } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import type { Task } from '../../api/types';
import { useFormat } from '../../i18n/useFormat';
import { dueBucket } from '../../lib/dates';
import { useOfflineQueue } from '../../components/OfflineQueue';
import { RefLabel } from '../../components/RefLabel';
import { toggleDoneWrite } from './taskApi';
import type { EntityName } from '../../api/types';

export function TaskRow({ task, canUpdate, showRelated = true }: { task: Task; canUpdate: boolean; showRelated?: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const offline = useOfflineQueue();
  const [busy, setBusy] = useState(false);
  const bucket = task.status === 'open' ? dueBucket(task.due_at, fmt.tz) : null;

  const toggle = async () => {
    setBusy(true);
    try {
      const r = await offline.submit(toggleDoneWrite(task, newId()));
      if (r.queued) void message.warning(t('network.queued'));
      else if (task.status !== 'done') void message.success(t('tasks.completed'));
      void queryClient.invalidateQueries({ queryKey: ['list', 'tasks'] });
    } catch (e) {
      // Changed elsewhere meanwhile: show the current state rather than overwrite it.
      if (e instanceof ApiError && e.isConflict) void queryClient.invalidateQueries({ queryKey: ['list', 'tasks'] });
      void message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'flex', gap: 10, alignItems: 'flex-start', width: '100%' }} data-testid="task-row">
      <Checkbox
        checked={task.status === 'done'}
        disabled={!canUpdate || busy || task.status === 'cancelled'}
        onChange={() => void toggle()}
        aria-label={task.status === 'done' ? t('tasks.reopen') : t('tasks.complete')}
        style={{ marginTop: 2 }}
      />
      <div style={{ minWidth: 0, flex: 1 }}>
        <Link to={`/tasks/${task.id}`} style={task.status === 'done' ? { textDecoration: 'line-through', color: 'rgba(0,0,0,.45)' } : undefined}>
          {task.title}
        </Link>
        {task.priority === 'high' && <Tag color="red" style={{ marginInlineStart: 8 }}>{t('choices.priority.high')}</Tag>}
        <div className="timeline-meta">
          {task.due_at && (
            <span style={bucket === 'overdue' ? { color: '#cf1322' } : undefined}>
              {bucket === 'overdue' ? t('tasks.overdueSince', { when: fmt.dateTime(task.due_at) }) : t('tasks.dueIn', { when: fmt.dateTime(task.due_at) })}
            </span>
          )}
          {showRelated && task.related_entity && task.related_id && (
            <span> · <RefLabel entity={task.related_entity as EntityName} id={task.related_id} /></span>
          )}
        </div>
      </div>
    </div>
  );
}
