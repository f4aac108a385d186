// Asking why a deal was lost when it is moved to a lost stage, wherever it is moved from (the
// record page's steps and stage select, the board's drag and its "Move to stage" menu). The
// reason is optional unless the pipeline requires it (require_lost_reason, which the server
// enforces too: a move without one is 422 on lost_reason).
import { Form, Input, Modal } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import type { Deal, Pipeline, Stage } from '../../api/types';

export const LOST_REASON_MAX = 500; // the server's limit (domain/entities.cc)

// What the move sends: nothing extra (not a lost stage), or the reason typed (null for none).
export type LostReasonAnswer = { lost_reason?: string | null } | 'cancelled';

interface Question {
  deal: Pick<Deal, 'name' | 'lost_reason'>;
  stage: Stage;
  required: boolean;
  answer: (a: LostReasonAnswer) => void;
}

// Whether a failed move was refused for want of a reason (the pipeline's setting was turned on
// after the app last read it): the caller says so in those words.
export function isLostReasonRefusal(e: unknown): boolean {
  return e instanceof ApiError && e.fieldErrors.some((f) => f.field === 'lost_reason');
}

// ask(deal, stageId, pipeline) resolves at once with {} for a stage that is not lost; for a lost
// one it opens the dialog and resolves with the reason, or 'cancelled' when the user keeps the
// deal where it is. Render `dialog` once in the component that calls ask.
export function useLostReason() {
  const [question, setQuestion] = useState<Question | null>(null);
  const ask = useCallback(
    (deal: Question['deal'], stageId: string, pipeline: Pick<Pipeline, 'stages' | 'require_lost_reason'> | undefined) => {
      const stage = pipeline?.stages.find((s) => s.id === stageId);
      if (!stage?.is_lost) return Promise.resolve<LostReasonAnswer>({});
      return new Promise<LostReasonAnswer>((resolve) =>
        setQuestion({ deal, stage, required: !!pipeline?.require_lost_reason, answer: resolve }),
      );
    },
    [],
  );
  const close = (a: LostReasonAnswer) => {
    question?.answer(a);
    setQuestion(null);
  };
  return { ask, dialog: <LostReasonDialog question={question} onAnswer={close} /> };
}

function LostReasonDialog({ question, onAnswer }: { question: Question | null; onAnswer: (a: LostReasonAnswer) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  // A new question starts from the reason the deal already has (lost before, reopened).
  useEffect(() => {
    if (!question) return;
    form.resetFields();
    form.setFieldsValue({ reason: question.deal.lost_reason ?? '' });
  }, [question, form]);
  const confirm = async () => {
    try {
      const { reason } = await form.validateFields();
      onAnswer({ lost_reason: reason?.trim() ? reason.trim() : null });
    } catch {
      // the form shows what is missing
    }
  };
  return (
    <Modal
      open={!!question}
      title={question ? t('board.lostTitle', { deal: question.deal.name, stage: question.stage.name }) : ''}
      okText={t('board.lostConfirm')}
      cancelText={t('record.cancel')}
      onOk={() => void confirm()}
      onCancel={() => onAnswer('cancelled')}
      okButtonProps={{ 'data-testid': 'lost-reason-confirm' } as Record<string, string>}
      forceRender
      destroyOnClose={false}
    >
      <Form form={form} layout="vertical" noValidate onFinish={() => void confirm()} data-testid="lost-reason-form">
        <Form.Item
          name="reason"
          label={t('board.lostReason')}
          extra={question?.required ? t('board.lostReasonRequired') : undefined}
          rules={question?.required ? [{ required: true, whitespace: true, message: t('board.lostReasonRequired') }] : []}
        >
          <Input.TextArea
            autoFocus
            maxLength={LOST_REASON_MAX}
            autoSize={{ minRows: 2, maxRows: 6 }}
            placeholder={question?.required ? undefined : t('board.lostReasonHint')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
