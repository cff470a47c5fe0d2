/**
 * The README's client examples (src/client/examples/) run against a real gateway, so the README
 * cannot rot: a plain fetch creates and reads an order, graphql-ws watches it turn AUTHORIZED and
 * resumes with `after`, and another repo's codegen config generates a client from the published
 * SDL (the file, and a running gateway's introspection).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { createAndReadOrder } from '../../src/client/examples/create-and-read-order.js';
import ourConfig from '../../codegen.js';
import otherRepoConfig from '../../src/client/examples/other-repo.codegen.js';
import { watchOrder, type StatusChange } from '../../src/client/examples/watch-order.js';
import { allOrders, listen, type OrderUpdate } from '../../src/client/examples/back-office.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { buyerUsesLink } from '../support/intergiro.js';

const run = promisify(execFile);

describe('the README client examples against a running gateway', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let shop: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
    shop = await tokenFor('orders:create', 'shop-examples');
  });
  afterAll(() => env.close());

  it('plain fetch: createOrder then order, typed by the generated documents', async () => {
    const order = await createAndReadOrder(gateway.url, shop);
    expect(order).toMatchObject({ id: expect.stringMatching(/^ord_/), status: 'CREATED', redirectUrl: expect.stringContaining('/link/') });
  });

  it('runs as a script too, as the README shows', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/client/examples/create-and-read-order.ts', gateway.url, shop]);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'CREATED' });
  });

  it('as scripts, a refusal is one line with its code (GraphQL error, or the close code and reason), never a stack', async () => {
    const failing = async (script: string, args: string[]) => {
      const failed = await run(process.execPath, ['--import', 'tsx', `src/client/examples/${script}`, ...args]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed.code).toBe(1);
      expect(failed.stderr.trim().split('\n')).toHaveLength(1);
      expect(failed.stderr).not.toMatch(/\n\s+at |CloseEvent|\[Symbol/);
      return failed.stderr.trim();
    };
    expect(await failing('create-and-read-order.ts', [gateway.url, 'not-a-token'])).toMatch(/^GraphQL error UNAUTHENTICATED: The bearer token is not valid$/);
    const ws = `${gateway.url.replace(/^http/, 'ws')}/graphql`;
    expect(await failing('watch-order.ts', [ws, 'not-a-token', 'ord_x'])).toMatch(/^WebSocket closed with 4401: /);
    const order = await createAndReadOrder(gateway.url, shop);
    const stranger = await tokenFor('orders:create', 'someone-else');
    expect(await failing('watch-order.ts', [ws, stranger, order.id])).toMatch(/^GraphQL error (FORBIDDEN|NOT_FOUND): /);
  });

  it('graphql-ws: the snapshot, then AUTHORIZED when the buyer pays; resuming with `after` replays only what came since', async () => {
    const order = await createAndReadOrder(gateway.url, shop);
    const ws = `${gateway.url.replace(/^http/, 'ws')}/graphql`;
    const seen: StatusChange[] = [];
    const watching = watchOrder({
      url: ws,
      token: shop,
      orderId: order.id,
      onChange: (change) => {
        seen.push(change);
        // Pay once the snapshot has arrived, as a buyer on the link page would.
        if (change.previousStatus === null) void buyerUsesLink(order.redirectUrl!, 'pay');
      },
      until: (change) => change.status === 'AUTHORIZED',
    });
    const last = await watching;
    expect(seen.map((change) => [change.previousStatus, change.status])).toEqual([
      [null, 'CREATED'],
      ['CREATED', 'AUTHORIZED'],
    ]);
    expect(last).toBe(seen[1]!.eventId);

    // Reconnect after the snapshot: only the change since comes again.
    const resumed: StatusChange[] = [];
    await watchOrder({ url: ws, token: shop, orderId: order.id, after: seen[0]!.eventId, onChange: (change) => resumed.push(change), until: () => true });
    expect(resumed.map((change) => change.eventId)).toEqual([seen[1]!.eventId]);
  });

  it('back office: pages through every order, then listens and resumes from its last cursor', async () => {
    const backOffice = await tokenFor('orders:read', 'back-office-examples');
    const made = [await createAndReadOrder(gateway.url, shop), await createAndReadOrder(gateway.url, shop)];
    const listed = await allOrders(gateway.url, backOffice, { provider: 'INTERGIRO' }, 1);
    expect(listed.map((order) => order.id).filter((id) => made.some((order) => order.id === id))).toEqual([made[1]!.id, made[0]!.id]);

    const ws = `${gateway.url.replace(/^http/, 'ws')}/graphql`;
    const start = (await gateway.store.feed.head())!;
    const heard: OrderUpdate[] = [];
    const listening = listen({ url: ws, token: backOffice, after: start, onUpdate: (update) => heard.push(update), until: () => true });
    const third = await createAndReadOrder(gateway.url, shop);
    const cursor = await listening;
    expect(heard.map((update) => update.order.id)).toEqual([third.id]);

    // Disconnected: an order is made meanwhile; the resumed listener hears exactly that one.
    const fourth = await createAndReadOrder(gateway.url, shop);
    const resumed: OrderUpdate[] = [];
    await listen({ url: ws, token: backOffice, after: cursor!, onUpdate: (update) => resumed.push(update), until: () => true });
    expect(resumed.map((update) => [update.order.id, update.status])).toEqual([[fourth.id, 'CREATED']]);
  });

  it("a refused subscription (another visitor's order) is an error with the contract's code", async () => {
    const order = await createAndReadOrder(gateway.url, shop);
    const stranger = await tokenFor('orders:create', 'someone-else');
    const ws = `${gateway.url.replace(/^http/, 'ws')}/graphql`;
    // Another's order is NOT_FOUND, exactly as an unknown id: no one learns which ids exist.
    await expect(watchOrder({ url: ws, token: stranger, orderId: order.id, onChange: () => undefined })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  describe("another repo's codegen config", () => {
    const output = Object.values(otherRepoConfig.generates)[0]!;
    const document = 'query ShopOrder($id: ID!) { order(id: $id) { id status total { amount currency } } }';

    async function generateFrom(schema: string) {
      const files = await generate(
        { schema, documents: [document], generates: { 'out/gql/': output }, silent: true, errorsOnly: true } as never,
        false,
      );
      return new Map((files as { filename: string; content: string }[]).map((file) => [file.filename.replace(/^.*out\/gql\//, ''), file.content]));
    }

    it('generates a typed client from the published SDL file', async () => {
      const files = await generateFrom('schema/schema.graphql');
      expect(files.get('graphql.ts')).toContain('export type ShopOrderQuery = { order: { id: string, status: OrderStatus');
      expect(files.get('graphql.ts')).toContain('TypedDocumentString<ShopOrderQuery, ShopOrderQueryVariables>');
      expect(Object.keys(JSON.parse(files.get('persisted-documents.json')!))[0]).toMatch(/^sha256:[0-9a-f]{64}$/);
    });

    it("generates the same from a running gateway's URL", async () => {
      const fromUrl = await generateFrom(`${gateway.url}/graphql`);
      const fromFile = await generateFrom('schema/schema.graphql');
      expect(fromUrl.get('graphql.ts')).toContain('export type ShopOrderQuery');
      expect(fromUrl.get('persisted-documents.json')).toBe(fromFile.get('persisted-documents.json'));
    });

    it('works as given in a NodeNext ESM project: generate, compile with tsc, run with node', async () => {
      const project = await mkdtemp(join(tmpdir(), 'other-repo-'));
      try {
        const repo = resolve('.');
        await mkdir(join(project, 'schema'));
        await mkdir(join(project, 'src'));
        await symlink(join(repo, 'node_modules'), join(project, 'node_modules'), 'dir');
        await copyFile('schema/schema.graphql', join(project, 'schema/schema.graphql'));
        await copyFile('src/client/examples/other-repo.codegen.ts', join(project, 'codegen.ts'));
        await writeFile(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
        await writeFile(
          join(project, 'tsconfig.json'),
          JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, skipLibCheck: true, outDir: 'dist', rootDir: 'src' }, include: ['src'] }),
        );
        await writeFile(
          join(project, 'src/shop.ts'),
          `import { graphql } from './gql/index.js';\nexport const SHOP_ORDER = graphql(\`${document}\`);\nconsole.log(String(SHOP_ORDER));\n`,
        );
        const bin = (name: string) => join(repo, 'node_modules/.bin', name);
        await run(bin('graphql-codegen'), ['--config', 'codegen.ts', '--silent'], { cwd: project });
        expect(await readFile(join(project, 'src/gql/index.ts'), 'utf8')).toContain('"./gql.js"');
        await run(bin('tsc'), ['-p', '.'], { cwd: project });
        const { stdout } = await run(process.execPath, ['dist/shop.js'], { cwd: project });
        expect(stdout.trim()).toMatch(/^query ShopOrder\(\$id: ID!\) \{\n {2}order\(id: \$id\)/);
      } finally {
        await rm(project, { recursive: true, force: true });
      }
    });

    it('is the output configuration this repo generates its own client with', () => {
      const mine = Object.values(ourConfig.generates)[0] as Record<string, unknown>;
      const theirs = output as Record<string, unknown>;
      expect(theirs['preset']).toBe(mine['preset']);
      expect(theirs['presetConfig']).toEqual(mine['presetConfig']);
      expect(theirs['config']).toEqual(mine['config']);
      expect(otherRepoConfig.importExtension).toBe(ourConfig.importExtension);
    });
  });
});
