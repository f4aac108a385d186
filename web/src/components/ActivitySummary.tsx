// One activity where a list shows what happened (Today's recent activities, a record's
// timeline): a link to it titled by its subject, or by its type and time when it has none; the
// records it is about, as links; when it happened and who logged it.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fieldMeta } from '../api/meta';
import { useUsers } from '../api/queries';
import type { Activity } from '../api/types';
import { RefLabel } from './RefLabel';
import { choiceLabel } from '../i18n/labels';
import { useFormat } from '../i18n/useFormat';

const LINKS = [
  ['contact_id', 'contacts'],
  ['account_id', 'accounts'],
  ['deal_id', 'deals'],
  ['lead_id', 'leads'],
] as const;

export function ActivitySummary({ a, hideLink, children }: {
  a: Activity;
  hideLink?: string; // the link field of the record whose timeline this is: not repeated
  children?: ReactNode; // shown between the title and the time (a timeline's duration and notes)
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const author = useUsers().data?.find((u) => u.id === a.created_by)?.name;
  const type = choiceLabel(fieldMeta('activities', 'type'), a.type);
  const when = fmt.dateTime(a.occurred_at ?? a.created_at);
  const subject = a.subject?.trim();
  const related = LINKS.filter(([field]) => field !== hideLink && a[field]);
  return (
    <div style={{ minWidth: 0 }} data-testid="activity-summary">
      <div>
        {subject && <><strong>{type}</strong>{': '}</>}
        <Link to={`/activities/${a.id}`}>{subject || t('activity.untitled', { type, time: when })}</Link>
        {related.map(([field, entity]) => (
          <span key={field} className="muted"> · <RefLabel entity={entity} id={a[field]} /></span>
        ))}
      </div>
      {children}
      <div className="timeline-meta">
        {/* Without a subject the time is in the title already. */}
        {[subject ? when : null, author ? t('activity.loggedBy', { user: author }) : null].filter(Boolean).join(' · ')}
      </div>
    </div>
  );
}
