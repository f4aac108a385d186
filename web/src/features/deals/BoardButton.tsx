// On the deals list's header: the way to the pipeline board.
import { UnorderedListOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

export function BoardButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return <Button icon={<UnorderedListOutlined />} onClick={() => navigate('/deals/board')}>{t('board.board')}</Button>;
}
