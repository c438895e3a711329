// Byte counts for people, in binary units: "512 B", "1.5 KiB", "143 MiB", "2.1 GiB".

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** One decimal below 10 of a unit, none above ("9.5 GiB", "143 MiB"); whole bytes always. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // 1023.96 KiB rounds to "1024 KiB": say 1.0 MiB instead.
  if (value >= 1023.5 && unit < UNITS.length - 1) return `1.0 ${UNITS[unit + 1]}`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}
