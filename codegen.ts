import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed client from the published SDL (schema/) and the operations written in this repo.
 * `npm run codegen` regenerates src/client/generated/; other repos point `schema` at the
 * gateway's schema/schema.graphql (or its URL) and their own documents.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  // The shop frontend's operations (demo page, examples) and the tests' back-office operations.
  documents: ['src/client/operations.ts', 'test/support/documents.ts'],
  ignoreNoDocuments: false,
  // ESM under NodeNext needs explicit extensions on the generated relative imports.
  importExtension: '.js',
  generates: {
    'src/client/generated/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // persisted-documents.json (hash -> document) for PERSISTED_OPERATIONS; sha256 because
        // the wire format (Apollo's `extensions.persistedQuery.sha256Hash`) names it.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // TypedDocumentString: serialises as the query text, needs no graphql-js in a browser.
        documentMode: 'string',
        scalars: { Decimal: 'string', DateTime: 'string', Date: 'string', URL: 'string', JSON: 'unknown', SafeInt: 'number' },
      },
    },
  },
};

export default config;
