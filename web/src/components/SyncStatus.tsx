// The header's sync indicator: offline or online, and in a few words how sync stands (syncing,
// failed, changes waiting, changes that need the user, or when it last succeeded). It opens the
// sync panel (features/sync/SyncPage.tsx). It never says "synced" for a sync that did not happen.
import { CloudOutlined, CloudSyncOutlined, DisconnectOutlined, WarningOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useFormat } from '../i18n/useFormat';
import type { SyncState } from '../sync/engine';
import { useOfflineQueue } from './OfflineQueue';

export function syncSummary(s: SyncState, reachable: boolean, t: (k: string, o?: Record<string, unknown>) => string,
  relative: (iso: string) => string): { text: string; tone: 'ok' | 'busy' | 'warn' | 'off' } {
  if (!reachable) return { text: s.pending ? t('sync.offlineWaiting', { count: s.pending }) : t('sync.offline'), tone: 'off' };
  if (s.running) return { text: t('sync.syncing'), tone: 'busy' };
  if (s.problems) return { text: t('sync.needAttention', { count: s.problems }), tone: 'warn' };
  if (s.lastError) return { text: t('sync.failed'), tone: 'warn' };
  if (s.pending) return { text: t('sync.waiting', { count: s.pending }), tone: 'busy' };
  return { text: s.lastSyncAt ? t('sync.syncedAt', { when: relative(s.lastSyncAt) }) : t('sync.never'), tone: 'ok' };
}

export function SyncStatus({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const { sync, reachable } = useOfflineQueue();
  const { text, tone } = syncSummary(sync, reachable, t, fmt.relative);
  const icon = tone === 'off' ? <DisconnectOutlined /> : tone === 'warn' ? <WarningOutlined />
    : tone === 'busy' ? <CloudSyncOutlined spin={sync.running} /> : <CloudOutlined />;
  return (
    <Badge count={sync.problems} size="small" offset={[-4, 4]}>
      <Button
        type="text"
        icon={icon}
        onClick={() => navigate('/sync')}
        aria-label={`${t('sync.title')}: ${text}`}
        title={text}
        data-testid="sync-status"
        data-tone={tone}
        style={tone === 'warn' ? { color: '#ad4e00' } : tone === 'off' ? { color: '#595959' } : undefined}
      >
        {compact ? null : text}
      </Button>
    </Badge>
  );
}
