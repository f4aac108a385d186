// One stage of the board: its deals (largest first), count and totals per currency, and a drop
// target for dragged cards.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useList } from '../../api/queries';
import type { Deal, Stage } from '../../api/types';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { useFormat } from '../../i18n/useFormat';
import { totalsByCurrency } from '../../lib/money';
import { DealCard } from './DealCard';

const PER_COLUMN = 50;

export function BoardColumn({ pipelineId, stage, stages, pending, canMove, onMove, onDragStart, dragged }: {
  pipelineId: string;
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
  const { data, isLoading, error, refetch } = useList<Deal>('deals', {
    pipeline_id: pipelineId,
    stage_id: stage.id!,
    sort: '-amount_minor',
    limit: String(PER_COLUMN),
  });
  const deals = [
    ...(data?.data ?? []).filter((d) => !pending.has(d.id)),
    ...[...pending.values()].filter((p) => p.to === stage.id).map((p) => ({ ...p.deal, stage_id: p.to })),
  ];
  const totals = totalsByCurrency(deals.map((d) => ({ amount: d.amount_minor, currency: d.currency })));
  const count = (data?.total ?? deals.length) + [...pending.values()].filter((p) => p.to === stage.id).length -
    (data?.data ?? []).filter((d) => pending.has(d.id)).length;

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
        <span className="muted">{t('board.dealCount', { count })}</span>
      </h2>
      <div className="muted" style={{ fontSize: 12, margin: '0 4px 8px' }}>
        {[...totals].map(([cur, sum]) => <div key={cur}>{fmt.money(sum, cur)}</div>)}
      </div>
      <ErrorAlert error={error} onRetry={() => void refetch()} />
      {isLoading ? <Loading /> : !data ? null : deals.length === 0 ? <EmptyState>{t('board.empty')}</EmptyState> : deals.map((d) => (
        <DealCard key={d.id} deal={d} stages={stages} canMove={canMove(d)} onMove={(s) => onMove(d, s, true)} onDragStart={() => onDragStart(d)} />
      ))}
      {data?.next_cursor && (
        <Link to={`/deals?pipeline_id=${pipelineId}&stage_id=${stage.id}&sort=-amount_minor`} className="muted">…</Link>
      )}
    </section>
  );
}
