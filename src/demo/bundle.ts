import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./app/main.ts', import.meta.url));

/**
 * Bundles the demo app (TypeScript, the generated typed documents, graphql-ws's browser client)
 * into one ES module, in memory: nothing is written into the repo, nothing comes from a CDN.
 */
export async function bundleDemoApp(): Promise<string> {
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
