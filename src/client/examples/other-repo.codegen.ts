/**
 * README example: the codegen.ts another repo (a shop's frontend) uses to generate its own typed
 * client from the gateway's published SDL. Copy it, install `@graphql-codegen/cli` and
 * `@graphql-codegen/client-preset`, and run `npx graphql-codegen`. test/client/examples.test.ts
 * generates with exactly this output configuration, from the SDL file and from a running gateway.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  // The gateway's schema/schema.graphql, copied or fetched from its repo; or a running gateway's
  // URL (introspection), e.g. 'http://localhost:4000/graphql'.
  schema: 'schema/schema.graphql',
  // Your operations, written with the generated `graphql()` function.
  documents: ['src/**/*.ts', '!src/gql/**'],
  // An ESM project under TypeScript's NodeNext resolution needs explicit extensions on the
  // generated relative imports (`./graphql.js`); harmless under a bundler.
  importExtension: '.js',
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // Writes src/gql/persisted-documents.json for a gateway with PERSISTED_OPERATIONS on.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        // TypedDocumentString: a typed string, no graphql-js in the browser bundle.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { Decimal: 'string', DateTime: 'string', Date: 'string', URL: 'string', JSON: 'unknown', SafeInt: 'number' },
      },
    },
  },
};

export default config;
