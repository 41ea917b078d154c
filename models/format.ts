/** Numbers, dollars and aligned text tables for the reports of bench/ and `roomcast cost`. */

export function formatNumber(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toLocaleString('en-US', { maximumSignificantDigits: 3 });
}

export function formatUsd(value: number | null): string {
  if (value === null) return '-';
  // Two significant digits for fractions of a cent.
  if (value !== 0 && Math.abs(value) < 0.01) return `$${value.toFixed(Math.min(20, 1 - Math.floor(Math.log10(Math.abs(value)))))}`;
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A unit price as published: all its digits, and at least cents (`$0.0000133334`, `$1.00`). */
export function formatPrice(usd: number): string {
  const decimals = String(usd).split('.')[1]?.length ?? 0;
  return `$${usd.toFixed(Math.max(2, decimals))}`;
}

export function table(rows: string[][], rightAligned: readonly number[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (rightAligned.includes(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd());
}
