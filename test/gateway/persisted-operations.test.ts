/**
 * Trusted documents: with PERSISTED_OPERATIONS=require only the documents codegen put into the
 * manifest run (sent by hash), over HTTP and graphql-ws; with `allow` hashes run beside plain
 * documents; `off` (the default) ignores hashes. The manifest is the generated one, so these
 * tests also prove that the committed client and the manifest agree.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { TypedDocumentString } from '../../src/client/generated/graphql.js';
import { CHECKOUT_CREATE_ORDER, CHECKOUT_ORDER } from '../../src/client/operations.js';
import { loadConfig } from '../../src/config.js';
import { CREATE_ORDER, WATCH_ORDER } from '../support/documents.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk, subscribe } from '../support/graphql.js';
import { intergiroLinkOrder, intergiroOrderCount } from '../support/intergiro.js';

const linkOrder = intergiroLinkOrder('12.00');

const UNKNOWN_HASH = `sha256:${'0'.repeat(64)}`;
const hashOf = (document: { __meta__?: Record<string, unknown> }): string => document.__meta__?.['hash'] as string;

/** A hash-only request with any hash (the helpers only send the documents' own); null sends none. */
async function byHash(gateway: Gateway, hash: string | null, variables: Record<string, unknown>, token: string) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ variables, ...(hash === null ? {} : { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }) }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, any> | null; errors?: { extensions?: Record<string, unknown> }[] } };
}

describe('persisted operations', () => {
  let env: TestEnvironment;
  let strict: Gateway;
  let lenient: Gateway;
  let open: Gateway;
  let shop: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    [strict, lenient, open] = await Promise.all([
      env.startGateway({ persistedOperations: { mode: 'require' } }),
      env.startGateway({ persistedOperations: { mode: 'allow' } }),
      env.startGateway(),
    ]);
    shop = await tokenFor('orders:create', 'shop-persisted');
  });
  afterAll(() => env.close());

  describe('require', () => {
    it('runs a document from the manifest sent by its hash alone', async () => {
      const created = (await gqlOk(strict.url, CREATE_ORDER, { input: linkOrder }, shop, { persisted: true })).createOrder;
      expect(created).toMatchObject({ provider: 'INTERGIRO', status: 'CREATED', total: { amount: '12.00', currency: 'EUR' } });
      const read = await gqlOk(strict.url, CHECKOUT_ORDER, { id: created.id }, shop, { persisted: true });
      expect(read.order).toMatchObject({ id: created.id, status: 'CREATED' });
    });

    it('takes the hash without its sha256: prefix too (Apollo clients send bare hex)', async () => {
      const bare = hashOf(CHECKOUT_CREATE_ORDER).replace(/^sha256:/, '');
      const answer = await byHash(strict, bare, { input: linkOrder }, shop);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data?.['createOrder']).toMatchObject({ status: 'CREATED' });
    });

    it('refuses a document sent as text, and nothing executes', async () => {
      const before = await intergiroOrderCount(env.intergiro);
      const answer = await gql(strict.url, CREATE_ORDER, { input: linkOrder }, shop);
      expect(answer.status).toBe(400);
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_ONLY' });
      expect(answer.errors?.[0]?.message).toMatch(/only persisted documents/);
      expect(await intergiroOrderCount(env.intergiro)).toBe(before);
    });

    it('refuses an unknown hash, and nothing executes', async () => {
      const before = await intergiroOrderCount(env.intergiro);
      const answer = await byHash(strict, UNKNOWN_HASH, { input: linkOrder }, shop);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_NOT_FOUND' });
      expect(await intergiroOrderCount(env.intergiro)).toBe(before);
    });

    it('refuses a request with neither a document nor a hash', async () => {
      const answer = await byHash(strict, null, {}, shop);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_ID_REQUIRED' });
    });

    it('over graphql-ws: a subscription by hash runs, one sent as text or by an unknown hash is refused', async () => {
      const order = (await gqlOk(strict.url, CREATE_ORDER, { input: linkOrder }, shop, { persisted: true })).createOrder;
      const watch = subscribe(strict.url, shop, WATCH_ORDER, { orderId: order.id }, { persisted: true });
      expect((await watch.next()).orderStatusChanged).toMatchObject({ previousStatus: null, status: 'CREATED' });
      await watch.dispose();

      const text = subscribe(strict.url, shop, WATCH_ORDER, { orderId: order.id });
      await expect(text.done).rejects.toBeDefined();
      expect(text.messages).toEqual([]);
      expect(JSON.stringify(text.errors)).toContain('PERSISTED_QUERY_ONLY');
      await text.dispose();

      const unknown = subscribe(strict.url, shop, new TypedDocumentString('', { hash: UNKNOWN_HASH }), { orderId: order.id }, { persisted: true });
      await expect(unknown.done).rejects.toBeDefined();
      expect(JSON.stringify(unknown.errors)).toContain('PERSISTED_QUERY_NOT_FOUND');
      await unknown.dispose();
    });
  });

  describe('allow', () => {
    it('runs documents by hash and as text, over HTTP and graphql-ws', async () => {
      const byHashOrder = (await gqlOk(lenient.url, CREATE_ORDER, { input: linkOrder }, shop, { persisted: true })).createOrder;
      const asText = (await gqlOk(lenient.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
      expect(byHashOrder.status).toBe('CREATED');
      expect(asText.status).toBe('CREATED');
      const adHoc = await gqlOk(lenient.url, 'query Ad($id: ID!) { order(id: $id) { id } }', { id: asText.id }, shop);
      expect(adHoc.order.id).toBe(asText.id);

      const hashed = subscribe(lenient.url, shop, WATCH_ORDER, { orderId: byHashOrder.id }, { persisted: true });
      const text = subscribe(lenient.url, shop, WATCH_ORDER, { orderId: asText.id });
      expect((await hashed.next()).orderStatusChanged.status).toBe('CREATED');
      expect((await text.next()).orderStatusChanged.status).toBe('CREATED');
      await Promise.all([hashed.dispose(), text.dispose()]);
    });

    it('still refuses an unknown hash', async () => {
      const answer = await byHash(lenient, UNKNOWN_HASH, { input: linkOrder }, shop);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PERSISTED_QUERY_NOT_FOUND' });
    });
  });

  describe('off (the default)', () => {
    it('serves GraphiQL, whose documents are arbitrary', async () => {
      const page = await fetch(`${open.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('GraphiQL');
    });

    it('runs any document and does not look hashes up', async () => {
      expect((await gqlOk(open.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder.status).toBe('CREATED');
      const answer = await byHash(open, hashOf(CHECKOUT_CREATE_ORDER), { input: linkOrder }, shop);
      expect(answer.body.data ?? null).toBeNull();
      expect(answer.body.errors?.length).toBe(1);
    });
  });

  describe('configuration', () => {
    it('takes off, allow or require and names the variable otherwise', () => {
      expect(loadConfig({}).persistedOperations).toEqual({ mode: 'off' });
      expect(loadConfig({ PERSISTED_OPERATIONS: 'require', PERSISTED_OPERATIONS_FILE: '/x.json' }).persistedOperations).toEqual({
        mode: 'require',
        file: '/x.json',
      });
      expect(() => loadConfig({ PERSISTED_OPERATIONS: 'sometimes' })).toThrow(/PERSISTED_OPERATIONS/);
    });

    it('refuses to start without a readable manifest, before listening', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'persisted-'));
      const broken = join(dir, 'manifest.json');
      writeFileSync(broken, '["not", "a", "map"]');
      await expect(env.startGateway({ persistedOperations: { mode: 'require', file: join(dir, 'missing.json') } })).rejects.toThrow(
        /PERSISTED_OPERATIONS_FILE.*missing\.json/,
      );
      await expect(env.startGateway({ persistedOperations: { mode: 'allow', file: broken } })).rejects.toThrow(/PERSISTED_OPERATIONS_FILE/);
    });

    it('runs a custom manifest: only its documents', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'persisted-'));
      const file = join(dir, 'manifest.json');
      writeFileSync(file, JSON.stringify({ 'sha256:custom-1': 'query Mine($id: ID!) { order(id: $id) { id status } }' }));
      const custom = await env.startGateway({ persistedOperations: { mode: 'require', file } });
      const order = (await gqlOk(open.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
      const answer = await byHash(custom, 'sha256:custom-1', { id: order.id }, shop);
      expect(answer.body.data?.['order']).toEqual({ id: order.id, status: 'CREATED' });
      const generated = await gql(custom.url, CREATE_ORDER, { input: linkOrder }, shop, { persisted: true });
      expect(generated.errors?.[0]?.extensions).toMatchObject({ reason: 'PERSISTED_QUERY_NOT_FOUND' });
    });
  });
});
