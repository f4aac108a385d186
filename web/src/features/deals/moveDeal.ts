// Moving a deal to another stage: PATCH stage_id with If-Match, so a deal someone else just
// changed is not moved blindly (the caller shows the conflict and the fresh state).
import { api } from '../../api/client';
import type { Deal } from '../../api/types';

// `extra` carries the lost reason when the stage is a lost one (LostReason.tsx).
export function moveDeal(deal: Pick<Deal, 'id' | 'version'>, stageId: string, extra: { lost_reason?: string | null } = {}): Promise<Deal> {
  return api.patch<Deal>(`/api/v1/deals/${deal.id}`, { stage_id: stageId, ...extra }, { version: deal.version });
}
