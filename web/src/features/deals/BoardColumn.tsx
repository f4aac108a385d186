// One stage of the board: its largest deals, the stage's count and totals per currency (from the
// server's summary of every matching deal, not from the cards loaded here), and a drop target
// for dragged cards.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { Deal, ListPage, Stage, StageSummary } from '../../api/types';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { useFormat } from '../../i18n/useFormat';
import { DealCard } from './DealCard';

const PER_COLUMN = 50;

export function BoardColumn({ pipelineId, filters, summary, stage, stages, pending, canMove, onMove, onDragStart, dragged }: {
  pipelineId: string;
  filters: [string, string][]; // the board's filters as API parameters (boardFilters.ts)
  summary: StageSummary | undefined; // undefined while the summary loads
  stage: Stage;
  stages: Stage[];
  pending: Map<string, { deal: Deal; to: string }>; // moves in flight, shown where they go
  canMove: (d: Deal) => boolean;
  onMove: (deal: Deal, stageId: string, fromMenu?: boolean) => void;
  onDragStart: (deal: Deal) => void;
  dragged: Deal | null;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [over, setOver] = useState(false);
  const params: [string, string][] = [
    ['pipeline_id', pipelineId], ['stage_id', stage.id!], ['sort', '-amount_minor'], ['limit', String(PER_COLUMN)], ...filters,
  ];
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: ['list', 'deals', 'board', params],
    queryFn: ({ signal }) => api.get<ListPage<Deal>>('/api/v1/deals', { query: new URLSearchParams(params), signal }),
    placeholderData: keepPreviousData,
  });
  const deals = [
    ...(data?.data ?? []).filter((d) => !pending.has(d.id)),
    ...[...pending.values()].filter((p) => p.to === stage.id).map((p) => ({ ...p.deal, stage_id: p.to })),
  ];
  // A move in flight shows in the count at once; the totals follow when the summary is read again.
  const moves = [...pending.values()];
  const count = summary === undefined ? undefined
    : summary.count + moves.filter((p) => p.to === stage.id).length - moves.filter((p) => p.deal.stage_id === stage.id).length;

  return (
    <section
      className={`board-column${over ? ' drop-target' : ''}`}
      aria-label={stage.name}
      data-testid="board-column"
      data-stage-id={stage.id}
      onDragOver={(e) => {
        if (!dragged || dragged.stage_id === stage.id) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (dragged && dragged.stage_id !== stage.id) onMove(dragged, stage.id!);
      }}
    >
      <h2>
        <span>{stage.name}</span>
        <span className="muted" data-testid="stage-count">{count === undefined ? '…' : t('board.dealCount', { count })}</span>
      </h2>
      <div className="board-totals muted" data-testid="stage-totals">
        {summary?.totals.map((s) => (
          <div key={s.currency} data-currency={s.currency}>
            <span data-testid="stage-total">{fmt.money(s.amount_minor, s.currency)}</span>
            {(stage.probability ?? 0) > 0 && (stage.probability ?? 0) < 100 && (
              <span title={t('board.weightedHint')}> · {t('board.weighted', { amount: fmt.money(s.weighted_minor, s.currency) })}</span>
            )}
          </div>
        ))}
      </div>
      <ErrorAlert error={error} onRetry={() => void refetch()} />
      {isLoading ? <Loading /> : !data ? null : deals.length === 0 ? <EmptyState>{t('board.empty')}</EmptyState> : deals.map((d) => (
        <DealCard key={d.id} deal={d} stages={stages} canMove={canMove(d)} onMove={(s) => onMove(d, s, true)} onDragStart={() => onDragStart(d)} />
      ))}
      {data?.next_cursor && (
        <Link to={`/deals?${new URLSearchParams(params.filter(([k]) => k !== 'limit')).toString()}`} className="muted">{t('board.allInStage')}</Link>
      )}
    </section>
  );
}
