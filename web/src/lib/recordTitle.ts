// The name a record goes by on screen: its title field, else something recognisable.
import { entityMeta } from '../api/meta';
import type { AnyRecord, EntityName } from '../api/types';
import { tr } from '../i18n';

export function recordTitle(entity: EntityName, record: AnyRecord | null | undefined): string {
  if (!record) return '';
  const title = record[entityMeta(entity).titleField];
  if (typeof title === 'string' && title.trim()) return title;
  if (entity === 'activities' && typeof record.type === 'string') return tr(`choices.activity_type.${record.type}`, record.type);
  return `#${record.id.slice(-6)}`;
}
