// The stages of a deal's pipeline as steps; choosing one moves the deal there. Below, when it
// entered each stage and who moved it.
import { useQueryClient } from '@tanstack/react-query';
import { App, Card, Collapse, Select, Steps, Timeline } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import { keys, usePipelines, useStageHistory } from '../../api/queries';
import type { AnyRecord, Deal } from '../../api/types';
import { useFormat } from '../../i18n/useFormat';
import { UserName } from '../records/RefLabel';
import { moveDeal } from './moveDeal';

export function DealStages({ deal, canEdit }: { deal: AnyRecord; canEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data: pipelines } = usePipelines();
  const history = useStageHistory(deal.id);
  const [busy, setBusy] = useState(false);
  const pipeline = pipelines?.find((p) => p.id === deal.pipeline_id);
  if (!pipeline) return null;
  const stages = pipeline.stages;
  const current = stages.findIndex((s) => s.id === deal.stage_id);
  const stageName = (id: string | null) => stages.find((s) => s.id === id)?.name ?? '—';

  const move = async (stageId: string) => {
    if (stageId === deal.stage_id) return;
    setBusy(true);
    try {
      const updated = await moveDeal(deal as unknown as Deal, stageId);
      queryClient.setQueryData(keys.record('deals', deal.id), updated);
      void queryClient.invalidateQueries({ queryKey: keys.history('deals', deal.id) });
      void queryClient.invalidateQueries({ queryKey: ['stage-history', deal.id] });
      void queryClient.invalidateQueries({ queryKey: keys.listAll('deals') });
      void message.success(t('board.moved', { stage: stageName(stageId) }));
    } catch (e) {
      if (e instanceof ApiError && e.isConflict) void queryClient.invalidateQueries({ queryKey: keys.record('deals', deal.id) });
      void message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" style={{ marginBottom: 12 }} title={pipeline.name}>
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
