// Deals as a board: one column per stage of the chosen pipeline. Dropping a card on another
// stage moves the deal (PATCH stage_id with If-Match); the card shows in its new place at once
// and goes back if the server says no. A move to a lost stage asks why first (LostReason.tsx).
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Segmented, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/errorMessages';
import { keys, usePipelines, usePipelineSummary, useTeams, useUsers } from '../../api/queries';
import type { Deal } from '../../api/types';
import { useMe } from '../../auth/session';
import { EmptyState, ErrorAlert, Loading } from '../../components/PageStates';
import { entityLabel } from '../../i18n/labels';
import { can, canCreate } from '../../lib/permissions';
import { CreateRecordModal } from '../records/CreateRecordModal';
import { BoardColumn } from './BoardColumn';
import { isLostReasonRefusal, useLostReason } from './LostReason';
import { moveDeal } from './moveDeal';
import { usePageTitle } from '../../components/usePageTitle';
import { useTimeZone } from '../../i18n/useFormat';
import { BoardFilterBar } from './BoardFilterBar';
import { boardApiParams, readBoardFilters, writeBoardFilters } from './boardFilters';

export function PipelineBoardPage() {
  const { t } = useTranslation();
  usePageTitle(t('board.title'));
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const { data: pipelines, isLoading, error, refetch } = usePipelines();
  const users = useUsers().data ?? [];
  const teams = useTeams().data ?? [];
  const [pending, setPending] = useState(new Map<string, { deal: Deal; to: string }>());
  const [dragged, setDragged] = useState<Deal | null>(null);
  const [creating, setCreating] = useState(false);
  const lostReason = useLostReason();
  const tz = useTimeZone();
  const pipeline = pipelines?.find((p) => p.id === search.get('pipeline')) ?? pipelines?.[0];
  const filters = readBoardFilters(search);
  const apiFilters = boardApiParams(filters, tz);
  const summary = usePipelineSummary(pipeline?.id, apiFilters);

  if (isLoading) return <Loading />;
  if (error) return <div className="page"><ErrorAlert error={error} onRetry={() => void refetch()} /></div>;

  const move = async (deal: Deal, to: string, fromMenu = false) => {
    setDragged(null);
    const stageName = pipeline?.stages.find((s) => s.id === to)?.name ?? '';
    const reason = await lostReason.ask(deal, to, pipeline);
    if (reason === 'cancelled') return; // the card stays where it was
    setPending((p) => new Map(p).set(deal.id, { deal, to }));
    // The card is drawn anew in its new column, and the focus would fall back to the page: a
    // move made from the card's menu keeps it on that menu's button, in its new place.
    if (fromMenu) {
      requestAnimationFrame(() => {
        const moved = document.querySelector<HTMLElement>(`[data-deal-id="${deal.id}"] [data-testid="move-deal"]`);
        if (moved && document.activeElement === document.body) moved.focus();
      });
    }
    try {
      await moveDeal(deal, to, reason);
      void message.success(t('board.moved', { stage: stageName }));
      void queryClient.invalidateQueries({ queryKey: keys.record('deals', deal.id) });
    } catch (e) {
      // A 412 means someone moved or edited it: the refetch shows where it is. A refusal for want
      // of a reason means the pipeline's setting changed: read the pipeline again.
      if (isLostReasonRefusal(e)) void queryClient.invalidateQueries({ queryKey: keys.pipelines });
      void message.error(isLostReasonRefusal(e) ? t('board.lostReasonRequired') : errorMessage(e));
    }
    await queryClient.invalidateQueries({ queryKey: keys.listAll('deals') });
    setPending((p) => {
      const n = new Map(p);
      n.delete(deal.id);
      return n;
    });
  };

  return (
    <div className="page" style={{ maxWidth: 'none' }}>
      <div className="page-header">
        <h1>{t('board.title')}</h1>
        <Space wrap>
          <Segmented
            aria-label={t('board.view')}
            value="board"
            onChange={(v) => v === 'table' && navigate(pipeline ? `/deals?pipeline_id=${pipeline.id}` : '/deals')}
            options={[{ value: 'board', label: t('board.board') }, { value: 'table', label: t('board.table') }]}
          />
          {(pipelines?.length ?? 0) > 1 && (
            <Select
              aria-label={t('board.pipeline')}
              value={pipeline?.id}
              onChange={(id: string) => { const next = new URLSearchParams(search); next.set('pipeline', id); setSearch(next); }}
              options={pipelines!.map((p) => ({ value: p.id, label: p.name }))}
              style={{ minWidth: 160 }}
            />
          )}
          {canCreate(me, 'deals') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('list.new', { entity: entityLabel('deals') })}</Button>
          )}
        </Space>
      </div>
      {!pipeline ? <EmptyState>{t('board.noPipelines')}</EmptyState> : (
        <>
          <BoardFilterBar filters={filters} users={users} teams={teams} onChange={(f) => setSearch(writeBoardFilters(search, f))} />
          <p className="muted" style={{ marginTop: 0 }}>{t('board.dragHint')}</p>
          <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />
          <div className="board" data-testid="board">
            {pipeline.stages.map((s) => (
              <BoardColumn
                key={s.id}
                pipelineId={pipeline.id}
                filters={apiFilters}
                summary={summary.data?.find((x) => x.stage_id === s.id)}
                stage={s}
                stages={pipeline.stages}
                pending={pending}
                dragged={dragged}
                canMove={(d) => can(me, 'deals', 'update', d, { users, teams })}
                onMove={(d, to, fromMenu) => void move(d, to, fromMenu)}
                onDragStart={setDragged}
              />
            ))}
          </div>
        </>
      )}
      {lostReason.dialog}
      <CreateRecordModal
        entity="deals"
        open={creating}
        onClose={() => setCreating(false)}
        defaults={pipeline ? { pipeline_id: pipeline.id } : undefined}
        onCreated={(r) => { setCreating(false); navigate(`/deals/${r.id}`); }}
      />
    </div>
  );
}
