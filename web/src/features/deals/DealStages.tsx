// The stages of a deal's pipeline as steps; choosing one moves the deal there. Below, when it
// entered each stage and who moved it. A move to a lost stage asks why first (LostReason.tsx).
import { RightOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Card, Collapse, Grid, Select, Steps, Timeline } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import { keys, usePipelines, useStageHistory } from '../../api/queries';
import type { AnyRecord, Deal } from '../../api/types';
import { useFormat } from '../../i18n/useFormat';
import { UserName } from '../../components/RefLabel';
import { isLostReasonRefusal, useLostReason } from './LostReason';
import { moveDeal } from './moveDeal';

export function DealStages({ deal, canEdit }: { deal: AnyRecord; canEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data: pipelines } = usePipelines();
  const history = useStageHistory(deal.id);
  const [busy, setBusy] = useState(false);
  const lostReason = useLostReason();
  // On a phone six step titles in a row are cut mid-word: show where the deal is in words, with
  // a bar of the stages, and move it with the select below.
  const narrow = !Grid.useBreakpoint().sm;
  const pipeline = pipelines?.find((p) => p.id === deal.pipeline_id);
  if (!pipeline) return null;
  const stages = pipeline.stages;
  const current = stages.findIndex((s) => s.id === deal.stage_id);
  const stageName = (id: string | null) => stages.find((s) => s.id === id)?.name ?? '—';

  const move = async (stageId: string) => {
    if (stageId === deal.stage_id) return;
    const reason = await lostReason.ask(deal as unknown as Deal, stageId, pipeline);
    if (reason === 'cancelled') return;
    setBusy(true);
    try {
      const updated = await moveDeal(deal as unknown as Deal, stageId, reason);
      queryClient.setQueryData(keys.record('deals', deal.id), updated);
      void queryClient.invalidateQueries({ queryKey: keys.history('deals', deal.id) });
      void queryClient.invalidateQueries({ queryKey: ['stage-history', deal.id] });
      void queryClient.invalidateQueries({ queryKey: keys.listAll('deals') });
      void message.success(t('board.moved', { stage: stageName(stageId) }));
    } catch (e) {
      if (e instanceof ApiError && e.isConflict) void queryClient.invalidateQueries({ queryKey: keys.record('deals', deal.id) });
      if (isLostReasonRefusal(e)) void queryClient.invalidateQueries({ queryKey: keys.pipelines });
      void message.error(isLostReasonRefusal(e) ? t('board.lostReasonRequired') : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" style={{ marginBottom: 12 }} title={pipeline.name}>
      {lostReason.dialog}
      {narrow ? (
        <div className="stage-compact" data-testid="stage-compact">
          <div className="stage-bar" aria-hidden="true">
            {stages.map((st, i) => (
              <span key={st.id} className={i < current ? 'passed' : i === current ? (st.is_lost ? 'lost' : st.is_won ? 'won' : 'current') : ''} />
            ))}
          </div>
          <div>
            {t('record.stageOf', { n: current + 1, total: stages.length, name: stages[current]?.name ?? '—', probability: stages[current]?.probability ?? 0 })}
          </div>
        </div>
      ) : (
      <div style={{ overflowX: 'auto' }}>
        <Steps
          size="small"
          current={current}
          status={stages[current]?.is_lost ? 'error' : stages[current]?.is_won ? 'finish' : 'process'}
          onChange={canEdit && !busy ? (i) => void move(stages[i]!.id!) : undefined}
          items={stages.map((s) => ({ title: s.name, description: `${s.probability ?? 0}%` }))}
          responsive={false}
          style={{ minWidth: stages.length * 120 }}
        />
      </div>
      )}
      {canEdit && (
        <Select
          style={{ marginTop: 8, minWidth: 200 }}
          aria-label={t('board.moveTo')}
          value={deal.stage_id as string}
          disabled={busy}
          onChange={(v: string) => void move(v)}
          options={stages.map((s) => ({ value: s.id!, label: s.name }))}
          data-testid="deal-stage-select"
        />
      )}
      {(history.data?.length ?? 0) > 0 && (
        <Collapse
          ghost
          // The default arrow is labelled "expanded" / "collapsed" in English; the header already
          // says so to screen readers (aria-expanded).
          expandIcon={({ isActive }) => <RightOutlined rotate={isActive ? 90 : 0} />}
          size="small"
          style={{ marginTop: 8 }}
          items={[{
            key: 'h',
            label: t('record.stageHistory'),
            children: (
              <Timeline
                items={(history.data ?? []).map((h, i) => ({
                  key: i,
                  children: (
                    <span>
                      {t('record.fromTo', { from: stageName(h.from_stage_id), to: stageName(h.to_stage_id) })}
                      <span className="timeline-meta"> · {fmt.dateTime(h.at)} · <UserName id={h.user_id} /></span>
                    </span>
                  ),
                }))}
              />
            ),
          }]}
        />
      )}
    </Card>
  );
}
