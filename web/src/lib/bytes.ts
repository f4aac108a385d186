// File sizes for people.

// 1536 -> "1.5 KB", in the viewer's number format (powers of 1024, as file managers show them).
export function formatBytes(n: number, number: (n: number) => string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${number(i === 0 ? v : Math.round(v * 10) / 10)} ${units[i]}`;
}
