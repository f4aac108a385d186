// The start page: what needs doing today (overdue and today's tasks), open deals, and the
// latest activities.
import { Card, Col, List, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useList } from '../../api/queries';
import type { Activity, Task } from '../../api/types';
import { useMe } from '../../auth/session';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { useTimeZone } from '../../i18n/useFormat';
import { todayBounds } from '../../lib/dates';
import { can } from '../../lib/permissions';
import { ActivitySummary } from '../../components/ActivitySummary';
import { TaskRow } from '../tasks/TaskRow';
import { usePageTitle } from '../../components/usePageTitle';

export function HomePage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.home'));
  const me = useMe();
  const tz = useTimeZone();
  const readsTasks = can(me, 'tasks', 'read');
  const readsDeals = can(me, 'deals', 'read');
  const readsActivities = can(me, 'activities', 'read');
  const { end } = todayBounds(tz);
  const due = useList<Task>('tasks', { owner_id: me.id, status: 'open', 'due_at[lt]': end, sort: 'due_at', limit: '50' }, readsTasks);
  const openTasks = useList<Task>('tasks', { owner_id: me.id, status: 'open', limit: '1' }, readsTasks);
  const deals = useList('deals', { status: 'open', limit: '1' }, readsDeals);
  const activities = useList<Activity>('activities', { sort: '-occurred_at', limit: '8' }, readsActivities);
  const overdue = (due.data?.data ?? []).filter((x) => x.due_at && new Date(x.due_at) < new Date()).length;

  return (
    <div className="page">
      <div className="page-header"><h1>{t('home.greeting', { name: me.name })}</h1></div>
      <Row gutter={[12, 12]}>
        {readsTasks && (
          <Col xs={12} md={8}><Card size="small"><Link to="/my-tasks"><Statistic title={t('home.myOpenTasks')} value={openTasks.data?.total ?? 0} /></Link></Card></Col>
        )}
        {readsTasks && (
          <Col xs={12} md={8}><Card size="small"><Link to="/my-tasks"><Statistic title={t('home.overdueTasks')} value={overdue} valueStyle={overdue ? { color: '#cf1322' } : undefined} /></Link></Card></Col>
        )}
        {readsDeals && (
          <Col xs={24} md={8}><Card size="small"><Link to="/deals/board"><Statistic title={t('home.openDeals')} value={deals.data?.total ?? 0} /></Link></Card></Col>
        )}
        {readsTasks && (
          <Col xs={24} lg={12}>
            <Card size="small" title={`${t('tasks.overdue')} / ${t('tasks.today')}`} extra={<Link to="/my-tasks">{t('nav.myTasks')}</Link>}>
              {due.isLoading ? <Loading /> : !due.data ? <ErrorAlert error={due.error} onRetry={() => void due.refetch()} /> : due.data.data.length === 0 ? <EmptyState>{t('tasks.nothing')}</EmptyState> : (
                <List size="small" dataSource={due.data?.data ?? []} renderItem={(task) => <List.Item><TaskRow task={task} canUpdate={can(me, 'tasks', 'update', task)} /></List.Item>} />
              )}
            </Card>
          </Col>
        )}
        {readsActivities && (
          <Col xs={24} lg={12}>
            <Card size="small" title={t('home.recentActivities')} extra={<Link to="/activities">{t('nav.activities')}</Link>}>
              {activities.isLoading ? <Loading /> : !activities.data ? <ErrorAlert error={activities.error} onRetry={() => void activities.refetch()} /> : activities.data.data.length === 0 ? <EmptyState>{t('record.noTimeline')}</EmptyState> : (
                <List
                  size="small"
                  dataSource={activities.data?.data ?? []}
                  renderItem={(a) => (
                    <List.Item><ActivitySummary a={a} /></List.Item>
                  )}
                />
              )}
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
