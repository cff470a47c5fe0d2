/**
 * Writes the schema the code builds to schema/schema.graphql (the published SDL clients and
 * codegen read). With --check it writes nothing and fails when the committed file differs,
 * so the SDL can never drift from the code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

const target = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));
const printed = `${printSchema(lexicographicSortSchema(schema))}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing counts as drift
  }
  if (committed !== printed) {
    console.error('schema/schema.graphql differs from the schema the code builds: run `npm run schema:print` and commit it.');
    process.exit(1);
  }
  console.log('schema/schema.graphql matches the code.');
} else {
  writeFileSync(target, printed);
  console.log(`wrote ${target}`);
}
