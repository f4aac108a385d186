// A searchable time zone picker: offset, city and zone name in the user's language
// (lib/timeZones.ts); saves the IANA name.
import { Select, type SelectProps } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { timeZoneMatches, timeZoneOption, timeZoneOptions } from '../lib/timeZones';

export function TimeZoneSelect({ value, ...rest }: Omit<SelectProps<string>, 'options' | 'showSearch' | 'filterOption'>) {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  const options = useMemo(() => {
    const all = timeZoneOptions(locale);
    // A saved zone this browser does not list (an alias such as Etc/UTC) is still shown.
    return value && !all.some((o) => o.value === value) ? [timeZoneOption(value, locale), ...all] : all;
  }, [locale, value]);
  return (
    <Select<string>
      showSearch
      value={value}
      options={options}
      filterOption={(input, option) => timeZoneMatches(input, option as { search?: string } | undefined)}
      popupMatchSelectWidth={false}
      {...rest}
    />
  );
}
