import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The app's sources: beside this file when the gateway runs from src/ (tsx), under src/ when it
 * runs as the bundle `npm run build` writes to dist/ (which keeps src/ beside it, as the image does).
 */
const ENTRY = ['./app/main.ts', '../src/demo/app/main.ts']
  .map((path) => fileURLToPath(new URL(path, import.meta.url)))
  .find((path) => existsSync(path));

/**
 * Bundles the demo app (TypeScript, the generated typed documents, graphql-ws's browser client)
 * into one ES module, in memory: nothing is written into the repo, nothing comes from a CDN.
 */
export async function bundleDemoApp(): Promise<string> {
  if (!ENTRY) throw new Error('the demo app sources (src/demo/app/main.ts) are missing');
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for the demo app');
  return output.text;
}
