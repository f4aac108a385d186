// Completing and reopening tasks (PATCH status with If-Match), shared by My tasks and the
// task lists on record pages.
import type { Task } from '../../api/types';

export function toggleDoneWrite(task: Task, key: string) {
  return {
    key,
    method: 'PATCH' as const,
    path: `/api/v1/tasks/${task.id}`,
    body: { status: task.status === 'done' ? 'open' : 'done' },
    version: task.version,
    label: task.title,
  };
}
