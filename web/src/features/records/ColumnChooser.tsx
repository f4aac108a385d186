// Which columns a list shows; the choice is remembered per list on this device.
import { SettingOutlined } from '@ant-design/icons';
import { Button, Checkbox, Popover } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DISPLAY } from '../../api/entities';
import type { EntityMeta } from '../../api/meta';
import type { EntityName } from '../../api/types';
import { useEntityMeta } from '../../components/MetaProvider';
import { fieldLabel } from '../../i18n/labels';

const HIDDEN = new Set(['description', 'body', 'notes', 'items', 'stages', 'related_id', 'first_name', 'last_name']);

export function availableColumns(meta: EntityMeta): { key: string; label: string }[] {
  const entity = meta.name;
  return [
    ...meta.fields.filter((f) => !HIDDEN.has(f.name)).map((f) => ({ key: f.name, label: fieldLabel(entity, f.name) })),
    ...meta.systemColumns.map((f) => ({ key: f.name, label: fieldLabel(entity, f.name) })),
    ...meta.custom.map((d) => ({ key: `custom.${d.name}`, label: d.label })),
  ];
}

const storageKey = (entity: string) => `keel.columns.${entity}`;

export function useColumnChoice(entity: EntityName): [string[], (c: string[]) => void] {
  const [cols, setCols] = useState<string[]>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey(entity)) ?? 'null') as unknown;
      if (Array.isArray(saved) && saved.every((x) => typeof x === 'string') && saved.length > 0) return saved as string[];
    } catch {
      /* fall back to the defaults */
    }
    return DISPLAY[entity].columns;
  });
  const save = (c: string[]) => {
    setCols(c);
    try {
      localStorage.setItem(storageKey(entity), JSON.stringify(c));
    } catch {
      /* the choice still applies until reload */
    }
  };
  return [cols, save];
}

export function ColumnChooser({ entity, value, onChange }: { entity: EntityName; value: string[]; onChange: (c: string[]) => void }) {
  const { t } = useTranslation();
  const meta = useEntityMeta(entity);
  const all = availableColumns(meta);
  const title = meta.titleField;
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={t('list.columns')}
      content={
        <div style={{ display: 'grid', gap: 4, maxHeight: 360, overflowY: 'auto' }}>
          {all.map((c) => (
            <Checkbox
              key={c.key}
              checked={value.includes(c.key) || c.key === title}
              disabled={c.key === title}
              onChange={(e) =>
                onChange(e.target.checked ? all.map((x) => x.key).filter((k) => k === c.key || value.includes(k)) : value.filter((k) => k !== c.key))
              }
            >
              {c.label}
            </Checkbox>
          ))}
        </div>
      }
    >
      <Button icon={<SettingOutlined />} data-testid="column-chooser">{t('list.columns')}</Button>
    </Popover>
  );
}
