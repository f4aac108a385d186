// Search across accounts, contacts, leads and deals (GET /api/v1/search) from the header.
import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Button, Input } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { errorMessage } from '../api/errorMessages';
import { isNetworkError } from '../api/errors';
import type { EntityName, SearchAnswer } from '../api/types';
import { entityLabel } from '../i18n/labels';
import { recordTitle } from '../lib/recordTitle';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export function GlobalSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const { data, error, isFetching, refetch } = useQuery({
    queryKey: ['search', q],
    queryFn: ({ signal }) => api.get<SearchAnswer>('/api/v1/search', { query: { q, limit: 5 }, signal }),
    enabled: q.length > 0,
  });
  const groups = (['accounts', 'contacts', 'leads', 'deals'] as EntityName[])
    .map((entity) => ({ entity, rows: data?.[entity as keyof SearchAnswer]?.data ?? [] }))
    .filter((g) => g.rows.length > 0);
  const options = groups.map(({ entity, rows }) => ({
    label: entityLabel(entity, true),
    options: rows.map((r) => ({ value: `/${entity}/${r.id}`, label: recordTitle(entity, r) })),
  }));
  return (
    <AutoComplete
      style={{ width: '100%' }}
      value={text}
      options={options}
      onChange={setText}
      onSelect={(path: string) => {
        setText('');
        navigate(path);
      }}
      notFoundContent={!q || isFetching ? null : error ? (
        // Not "no results": the search could not be run.
        <div role="alert" data-testid="search-unavailable">
          {isNetworkError(error) ? t('nav.searchUnreachable') : errorMessage(error)}{' '}
          <Button size="small" onMouseDown={(e) => e.preventDefault()} onClick={() => void refetch()}>{t('network.retry')}</Button>
        </div>
      ) : t('nav.noSearchResults', { q })}
      popupMatchSelectWidth={false}
    >
      <Input
        prefix={<SearchOutlined aria-hidden />}
        placeholder={t('nav.searchPlaceholder')}
        aria-label={t('nav.search')}
        allowClear
        data-testid="global-search"
      />
    </AutoComplete>
  );
}
