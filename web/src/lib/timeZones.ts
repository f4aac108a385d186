// Time zones for pickers: every IANA zone the browser knows, labelled for people with the
// current UTC offset, the city and the zone's name in the user's language ("UTC+08:00 · 上海 ·
// 中国标准时间"), sorted by offset; the common ones first. Searching matches any part of the label
// and the IANA name itself.
const COMMON = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'UTC'];

// Intl names zones ("China Standard Time", "中国标准时间") but not their cities; Chinese names of
// the cities people here pick most. Other cities are shown as the IANA name spells them.
const ZH_CITIES: Record<string, string> = {
  'Asia/Shanghai': '上海', 'Asia/Urumqi': '乌鲁木齐', 'Asia/Hong_Kong': '香港', 'Asia/Macau': '澳门', 'Asia/Taipei': '台北',
  'Asia/Singapore': '新加坡', 'Asia/Tokyo': '东京', 'Asia/Seoul': '首尔', 'Asia/Bangkok': '曼谷', 'Asia/Kuala_Lumpur': '吉隆坡',
  'Asia/Jakarta': '雅加达', 'Asia/Manila': '马尼拉', 'Asia/Ho_Chi_Minh': '胡志明市', 'Asia/Kolkata': '加尔各答', 'Asia/Dubai': '迪拜',
  'Asia/Karachi': '卡拉奇', 'Asia/Almaty': '阿拉木图', 'Asia/Yangon': '仰光', 'Asia/Dhaka': '达卡', 'Asia/Kathmandu': '加德满都',
  'Asia/Riyadh': '利雅得', 'Asia/Tehran': '德黑兰', 'Asia/Jerusalem': '耶路撒冷', 'Europe/Istanbul': '伊斯坦布尔',
  'Europe/London': '伦敦', 'Europe/Paris': '巴黎', 'Europe/Berlin': '柏林', 'Europe/Madrid': '马德里', 'Europe/Rome': '罗马',
  'Europe/Amsterdam': '阿姆斯特丹', 'Europe/Zurich': '苏黎世', 'Europe/Stockholm': '斯德哥尔摩', 'Europe/Moscow': '莫斯科',
  'Europe/Kyiv': '基辅', 'Europe/Warsaw': '华沙', 'Europe/Athens': '雅典', 'Africa/Cairo': '开罗', 'Africa/Johannesburg': '约翰内斯堡',
  'Africa/Lagos': '拉各斯', 'Africa/Nairobi': '内罗毕', 'America/New_York': '纽约', 'America/Chicago': '芝加哥',
  'America/Denver': '丹佛', 'America/Phoenix': '凤凰城', 'America/Los_Angeles': '洛杉矶', 'America/Anchorage': '安克雷奇',
  'America/Toronto': '多伦多', 'America/Vancouver': '温哥华', 'America/Mexico_City': '墨西哥城', 'America/Sao_Paulo': '圣保罗',
  'America/Argentina/Buenos_Aires': '布宜诺斯艾利斯', 'America/Bogota': '波哥大', 'America/Lima': '利马', 'America/Santiago': '圣地亚哥',
  'Pacific/Honolulu': '檀香山', 'Pacific/Auckland': '奥克兰', 'Australia/Sydney': '悉尼', 'Australia/Melbourne': '墨尔本',
  'Australia/Brisbane': '布里斯班', 'Australia/Perth': '珀斯', 'Australia/Adelaide': '阿德莱德',
};

export interface TimeZoneOption {
  value: string; // the IANA name, as saved
  label: string;
  offsetMinutes: number;
  search: string; // lower-case text that searching matches
}

function partOf(zone: string, locale: string, style: 'longOffset' | 'longGeneric', at: Date): string {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style }).formatToParts(at);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

// "GMT+05:30" → 330; "GMT" → 0.
export function offsetMinutes(longOffset: string): number {
  const m = /([+-−])(\d{1,2})(?::?(\d{2}))?/.exec(longOffset);
  if (!m) return 0;
  const sign = m[1] === '+' ? 1 : -1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const a = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

export function cityName(zone: string, locale: string): string {
  if (locale.startsWith('zh') && ZH_CITIES[zone]) return ZH_CITIES[zone];
  const last = zone.split('/').pop() ?? zone;
  return last.replace(/_/g, ' ');
}

export function timeZoneOption(zone: string, locale: string, at: Date = new Date()): TimeZoneOption {
  const minutes = offsetMinutes(partOf(zone, locale, 'longOffset', at));
  const offset = formatOffset(minutes);
  if (zone === 'UTC' || zone === 'Etc/UTC') {
    const label = `${offset} · ${locale.startsWith('zh') ? '协调世界时' : 'Coordinated Universal Time'}`;
    return { value: zone, label, offsetMinutes: 0, search: `${label} ${zone}`.toLowerCase() };
  }
  const city = cityName(zone, locale);
  const generic = partOf(zone, locale, 'longGeneric', at);
  // A zone Intl has no name for comes back as its offset ("GMT+03:00"): shown once, not twice.
  const named = generic && !/^(GMT|UTC)([+-−]|$)/.test(generic) ? generic : '';
  const label = [offset, city, named].filter(Boolean).join(' · ');
  return { value: zone, label, offsetMinutes: minutes, search: `${label} ${zone} ${zone.replace(/_/g, ' ')}`.toLowerCase() };
}

export function timeZoneOptions(locale: string, at: Date = new Date()): TimeZoneOption[] {
  let all: string[] = [];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    all = [];
  }
  const common = COMMON.map((z) => timeZoneOption(z, locale, at));
  const rest = all
    .filter((z) => !COMMON.includes(z))
    .map((z) => timeZoneOption(z, locale, at))
    .sort((a, b) => a.offsetMinutes - b.offsetMinutes || a.label.localeCompare(b.label, locale));
  return [...common, ...rest];
}

// For Select's filterOption: every typed word must appear somewhere in the option's text.
export function timeZoneMatches(input: string, option: { search?: string } | undefined): boolean {
  const words = input.toLowerCase().trim().split(/\s+/).filter(Boolean);
  const text = option?.search ?? '';
  return words.every((w) => text.includes(w));
}
