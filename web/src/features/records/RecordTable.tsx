// The list's table: a plain <table> of one page of records, with a checkbox per row for bulk
// actions and sortable column headers. Ant Design's Table did the same with more machinery per
// cell and per row (contexts, a measuring row, selection bookkeeping over the whole data set),
// and a page turn spent most of its time there (docs/benchmarks.md, "Next page"). Here a page
// turn renders the new rows once; a row whose record object and selection are unchanged is not
// rendered again (memo), so ticking one checkbox or showing "loading" redraws nothing else.
import { Spin } from 'antd';
import { memo, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnyRecord } from '../../api/types';

export interface RecordColumn {
  key: string;
  title: string;
  sortable: boolean;
  // How the cells lay out: 'num' right-aligned with tabular figures (money); 'clip' one line cut
  // with an ellipsis at a bounded width (long text); 'wrap' wraps (a phone's one column). Other
  // cells keep to one line and the table scrolls sideways when they do not fit.
  cell?: 'num' | 'clip' | 'wrap';
  render: (r: AnyRecord) => ReactNode;
}

export type SortOrder = 'asc' | 'desc';

export interface RecordTableProps {
  rows: AnyRecord[];
  columns: RecordColumn[]; // memoised by the caller: a new array redraws every row
  sort: { key: string; order: SortOrder } | null;
  onSort: (key: string, order: SortOrder | null) => void;
  // Checkboxes only when the role may act on several records: the ticked rows.
  selection?: { selected: AnyRecord[]; onChange: (rows: AnyRecord[]) => void };
  rowLabel: (r: AnyRecord) => string; // the record's title, for the row checkbox's name
  loading: boolean;
  empty: ReactNode; // shown in place of rows when there are none
  testId?: string;
}

// A header's next order: ascending, then descending, then the list's default order.
export function nextSortOrder(current: SortOrder | null): SortOrder | null {
  return current === null ? 'asc' : current === 'asc' ? 'desc' : null;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

interface RowProps {
  record: AnyRecord;
  columns: RecordColumn[];
  selectable: boolean;
  selected: boolean;
  label: string;
  onToggle: (r: AnyRecord, on: boolean) => void;
}

const Row = memo(function Row({ record, columns, selectable, selected, label, onToggle }: RowProps) {
  return (
    <tr data-row-key={record.id} className={selected ? 'selected' : undefined}>
      {selectable && (
        <td className="record-table-check">
          <input type="checkbox" checked={selected} aria-label={label} onChange={(e) => onToggle(record, e.target.checked)} />
        </td>
      )}
      {columns.map((c) => (
        <td key={c.key} className={c.cell}>{c.render(record)}</td>
      ))}
    </tr>
  );
});

function SelectAll({ rows, ids, onChange }: { rows: AnyRecord[]; ids: ReadonlySet<string>; onChange: (rows: AnyRecord[]) => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLInputElement>(null);
  const ticked = rows.filter((r) => ids.has(r.id)).length;
  const all = rows.length > 0 && ticked === rows.length;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = ticked > 0 && !all;
  }, [ticked, all]);
  return (
    <input
      ref={ref}
      type="checkbox"
      checked={all}
      disabled={rows.length === 0}
      aria-label={t('list.selectAll')}
      onChange={(e) => onChange(e.target.checked ? rows : [])}
    />
  );
}

export function RecordTable({ rows, columns, sort, onSort, selection, rowLabel, loading, empty, testId }: RecordTableProps) {
  // The toggle reads the selection through a ref so that it stays the same function and the
  // memoised rows are not redrawn when another row is ticked.
  const selectionRef = useRef(selection);
  selectionRef.current = selection;
  const toggle = useRef((r: AnyRecord, on: boolean) => {
    const s = selectionRef.current;
    if (!s) return;
    s.onChange(on ? [...s.selected.filter((x) => x.id !== r.id), r] : s.selected.filter((x) => x.id !== r.id));
  }).current;
  const span = columns.length + (selection ? 1 : 0);
  const selected = selection?.selected;
  const ids = useMemo(() => new Set((selected ?? []).map((r) => r.id)), [selected]);

  return (
    <div className="record-table" data-testid={testId} aria-busy={loading || undefined}>
      <div className="record-table-scroll">
        <table>
          <thead>
            <tr>
              {selection && <th className="record-table-check"><SelectAll rows={rows} ids={ids} onChange={selection.onChange} /></th>}
              {columns.map((c) => {
                const order = sort?.key === c.key ? sort.order : null;
                return (
                  <th key={c.key} className={c.cell === 'num' ? 'num' : undefined} aria-sort={c.sortable ? (order ? ARIA_SORT[order] : 'none') : undefined}>
                    {c.sortable ? (
                      <button type="button" className="record-table-sort" onClick={() => onSort(c.key, nextSortOrder(order))}>
                        <span>{c.title}</span>
                        <span className={`sort-mark${order ? ` ${order}` : ''}`} aria-hidden="true" />
                      </button>
                    ) : c.title}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <Row
                key={r.id}
                record={r}
                columns={columns}
                selectable={!!selection}
                selected={ids.has(r.id)}
                label={rowLabel(r)}
                onToggle={toggle}
              />
            ))}
            {rows.length === 0 && (
              <tr className="record-table-empty">
                <td colSpan={span}>{empty}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {loading && <div className="record-table-loading"><Spin /></div>}
    </div>
  );
}
