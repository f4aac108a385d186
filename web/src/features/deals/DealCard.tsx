// A deal on the board: draggable with a mouse, and movable from its "Move to stage" menu with
// a keyboard or on a touch screen (where HTML drag and drop does not exist).
import { SwapOutlined } from '@ant-design/icons';
import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Deal, Stage } from '../../api/types';
import { useFormat } from '../../i18n/useFormat';
import { MenuButton } from '../../components/MenuButton';
import { RefLabel, UserName } from '../../components/RefLabel';

export function DealCard({ deal, stages, canMove, onMove, onDragStart }: {
  deal: Deal;
  stages: Stage[];
  canMove: boolean;
  onMove: (stageId: string) => void;
  onDragStart: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Card
      size="small"
      className="board-card"
      draggable={canMove}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', deal.id);
        e.dataTransfer.effectAllowed = 'move';
        onDragStart();
      }}
      data-testid="deal-card"
      data-deal-id={deal.id}
      styles={{ body: { padding: 10 } }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 4 }}>
        <Link to={`/deals/${deal.id}`} style={{ fontWeight: 500, wordBreak: 'break-word' }}>{deal.name}</Link>
        {canMove && (
          <MenuButton
            label={`${t('board.moveTo')}: ${deal.name}`}
            icon={<SwapOutlined />}
            items={stages.filter((s) => s.id !== deal.stage_id).map((s) => ({ key: s.id!, label: s.name }))}
            onChoose={onMove}
            testId="move-deal"
          />
        )}
      </div>
      {deal.account_id && <div className="muted" style={{ fontSize: 12 }}><RefLabel entity="accounts" id={deal.account_id} link={false} /></div>}
      <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 4, fontSize: 12, marginTop: 4 }}>
        <strong style={{ fontVariantNumeric: 'tabular-nums' }}>{fmt.money(deal.amount_minor, deal.currency)}</strong>
        <span className="muted">{fmt.date(deal.expected_close_date)}</span>
      </div>
      <div className="muted" style={{ fontSize: 12 }}><UserName id={deal.owner_id} /></div>
    </Card>
  );
}
