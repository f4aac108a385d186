import { FileTextOutlined, MailOutlined, PhoneOutlined, TeamOutlined } from '@ant-design/icons';
import type { ActivityType } from '../api/types';

export const ACTIVITY_ICON: Record<ActivityType, JSX.Element> = {
  call: <PhoneOutlined aria-hidden />,
  meeting: <TeamOutlined aria-hidden />,
  note: <FileTextOutlined aria-hidden />,
  email: <MailOutlined aria-hidden />,
};
