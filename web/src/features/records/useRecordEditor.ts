// Saving edits to one record: PATCH only the changed fields with If-Match; a 412 opens the
// conflict choice with both versions; a 422 puts each error on its field; a network failure
// keeps the form as typed and offers to retry. With the server away, the change is kept on the
// device and sent by the sync (sync/localApi.ts): the save says so.
import { useQueryClient } from '@tanstack/react-query';
import { App, type FormInstance } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isLocalAnswer } from '../../api/client';
import { ApiError } from '../../api/errors';
import { keys } from '../../api/queries';
import type { AnyRecord, EntityName } from '../../api/types';
import { diffPatch, keepMine, patchToBody, type Patch } from '../../lib/conflict';
import { applyServerErrors, flattenValues } from '../../lib/formValues';

export interface Conflict {
  patch: Patch;
  base: AnyRecord; // the version the user edited
  theirs: AnyRecord; // the version saved now
}

export function useRecordEditor(entity: EntityName, record: AnyRecord | undefined, form: FormInstance, shownFields: Set<string>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [touched, setTouched] = useState(false); // a field was changed since editing began

  const saved = useCallback(
    (updated: AnyRecord) => {
      queryClient.setQueryData(keys.record(entity, updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: keys.history(entity, updated.id) });
      void queryClient.invalidateQueries({ queryKey: keys.listAll(entity) });
      // A deal's stage history, keyed by the record's id alone (nothing else has one: a no-op there).
      void queryClient.invalidateQueries({ queryKey: ['stage-history', updated.id] });
      setEditing(false);
      setConflict(null);
      setError(null);
      setUnplaced([]);
      setTouched(false);
    },
    [entity, queryClient],
  );

  const send = useCallback(
    async (body: Record<string, unknown>, version: number, patch: Patch, base: AnyRecord) => {
      setSaving(true);
      setError(null);
      setUnplaced([]);
      try {
        const updated = await api.patch<AnyRecord>(`/api/v1/${entity}/${base.id}`, body, { version });
        saved(updated);
        if (isLocalAnswer(updated)) {
          void message.warning(t('network.queued'));
          return false; // said instead of "Saved"
        }
        return true;
      } catch (e) {
        if (e instanceof ApiError && e.isConflict) {
          const theirs = e.current ?? (await api.get<AnyRecord>(`/api/v1/${entity}/${base.id}`));
          setConflict({ patch, base, theirs });
        } else if (e instanceof ApiError && e.status === 422) {
          setUnplaced(applyServerErrors(form, e, shownFields));
          if (conflict) setConflict(null); // back to the form, where the errors are shown
        } else setError(e);
        return false;
      } finally {
        setSaving(false);
      }
    },
    [entity, form, saved, shownFields, conflict, message, t],
  );

  const save = useCallback(async () => {
    if (!record) return;
    let values: Record<string, unknown>;
    try {
      values = (await form.validateFields()) as Record<string, unknown>;
    } catch {
      return; // the form shows what is missing
    }
    const patch = diffPatch(record, flattenValues(values));
    if (Object.keys(patch).length === 0) {
      setEditing(false);
      return;
    }
    if (await send(patchToBody(patch, record.custom), record.version, patch, record)) void message.success(t('record.saved'));
  }, [record, form, send, message, t]);

  const resolveKeepMine = useCallback(async () => {
    if (!conflict) return;
    const { body, version } = keepMine(conflict.patch, conflict.theirs);
    // A third change in between raises a new conflict against the newer version.
    if (await send(body, version, conflict.patch, conflict.theirs)) void message.success(t('conflict.keptMine'));
  }, [conflict, send, message, t]);

  const resolveTakeTheirs = useCallback(() => {
    if (!conflict) return;
    saved(conflict.theirs);
    form.resetFields();
    void message.info(t('conflict.tookTheirs'));
  }, [conflict, saved, form, message, t]);

  return {
    editing,
    // Changes the server has not received: asked about before leaving the page.
    unsent: editing && (touched || !!error || !!conflict),
    markTouched: () => setTouched(true),
    startEditing: () => {
      setEditing(true);
      setError(null);
      setUnplaced([]);
      setTouched(false);
    },
    cancel: () => {
      setEditing(false);
      setError(null);
      setUnplaced([]);
      setTouched(false);
      form.resetFields();
    },
    saving,
    error,
    unplaced,
    save,
    conflict,
    resolveKeepMine,
    resolveTakeTheirs,
  };
}
