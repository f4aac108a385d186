// Picks a linked record by typing part of its name (the list's q= search), or a user.
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { entityMeta } from '../api/meta';
import { useUsers } from '../api/queries';
import type { AnyRecord, EntityName, ListPage } from '../api/types';
import { recordTitle } from '../lib/recordTitle';
import { useRefTitle } from './RefLabel';

interface RefSelectProps {
  entity: EntityName;
  value?: string | string[] | null;
  onChange?: (v: string | string[] | null) => void;
  multiple?: boolean;
  id?: string;
  disabled?: boolean;
  placeholder?: string;
  'aria-label'?: string;
}

function SelectedOption({ entity, id }: { entity: EntityName; id: string }) {
  const { data } = useRefTitle(entity, id);
  return <>{data ?? '…'}</>;
}

export function RefSelect({ entity, value, onChange, multiple, ...rest }: RefSelectProps) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(id);
  }, [text]);
  const sortField = entityMeta(entity).fields.find((f) => f.name === entityMeta(entity).titleField)?.sortable
    ? entityMeta(entity).titleField
    : '-created_at';
  const { data, isFetching } = useQuery({
    queryKey: ['ref-options', entity, q],
    queryFn: ({ signal }) =>
      api.get<ListPage<AnyRecord>>(`/api/v1/${entity}`, { query: { q: q || undefined, limit: 20, sort: sortField }, signal }),
    staleTime: 30_000,
  });
  const options: { value: string; label: ReactNode }[] = (data?.data ?? []).map((r) => ({ value: r.id, label: recordTitle(entity, r) }));
  const selectedIds = value ? (Array.isArray(value) ? value : [value]) : [];
  // Keep the chosen records listed (with their names) even when the search does not find them.
  for (const id of selectedIds)
    if (!options.some((o) => o.value === id)) options.push({ value: id, label: <SelectedOption entity={entity} id={id} /> });
  return (
    <Select
      {...rest}
      mode={multiple ? 'multiple' : undefined}
      showSearch
      allowClear
      filterOption={false}
      value={multiple ? selectedIds : (value ?? undefined)}
      onSearch={setText}
      onChange={(v: string | string[] | undefined) => onChange?.(v ?? null)}
      options={options}
      loading={isFetching}
      placeholder={rest.placeholder ?? t('record.pickRecord')}
      style={{ width: '100%' }}
    />
  );
}

export function UserSelect({ value, onChange, ...rest }: { value?: string | null; onChange?: (v: string | null) => void; id?: string; 'aria-label'?: string; allowClear?: boolean }) {
  const { data } = useUsers();
  return (
    <Select
      {...rest}
      showSearch
      optionFilterProp="label"
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={(data ?? []).filter((u) => u.active || u.id === value).map((u) => ({ value: u.id, label: u.name }))}
      style={{ width: '100%' }}
    />
  );
}
