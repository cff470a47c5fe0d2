import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed client from the published SDL (schema/) and the operations written in this repo.
 * `npm run codegen` regenerates src/client/generated/; other repos point `schema` at the
 * gateway's schema/schema.graphql (or its URL) and their own documents.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/support/documents.ts'],
  ignoreNoDocuments: false,
  // ESM under NodeNext needs explicit extensions on the generated relative imports.
  importExtension: '.js',
  generates: {
    'src/client/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Decimal: 'string', DateTime: 'string', Date: 'string', URL: 'string', JSON: 'unknown', SafeInt: 'number' },
      },
    },
  },
};

export default config;
