// A list of records of one entity: search, filters, sortable columns the user picks, cursor
// paging (next/previous with a cursor stack; fast however deep), trash, bulk actions the role
// allows, CSV export, and creating a record.
import { DeleteOutlined, FilterOutlined, PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Grid, Input, Select, Space } from 'antd';
import { Fragment, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { DISPLAY } from '../../api/entities';
import { findField } from '../../api/meta';
import { ApiError } from '../../api/errors';
import { useList, usePrefetchList } from '../../api/queries';
import type { AnyRecord, EntityName } from '../../api/types';
import { useMe } from '../../auth/session';
import { useEntityMeta } from '../../components/MetaProvider';
import { useOfflineQueue } from '../../components/OfflineQueue';
import { usePageTitle } from '../../components/usePageTitle';
import { EmptyState, LoadNotice } from '../../components/PageStates';
import { entityLabel, fieldLabel } from '../../i18n/labels';
import { loadState } from '../../lib/loadState';
import { can, canCreate } from '../../lib/permissions';
import { isBlank } from '../../lib/blank';
import { recordTitle } from '../../lib/recordTitle';
import { BulkActions } from './BulkActions';
import { ColumnChooser, useColumnChoice } from './ColumnChooser';
import { CreateRecordModal } from './CreateRecordModal';
import { ExportButton } from './ExportButton';
import { RecordTable, type RecordColumn } from './RecordTable';
import { listActionsFor } from './registry';
import { SavedViews } from './SavedViews';
import { FieldValue } from './FieldValue';
import { FilterChips, FilterPanel } from './FilterPanel';
import {
  apiParams, currentCursor, firstPage, listQueryToSearch, nextPage, PAGE_SIZES, pageNumber, parseListQuery, previousPage,
  type CursorStack, type ListQuery,
} from './listParams';

// The line under a record's title in a phone's list: its DISPLAY.phoneLine fields that have a
// value, separated by dots.
function PhoneLine({ entity, record }: { entity: EntityName; record: AnyRecord }) {
  const meta = useEntityMeta(entity);
  const parts = DISPLAY[entity].phoneLine
    .map((f) => ({ f, m: findField(meta, f) }))
    .filter(({ f, m }) => m && !isBlank(record[f]));
  if (!parts.length) return null;
  return (
    <div className="row-sub" data-testid="row-sub">
      {parts.map(({ f, m }, i) => (
        <span key={f}>{i > 0 && ' · '}<FieldValue meta={m!} record={record} /></span>
      ))}
    </div>
  );
}

export function EntityListPage({ entity }: { entity: EntityName }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const prefetchList = usePrefetchList();
  const me = useMe();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [search, setSearch] = useSearchParams();
  const meta = useEntityMeta(entity);
  const query = useMemo(() => parseListQuery(search, meta.defaultSort), [search, meta.defaultSort]);
  const queryKey = listQueryToSearch(query).toString();
  const [stack, setStack] = useState<CursorStack>(firstPage);
  const [total, setTotal] = useState<{ n: number; exact: boolean } | null>(null);
  const [selected, setSelected] = useState<AnyRecord[]>([]);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [searchText, setSearchText] = useState(query.q);
  const [columns, setColumns] = useColumnChoice(entity);

  // A new query starts at the first page (a cursor belongs to the query that made it).
  useEffect(() => setStack(firstPage()), [queryKey]);

  // Ticked rows belong to the page they are on: another page (a new query's first one
  // included) starts with none.
  useEffect(() => setSelected([]), [stack]);

  const { data, error, isFetching, isLoading, isPlaceholderData, dataUpdatedAt, refetch } = useList(entity, apiParams(query, currentCursor(stack)));
  const { reachable } = useOfflineQueue();
  // Rows of another page or search shown while this one loads are not this list's answer.
  const state = loadState({ hasData: !!data && !isPlaceholderData, error, loading: isLoading || isPlaceholderData }, reachable);
  const failed = state === 'unreachable' || state === 'failed';

  // The server counts only on the first page; keep that count while paging on.
  useEffect(() => {
    if (data && pageNumber(stack) === 1 && data.total !== undefined) setTotal({ n: data.total, exact: data.total_exact ?? true });
  }, [data, stack]);

  // A stale or mismatched cursor (the data changed shape): start again from the top.
  useEffect(() => {
    if (error instanceof ApiError && (error.code === 'invalid_cursor' || error.code === 'cursor_mismatch')) setStack(firstPage());
  }, [error]);

  const update = (patch: Partial<ListQuery>) => setSearch(listQueryToSearch({ ...query, ...patch }), { replace: true });

  const canDelete = can(me, entity, 'delete');
  const canUpdate = can(me, entity, 'update');
  const sortField = query.sort.replace(/^-/, '');
  const visible = [meta.titleField, ...columns.filter((c) => c !== meta.titleField)];
  // On a phone the list shows one column: the title, with the entity's key fields under it
  // (DISPLAY.phoneLine); the rest is on the record page.
  const phone = !screens.md;
  const shownCols = phone ? [meta.titleField] : visible;

  const shownKey = shownCols.join(',');
  // Built once per set of columns, not per render: a row is drawn again only when its record
  // or its checkbox changes (RecordTable). Cells that show formatted or translated values
  // subscribe to the language and time zone themselves (FieldValue).
  const tableColumns: RecordColumn[] = useMemo(() => shownKey.split(',').map((key) => {
    // Built-in and custom ("custom.NAME") columns alike: sortable where the server sorts by them.
    const m = findField(meta, key);
    return {
      key,
      title: fieldLabel(entity, key),
      sortable: !!m?.sortable && !query.q,
      cell: m?.kind === 'money' ? 'num' as const : m?.kind === 'longtext' ? 'clip' as const : phone ? 'wrap' as const : undefined,
      render: (r: AnyRecord) =>
        key === meta.titleField ? (
          <>
            <Link to={`/${entity}/${r.id}`} data-testid="row-link">{recordTitle(entity, r)}</Link>
            {phone && <PhoneLine entity={entity} record={r} />}
          </>
        ) : m ? <FieldValue meta={m} record={r} /> : null,
    };
  // fieldLabel depends on the language: i18n.language is in the deps through `lang`.
  }), [shownKey, meta, entity, query.q, lang, phone]);
  const selection = canDelete || canUpdate ? { selected, onChange: setSelected } : undefined;
  const rowLabel = (r: AnyRecord) => t('list.selectRow', { name: recordTitle(entity, r) });
  const nextParams = data?.next_cursor ? apiParams(query, data.next_cursor) : null;
  const prefetchNext = () => nextParams && prefetchList(entity, nextParams);

  const rows = data?.data ?? [];
  const filtered = Object.keys(query.filters).length > 0 || !!query.q;
  const label = entityLabel(entity, true);
  const heading = query.trashed ? `${label} · ${t('list.trash')}` : label;
  usePageTitle(heading);

  return (
    <div className="page">
      <div className="page-header">
        <h1>{heading}</h1>
        <Space wrap>
          {listActionsFor(entity).map((a) => <Fragment key={a.key}>{a.render(entity)}</Fragment>)}
          {canCreate(me, entity) && !query.trashed && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-record">
              {t('list.new', { entity: entityLabel(entity) })}
            </Button>
          )}
        </Space>
      </div>
      <div className="toolbar">
        <Input.Search
          className="grow"
          allowClear
          value={searchText}
          onChange={(e) => {
            setSearchText(e.target.value);
            if (!e.target.value) update({ q: '' });
          }}
          onSearch={(v) => update({ q: v.trim(), sort: v.trim() ? '' : query.sort })}
          placeholder={t('list.searchPlaceholder', { entity: label })}
          aria-label={t('list.searchPlaceholder', { entity: label })}
          data-testid="list-search"
        />
        <Badge count={Object.keys(query.filters).length} size="small">
          <Button icon={<FilterOutlined />} onClick={() => setFiltersOpen(true)} data-testid="open-filters">{t('list.filters')}</Button>
        </Badge>
        {!query.trashed && (
          <SavedViews
            entity={entity}
            // A view is the list's filters, search and sort: not its page size or the trash.
            query={listQueryToSearch({ ...query, limit: 50, trashed: false }).toString()}
            columns={columns}
            onApply={(v) => {
              setSearch(new URLSearchParams(v.query));
              if (v.columns.length) setColumns(v.columns);
            }}
          />
        )}
        <ColumnChooser entity={entity} value={columns} onChange={setColumns} />
        <ExportButton entity={entity} query={query} />
        {canDelete && (
          <Button icon={<DeleteOutlined />} onClick={() => update({ trashed: !query.trashed })} type={query.trashed ? 'primary' : 'default'}>
            {query.trashed ? t('list.hideTrash') : t('list.showTrash')}
          </Button>
        )}
      </div>
      <FilterChips entity={entity} filters={query.filters} onChange={(filters) => update({ filters })} />
      <FilterPanel entity={entity} open={filtersOpen} onClose={() => setFiltersOpen(false)} filters={query.filters} onChange={(filters) => update({ filters })} />
      <BulkActions entity={entity} selected={selected} trashed={query.trashed} canDelete={canDelete} canUpdate={canUpdate} onDone={() => setSelected([])} />
      <LoadNotice state={state} error={error} loadedAt={dataUpdatedAt} onRetry={() => void refetch()} />
      {!failed && (
        <RecordTable
          rows={rows}
          columns={tableColumns}
          sort={sortField ? { key: sortField, order: query.sort.startsWith('-') ? 'desc' : 'asc' } : null}
          onSort={(key, order) => update({ sort: order ? (order === 'desc' ? `-${key}` : key) : '' })}
          selection={selection}
          rowLabel={rowLabel}
          loading={isFetching}
          empty={
            // "No records" only when the server said so for this very list.
            state !== 'ok' && state !== 'stale' ? null : (
              <EmptyState
                action={canCreate(me, entity) && !filtered && !query.trashed ? (
                  <Button type="primary" onClick={() => setCreating(true)}>{t('list.new', { entity: entityLabel(entity) })}</Button>
                ) : undefined}
              >
                {filtered ? t('list.emptyFiltered', { entity: label }) : t('list.empty', { entity: label })}
              </EmptyState>
            )
          }
          testId="record-table"
        />
      )}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', justifyContent: 'space-between', marginTop: 12 }}>
        <span className="muted" data-testid="list-total">
          {total ? (total.exact ? t('list.total', { count: total.n }) : t('list.totalAtLeast', { count: total.n })) : ''}
        </span>
        <Space wrap>
          <Button onClick={() => setStack(previousPage)} disabled={pageNumber(stack) === 1 || isFetching} data-testid="prev-page">
            {t('list.previous')}
          </Button>
          <span aria-live="polite">{t('list.page', { page: pageNumber(stack) })}</span>
          <Button
            onPointerEnter={prefetchNext}
            onFocus={prefetchNext}
            onClick={() => {
              if (!data?.next_cursor) return;
              prefetchNext();
              setStack((s) => nextPage(s, data.next_cursor!));
            }}
            disabled={!data?.next_cursor || isFetching}
            data-testid="next-page"
          >
            {t('list.next')}
          </Button>
          <Select
            aria-label={t('list.pageSize')}
            value={query.limit}
            onChange={(limit: number) => update({ limit })}
            options={PAGE_SIZES.map((n) => ({ value: n, label: t('list.perPage', { size: n }) }))}
            // As wide as its label in either language (a fixed width cut "50 / Per page").
            popupMatchSelectWidth={false}
            data-testid="page-size"
          />
        </Space>
      </div>
      <CreateRecordModal entity={entity} open={creating} onClose={() => setCreating(false)} onCreated={(r) => { setCreating(false); navigate(`/${entity}/${r.id}`); }} />
    </div>
  );
}
