// The board's filters: owner, team, expected close date (a quick choice or a range) and tags,
// with the active ones as removable chips. The state is the address (boardFilters.ts): each
// change replaces it, so back/forward and bookmarks give the same board.
import { Button, DatePicker, Select, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Team, User } from '../../api/types';
import { useFormat } from '../../i18n/useFormat';
import { CLOSE_CHOICES, hasBoardFilters, type BoardFilters, type CloseChoice } from './boardFilters';

const RANGE = 'range';

// A person or a team, searchable by name.
function PickOne({ label, value, options, onChange }: {
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  onChange: (v: string | undefined) => void;
}) {
  return (
    <Select aria-label={label} placeholder={label} allowClear showSearch optionFilterProp="label" value={value} onChange={onChange} options={options} />
  );
}

export function BoardFilterBar({ filters, users, teams, onChange }: {
  filters: BoardFilters;
  users: User[];
  teams: Team[];
  onChange: (next: BoardFilters) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const closeValue = filters.close ?? (filters.from || filters.to ? RANGE : undefined);
  const closeLabel = (c: CloseChoice) => t(`board.filter.${c}`);
  const set = (patch: Partial<BoardFilters>) => onChange({ ...filters, ...patch });

  const chips: { key: string; label: React.ReactNode; clear: Partial<BoardFilters> }[] = [];
  if (filters.owner) {
    const name = users.find((u) => u.id === filters.owner)?.name ?? '…';
    chips.push({ key: 'owner', label: `${t('board.filter.owner')}: ${name}`, clear: { owner: undefined } });
  }
  if (filters.team) {
    const name = teams.find((x) => x.id === filters.team)?.name ?? '…';
    chips.push({ key: 'team', label: `${t('board.filter.team')}: ${name}`, clear: { team: undefined } });
  }
  if (filters.close) {
    chips.push({ key: 'close', label: `${t('board.filter.close')}: ${closeLabel(filters.close)}`, clear: { close: undefined } });
  } else if (filters.from || filters.to) {
    const range = `${filters.from ? fmt.date(filters.from) : '…'} – ${filters.to ? fmt.date(filters.to) : '…'}`;
    chips.push({ key: 'range', label: `${t('board.filter.close')}: ${range}`, clear: { from: undefined, to: undefined } });
  }
  for (const tag of filters.tags)
    chips.push({ key: `tag:${tag}`, label: `${t('board.filter.tag')}: ${tag}`, clear: { tags: filters.tags.filter((x) => x !== tag) } });

  return (
    <div className="board-filters-wrap">
      <div className="board-filters" role="group" aria-label={t('board.filter.label')}>
        <PickOne label={t('board.filter.owner')} value={filters.owner} onChange={(v) => set({ owner: v })}
          options={users.map((u) => ({ value: u.id, label: u.name }))} />
        <PickOne label={t('board.filter.team')} value={filters.team} onChange={(v) => set({ team: v })}
          options={teams.map((x) => ({ value: x.id, label: x.name }))} />
        <Select
          aria-label={t('board.filter.close')}
          placeholder={t('board.filter.close')}
          allowClear
          value={closeValue}
          onChange={(v: string | undefined) =>
            v === RANGE
              ? set({ close: undefined, from: filters.from ?? dayjs().startOf('month').format('YYYY-MM-DD'), to: filters.to })
              : set({ close: v as CloseChoice | undefined, from: undefined, to: undefined })}
          options={[...CLOSE_CHOICES.map((c) => ({ value: c, label: closeLabel(c) })), { value: RANGE, label: t('board.filter.range') }]}
        />
        {closeValue === RANGE && (
          <DatePicker.RangePicker
            aria-label={t('board.filter.range')}
            allowEmpty={[true, true]}
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            onChange={(v) => set({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })}
          />
        )}
        <Select
          mode="tags"
          aria-label={t('board.filter.tags')}
          placeholder={t('board.filter.tags')}
          value={filters.tags}
          onChange={(v: string[]) => set({ tags: [...new Set(v.map((x) => x.trim()).filter(Boolean))] })}
          maxTagCount="responsive"
          tokenSeparators={[',']}
          open={false}
          suffixIcon={null}
        />
      </div>
      {hasBoardFilters(filters) && (
        <div className="board-chips" data-testid="board-filter-chips">
          {chips.map((c) => (
            <Tag key={c.key} closable onClose={() => set(c.clear)} closeIcon={<span aria-label={t('board.filter.remove')}>×</span>}>
              {c.label}
            </Tag>
          ))}
          <Button size="small" type="link" onClick={() => onChange({ tags: [] })}>{t('list.clearFilters')}</Button>
        </div>
      )}
    </div>
  );
}
