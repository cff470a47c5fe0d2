/** Prints rows as an aligned Markdown table (pastes straight into the README). */
export function printTable(title: string, rows: Record<string, string | number | boolean | null | undefined>[]): void {
  console.log(`\n### ${title}\n`);
  console.log(markdownTable(rows));
}

export function markdownTable(rows: Record<string, string | number | boolean | null | undefined>[]): string {
  const first = rows[0];
  if (!first) return '(no rows)';
  const columns = Object.keys(first);
  const cell = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values: string[]): string => `| ${values.map((value, i) => value.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...rows.map((row) => line(columns.map((column) => cell(row[column]))))].join('\n');
}
