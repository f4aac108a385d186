// Search across accounts, contacts, leads and deals (GET /api/v1/search) from the header.
import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Input } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
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
  const { data, isFetching } = useQuery({
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
      notFoundContent={q && !isFetching ? t('nav.noSearchResults', { q }) : null}
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
