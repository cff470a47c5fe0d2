/**
 * Round twenty against the independent Dintero (test/support/independent/dintero-server.ts): every
 * earlier round's variations at once. Nineteen rounds each varied two or three of the server's
 * options with the others at their defaults; here a seeded generator (mulberry32, SEED below)
 * draws 12 combinations, each turning on 4-8 of 34 groups of options that vary how Dintero
 * answers: the token's status and shape and its audience check, a token that dies early (401 or
 * 403); the draft's and completion's answers (ids, order ids, 204), 200 for a create, a draft
 * that must name its order id rule; a session named `session_id`, its page as `checkout_url`,
 * `_links`, relative, or only in its read; drafts and sessions answered 201 with a Location;
 * status words in any case, padded; amounts as strings or major units; ids as numbers or beyond
 * 2^53; capture/refund/void answered 202, 204 or as the operation's own record; marks answered
 * 200/204, refusing a second id or marks out of order; no content type or one with a charset;
 * text or empty error bodies; DECLINED for a decline; `{id, status}` transactions, or events in
 * every spelling rounds six to twelve gave them (amounts omitted, newest first, negative refunds,
 * `success` as text or 1/0, epoch times, `type`, one `reference`, no references, failures in the
 * name or a status field); operations carried out 200-400 ms later (pending, in-progress or
 * `success: null` events); reads from a replica 100-250 ms behind; envelopes; afterRefund;
 * a transaction amount that is what remains; sessions that embed or list their tries; no
 * session read; zero-value and unset times; a session expiry in five forms; strict requests and
 * bodies held to the seed's fields; refusals answered 200; a padded merchant_reference; redirects
 * (308/307 anywhere, 301/302 to a slash, 302 on reads); the callback in every style (GET, POSTed
 * as JSON, a form, a query or the transaction itself; which ids; extras; 1-3 copies; delays; how
 * its query joins the URL), and a transaction readable only once its callback was answered.
 * Each of the 34 groups is in at least one combination; R20_SEED / R20_COUNT draw others.
 *
 * The flows, for each combination, through the gateway's GraphQL API over real HTTP: (a) the
 * session paid (its callback as the combination has it, or found by the poller), AUTHORIZED, the
 * authorization marked once; a partial capture whose answer is lost (502), retried under its key
 * (answered with the order as it stands, then counted once the re-reads show it); the rest
 * captured; a partial refund; each reaching Dintero once, the order's figures those Dintero holds,
 * each marked; (b) a createOrder whose session call fails 503 (its retry under the key is
 * PROVIDER_UNAVAILABLE and sends nothing: Dintero cannot be asked for an order by its reference),
 * one turned away 429 (its retry under the key made once), paid and cancelled (voided once);
 * (c) a payment declined: FAILED, nothing marked. Every order goes through the harness's closing
 * money check. About 45 s on this machine.
 *
 * Found: nothing in the adapter that moves or shows money wrongly under any combination drawn
 * (12 here, and 150 more drawn from four other seeds while exploring). What did not pass first:
 * - The harness polls every minute where a callback comes. A callback that comes before its
 *   transaction can be read (a replica behind, readLagMs; readableAfterCallback, with two or three
 *   copies of it) is answered 401 and the order re-read at once, which the lag also hides, so the
 *   paid order waited for the poller's next turn; a lost answer's re-read likewise. With the
 *   gateway's own defaults (RECONCILE_INTERVAL_MS 2 s, the callback hint's lease; grace 30 s)
 *   each is read again within 2 s: these suites run with them (PRODUCTION_POLLING). A bounded
 *   re-read of a transaction the session names was tried in reconcile.ts and taken out again:
 *   with the defaults it changed nothing a client sees.
 * - Events without references (eventsWithoutReferences) leave a lost capture
 *   `dintero.outcome_unknown`, its mark not made, while the figures read from the events are
 *   Dintero's: the README's assumption row says so (dropped after ten minutes). Tolerated here.
 *
 * Left (the `it.fails` at the end; fixed in round twenty-one, now an `it`): a Dintero with no session read whose transaction cannot be
 * read when its callback comes (readLagMs, readableAfterCallback) and which does not send a
 * refused callback again: the paid order stays CREATED, as nothing else names its transaction.
 * Keeping the callback's transaction id to read later (believed only where the read names the
 * order itself) needs a new kind of fact; not done this round.
 *
 * Excluded from the generator (the server would combine them in a way no real Dintero could, or
 * they change the flow rather than how it is answered): no session read and no callback together
 * (nothing would ever tell anyone of a payment); a transaction readable only once its callback
 * was answered with no callback at all; a draft answered with a Location alone and completed
 * with 204 (this server then writes the order id it made in no answer at all; a real one would
 * let the draft be read); bodies held to the seed's fields refused with an empty error body (README,
 * round eight's `it.fails`: not resent in the seed's shape, every createOrder refused; met again
 * here with seed 31337); `{id, status}` transactions with no session read (README, round nine:
 * nothing ties such a transaction to an order); no session read with reads that lag or wait for
 * the callback (the `it.fails` above); autoCapture, noVoid and wordFor (a profile that captures
 * at once, no void and words nobody listed change what the flow is, and each has its own round);
 * a 301 / 302 redirect of a write to another path or host (the shared redirect policy reads it
 * as an outcome Dintero may have carried out, by decision: README's redirect row).
 */
import { describe, expect, it } from 'vitest';
import { dinteroOrderInput } from '../support/dintero.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { seededRandom } from '../support/seeded-random.js';
import { sleep } from '../support/test-time.js';

type Options = Partial<IndependentDinteroOptions>;

type Rng = () => number;
const pick = <T,>(rng: Rng, values: readonly T[]): T => values[Math.floor(rng() * values.length)]!;
const chance = (rng: Rng, p = 0.5): boolean => rng() < p;

/** Each option group the generator draws from: how Dintero answers, not a fault of one call. */
const GROUPS: Record<string, (rng: Rng) => Options> = {
  token: (rng) => ({ tokenStatus: pick(rng, [200, 201] as const), tokenShape: pick(rng, ['minimal', 'stringy'] as const), checkAudience: chance(rng) }),
  tokenDies: (rng) => ({ tokenLifetimeMs: 1_500, expiredTokenStatus: pick(rng, [401, 403] as const) }),
  draft: (rng) =>
    pick(rng, [
      { draftAnswer: 'id+order_id' },
      { draftIdName: 'order_id' },
      { completeAnswer: 'id-is-order-id' },
      { completeAnswer: 'empty' },
    ] as Options[]) as Options & { createStatus?: 200 },
  created: (rng) => ({ createStatus: 200, requireOrderIdRule: chance(rng) }),
  sessionShape: (rng) =>
    pick(rng, [
      { sessionIdName: 'session_id' },
      { sessionUrlName: 'checkout_url' },
      { sessionUrlName: '_links' },
      { sessionUrlRelative: true },
      { sessionUrl: false, sessionPageInRead: true },
    ] as Options[]),
  createdAsLocation: (rng) => ({ createdAs: 'location', ...(chance(rng) ? { sessionUrl: false, sessionPageInRead: true } : {}) }),
  statusCase: (rng) => ({ statusCase: pick(rng, ['lower', 'title', 'pascal', 'camel', 'kebab', 'spaced'] as const), statusPadding: chance(rng, 0.3) }),
  numbers: (rng) => pick(rng, [{ stringNumbers: true }, { readUnits: 'major' }, { readUnits: 'major-decimal-string' }, { stringNumbers: true, readUnits: 'major' }] as Options[]),
  ids: (rng) => pick(rng, [{ numericIds: true }, { longIds: true }] as Options[]),
  operationAnswer: (rng) => ({ operationAnswer: pick(rng, ['accepted', 'no-content', 'operation', 'operation-without-id'] as const) }),
  marks: (rng) => ({ markStatus: pick(rng, [200, 204] as const), ...(chance(rng) ? { markIds: 'conflict' as const } : {}), marksInOrder: chance(rng) }),
  contentType: (rng) => ({ contentType: pick(rng, ['none', 'charset'] as const) }),
  errorBody: (rng) => ({ errorBody: pick(rng, ['text', 'empty'] as const) }),
  declineWord: () => ({ declineWord: 'DECLINED' }),
  minimalTransaction: () => ({ transaction: 'minimal' }),
  events: (rng) => ({
    transaction: 'full',
    events: true,
    ...(chance(rng, 0.3) ? { eventAmounts: 'omitted' as const } : {}),
    ...(chance(rng, 0.3) ? { eventsNewestFirst: true } : {}),
    ...(chance(rng, 0.3) ? { refundEventSign: 'negative' as const } : {}),
    ...(chance(rng, 0.3) ? { eventSuccess: pick(rng, ['string', 'number'] as const) } : {}),
    ...(chance(rng, 0.3) ? { eventTimes: 'epoch-s' as const } : {}),
    ...(chance(rng, 0.3) ? { eventNameField: 'type' as const } : {}),
    ...(chance(rng, 0.3) ? { eventReferenceField: 'reference' as const } : chance(rng, 0.2) ? { eventsWithoutReferences: true } : {}),
    ...(chance(rng, 0.3) ? { failedEvents: pick(rng, ['event-name', 'status-field'] as const) } : {}),
  }),
  settles: (rng) => ({
    settleAfterMs: pick(rng, [200, 400]),
    ...pick(rng, [{}, { pendingEvents: true }, { inProgressWord: pick(rng, ['IN_PROGRESS', 'ACCEPTED']) }, { undecidedSuccess: true }] as Options[]),
  }),
  readLag: (rng) => ({ readLagMs: pick(rng, [100, 250]), readLagStatusOnly: chance(rng, 0.3) }),
  envelope: () => ({ envelope: true }),
  afterRefund: () => ({ afterRefund: 'partially-captured-refunded' }),
  transactionAmount: () => ({ transactionAmount: 'remaining' }),
  sessionTransactionAs: (rng) => ({ sessionTransactionAs: pick(rng, ['transaction', 'transactions', 'transactions-newest-first', 'transaction-ids'] as const) }),
  noSessionRead: () => ({ sessionRead: 'none' }),
  unsetTimes: (rng) => ({ unsetTimes: pick(rng, ['go-zero', 'dotnet-min', 'epoch', 'mysql-zero'] as const), ...(chance(rng, 0.3) ? { unsetTimesOn: 'expires_at' as const } : {}) }),
  sessionExpiry: (rng) => ({ sessionExpiry: { offsetMs: 30 * 60_000, format: pick(rng, ['iso', 'no-zone', 'fractions-no-zone', 'offset', 'epoch-s'] as const) } }),
  zeroValues: () => ({ zeroValues: true }),
  strict: (rng) => ({ strictRequests: true, strictLineIds: chance(rng) }),
  refuseUnknown: (rng) => ({ refuseUnknownFields: chance(rng, 0.7), refuseUnknownOperationFields: chance(rng, 0.7) }),
  refusalsAs200: (rng) => ({ refusalsAs200: true, refusalsAs200Body: pick(rng, ['error', 'flag-only', 'jsend'] as const) }),
  referencePadding: () => ({ referencePadding: true }),
  redirect: (rng) => ({
    redirect: pick(rng, [
      { status: 308, to: 'path' },
      { status: 307, to: 'api-host' },
      { status: 301, to: 'slash' },
      { status: 302, to: 'slash', only: 'reads' },
      { status: 308, to: 'path', only: 'money' },
      { status: 302, to: 'path', only: 'reads' },
    ] as const),
  }),
  callback: (rng) => ({
    callback: {
      how: pick(rng, ['GET', 'POST-json', 'POST-form', 'POST-query', 'POST-transaction', 'none'] as const),
      ids: pick(rng, ['both', 'transaction', 'session'] as const),
      extras: chance(rng),
      copies: pick(rng, [1, 2, 3]),
      delayMs: pick(rng, [0, 20, 80]),
      query: pick(rng, ['append', 'replace', 'naive'] as const),
    },
  }),
  readableAfterCallback: () => ({ readableAfterCallback: true }),
};

/** Pairs the generator leaves out: why is in the header. */
function contradicts(options: Options): boolean {
  const noCallback = options.callback?.how === 'none';
  if (noCallback && options.sessionRead === 'none') return true;
  if (noCallback && options.readableAfterCallback) return true;
  // A draft answered with a Location alone and its completion with 204: the server then writes
  // the order id it made in no answer at all (a real one would let the draft be read).
  if (options.createdAs === 'location' && options.completeAnswer === 'empty') return true;
  // Known (README, round nine): a bare {id, status} transaction at a Dintero without the session
  // read cannot be tied to an order, so no callback naming it is believed.
  if (options.transaction === 'minimal' && options.sessionRead === 'none') return true;
  // Known (README, round eight's it.fails): a body refused 400 for a field beyond the seed with an
  // empty error body is not sent again in the seed's shape, so every createOrder is refused.
  if (options.refuseUnknownFields && options.errorBody === 'empty') return true;
  // Found here: the one `it.fails` below (no session read, a callback that comes before its
  // transaction can be read), fixed in round twenty-one (now an `it`); still excluded, so that the
  // fixed seed draws the same combinations.
  if (options.sessionRead === 'none' && (options.readLagMs !== undefined || options.readableAfterCallback)) return true;
  return false;
}

/**
 * `count` combinations of 4-8 groups each, drawn from `seed`, merged left to right (in name
 * order). Each takes the two groups drawn least so far first, so a dozen combinations cover them all.
 */
function combinations(seed: number, count: number): { name: string; options: Options }[] {
  const rng = seededRandom(seed);
  const names = Object.keys(GROUPS);
  const used = new Map(names.map((name) => [name, 0]));
  const drawn: { name: string; options: Options }[] = [];
  while (drawn.length < count) {
    const size = 4 + Math.floor(rng() * 5);
    const shuffled = [...names].sort(() => rng() - 0.5);
    const leastFirst = [...shuffled].sort((a, b) => used.get(a)! - used.get(b)!).slice(0, 2);
    const chosen = [...leastFirst, ...shuffled.filter((name) => !leastFirst.includes(name))].slice(0, size).sort();
    const options = chosen.reduce<Options>((merged, group) => ({ ...merged, ...GROUPS[group]!(rng) }), {});
    if (contradicts(options)) continue;
    for (const group of chosen) used.set(group, used.get(group)! + 1);
    drawn.push({ name: `${chosen.join('+')} ${JSON.stringify(options)}`, options });
  }
  return drawn;
}

/**
 * The gateway's defaults (RECONCILE_INTERVAL_MS 2 s, RECONCILE_CALLBACK_GRACE_MS 30 s) where a
 * callback comes: the harness's minute-long interval there would leave a callback Dintero's
 * transaction read cannot confirm yet (readLagMs, readableAfterCallback) and a lost answer's
 * re-read to a turn no test waits for, where production reads again within 2 s (the callback
 * hint's lease, an operation under way). Where none comes, the harness's 200 ms.
 */
const PRODUCTION_POLLING = { reconcileIntervalMs: 2_000, reconcileCallbackGraceMs: 30_000 };

/** Fixed: every run draws the same combinations. (R20_SEED / R20_COUNT draw others, to explore.) */
const SEED = Number(process.env['R20_SEED'] ?? 20_20);
const COMBINATIONS = process.env['R20_OPTIONS'] ? [{ name: 'given', options: JSON.parse(process.env['R20_OPTIONS']) as Options }] : combinations(SEED, Number(process.env['R20_COUNT'] ?? 12));

describe('Dintero adapter against an independent implementation of the seed, round twenty (options combined)', () => {
  const harness = independentDinteroHarness('-20');
  const { useVariation, create, read, apply, reaches } = harness;

  describe.each(COMBINATIONS.map(({ name, options }, index) => [index + 1, name, options] as const))('combination %i: %s', (_index, _name, options) => {
    const setup = useVariation(options, options.callback?.how === 'none' ? {} : PRODUCTION_POLLING);
    const mine = (order: OrderView, kind: string) => harness.marks(setup.dintero, kind).filter((mark) => mark.path.includes(`/${encodeURIComponent(order.providerOrderId!)}/`) || mark.path.includes(`/${order.providerOrderId}/`));

    it('(a) paid, a partial capture whose answer is lost retried under its key, the rest captured, part refunded: each once', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      expect(made.status).toBe('CREATED');
      expect(made.creation.stopAction?.redirectUrl).toBeTruthy();
      const transactionId = await dintero.pay(dintero.latestSessionId());
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      expect(order.payments).toMatchObject([{ id: transactionId, status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
      await eventually(async () => mine(order, 'authorizations').length === 1, 3_000);

      dintero.loseNextAnswer('capture', 502);
      const first = { type: 'CAPTURE', amount: '100.00', idempotencyKey: `r20-cap-1-${order.id}` };
      const lost = await apply(gateway, order.id, [first]);
      const lostSaid = lost.data?.applyOrderEvents[0]?.status ?? lost.errors?.[0]?.extensions?.['code'];
      expect(lostSaid).toMatch(/^(PARTIALLY_CAPTURED|PROVIDER_UNAVAILABLE)$/);
      // A retry under the key while the outcome is being resolved is answered with the order as it
      // stands, nothing sent (round eleven); once the re-reads show it, the capture is counted once.
      const retried = await apply(gateway, order.id, [first]);
      expect(retried.errors).toBeUndefined();
      await eventually(async () => (await read(gateway, order.id)).payments[0]?.capturedAmount.amount === '100.00', 5_000);
      const again = await apply(gateway, order.id, [first]);
      expect(again.errors).toBeUndefined();
      expect(again.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      await eventually(async () => dintero.transactionById(transactionId)!.captured === 10_000, 3_000);

      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', idempotencyKey: `r20-cap-2-${order.id}` }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }],
      ]);
      await eventually(async () => dintero.transactionById(transactionId)!.captured === 49_800, 3_000);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'REFUND', amount: '50.00', idempotencyKey: `r20-ref-${order.id}` }], { status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '50.00' } }] }],
      ]);
      await eventually(async () => dintero.transactionById(transactionId)!.refunded === 5_000, 3_000);
      await sleep(600); // re-reads and watches of what settled
      const settled = await read(gateway, order.id);
      expect(settled).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '50.00' } }] });
      // Events that carry no references cannot show which capture was the lost one: the README's
      // assumption row says its `dintero.outcome_unknown` stays until dropped after ten minutes,
      // while the figures (read from the events) are Dintero's.
      const unknownLeft = options.events && options.eventsWithoutReferences && options.transaction !== 'minimal' ? ['dintero.outcome_unknown'] : [];
      expect(settled.creation.infos.map((info) => info.code).filter((code) => !unknownLeft.includes(code))).toEqual([]);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
      // (The lost capture's mark waits on its outcome: without references, it may not be made yet.)
      await eventually(async () => (unknownLeft.length ? [1, 2] : [2]).includes(mine(order, 'captures').length) && mine(order, 'refunds').length === 1, 3_000);
      expect(mine(order, 'authorizations')).toHaveLength(1);
    });

    it('(b) a createOrder whose session fails 503 is not made again under its key; one turned away 429 is, once; paid, then cancelled: voided once', async () => {
      const { dintero, gateway } = setup;
      const creationCalls = () => dintero.received.filter((request) => request.method === 'POST' && /\/(draft_orders|sessions-profile)\/?$/.test(request.path)).length;
      const unknownKey = `r20-create-unknown-${Math.random().toString(36).slice(2)}`;
      const unknownInput = dinteroOrderInput({ idempotencyKey: unknownKey });
      dintero.failNext('session', 503);
      const failed = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: unknownInput }, harness.parts.shop);
      expect(failed.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const callsBefore = creationCalls();
      // Dintero cannot be asked for an order by its reference: the outcome stays unknown, never sent twice.
      const retried = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: unknownInput }, harness.parts.shop);
      expect(retried.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(creationCalls()).toBe(callsBefore);

      const key = `r20-create-${Math.random().toString(36).slice(2)}`;
      const input = dinteroOrderInput({ idempotencyKey: key });
      if (!options.refusalsAs200) {
        // "Come back later": nothing made, so the retry under the key sends it, once.
        dintero.failNext('session', 429);
        const turnedAway = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, harness.parts.shop);
        expect(turnedAway.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      }
      const sessionsBefore = dintero.received.filter((request) => request.method === 'POST' && /sessions-profile\/?$/.test(request.path) && request.status! < 300).length;
      const made = await create(gateway, { idempotencyKey: key, reference: input['reference'] });
      expect(made.status).toBe('CREATED');
      const again = await create(gateway, { idempotencyKey: key, reference: input['reference'] });
      expect(again.id).toBe(made.id);
      expect(dintero.received.filter((request) => request.method === 'POST' && /sessions-profile\/?$/.test(request.path) && request.status! < 300).length).toBe(sessionsBefore + 1);
      const transactionId = await dintero.pay(dintero.latestSessionId());
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      const cancelled = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `r20-cancel-${order.id}` }]);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });
      await eventually(async () => dintero.transactionById(transactionId)!.status === 'AUTHORIZATION_VOIDED', 3_000);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 1 });
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CANCELLED', payments: [{ capturedAmount: { amount: '0.00' } }] });
    });

    it('(c) a payment declined: FAILED, nothing marked', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      await dintero.pay(dintero.latestSessionId(), 'decline');
      const failed = await reaches(gateway, made.id, 'FAILED');
      expect(mine(failed, 'authorizations')).toHaveLength(0);
    });
  });

  describe('no session read (404), transaction reads 250 ms behind, its callback naming both ids', () => {
    const setup = useVariation({ sessionRead: 'none', readLagMs: 250 }, PRODUCTION_POLLING);

    // Left in round twenty (an it.fails): the callback comes before its transaction can be read,
    // so it is not believed (401) and the order it names is re-read through its session, which
    // this Dintero does not offer: nothing else named the transaction, and a Dintero that does not
    // send a refused callback again left the paid order CREATED. Fixed in round twenty-one
    // (dintero-independent-21.test.ts): the callback's transaction id is kept for the order it
    // names and read by reconciliation, believed only where the read names that order itself.
    it('a paid order becomes AUTHORIZED', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      await dintero.pay(dintero.latestSessionId());
      expect(dintero.callbacks.at(-1)!.status).toBe(401);
      await reaches(gateway, made.id, 'AUTHORIZED', 6_000);
    });
  });
});
