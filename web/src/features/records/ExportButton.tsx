// Downloads the list as CSV with its current filters, sort, search and trash view (the export
// has no paging: it returns every matching record). Fetched with the session token, since a
// plain link cannot carry it, and handed to the browser as a temporary object URL.
import { DownloadOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import type { EntityName } from '../../api/types';
import { useMe } from '../../auth/session';
import { entityLabel } from '../../i18n/labels';
import { saveBlob } from '../../lib/download';
import { canExport } from '../../lib/permissions';
import { exportParams, type ListQuery } from './listParams';

export function ExportButton({ entity, query }: { entity: EntityName; query: ListQuery }) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  if (!canExport(me, entity)) return null;

  const run = async () => {
    setBusy(true);
    try {
      const { blob, fileName } = await download(`/api/v1/${entity}/export`, { query: exportParams(query) });
      const name = fileName ?? `${entity}.csv`;
      saveBlob(blob, name);
      void message.success(t('list.exported', { file: name }));
    } catch (e) {
      // A role changed since sign-in: say which export is not allowed rather than a bare 403.
      const forbidden = e instanceof ApiError && e.status === 403;
      void message.error(forbidden ? t('list.exportForbidden', { entity: entityLabel(entity, true) }) : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run()} data-testid="export-csv">
      {t('list.export')}
    </Button>
  );
}
