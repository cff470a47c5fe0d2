/**
 * VersionReads (src/server/version-reads.ts), the read-cache's check on every hit: every asker
 * gets a version read sent after it arrived (so it sees any write acknowledged before it asked),
 * and a hot order costs one read per round trip, not one per asker.
 *
 * The store here is a stand-in whose round trips the test holds and releases: a store's read
 * samples the order at the moment it is sent, and only the test can say when that is.
 */
import { describe, expect, it } from 'vitest';
import { VersionReads } from '../../src/server/version-reads.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * An order's version and reads of it. `atTurnEnd`: sent as ioredis' auto-pipeline sends them,
 * in a setImmediate queued by the turn's first read; else sent when asked. A sent read is
 * answered when the test calls `answer()`.
 */
function storeStandIn(atTurnEnd: boolean) {
  const store = { version: 1, asked: 0, sent: [] as number[], failNext: false };
  const unsent: Array<() => void> = [];
  const out: Array<() => void> = [];
  const read = (): Promise<number | null> => {
    store.asked++;
    const fail = store.failNext;
    store.failNext = false;
    return new Promise((resolve, reject) => {
      const send = () => {
        const seen = store.version;
        store.sent.push(seen);
        out.push(() => (fail ? reject(new Error('store unreachable')) : resolve(seen)));
      };
      if (!atTurnEnd) return send();
      if (unsent.length === 0) setImmediate(() => unsent.splice(0).forEach((s) => s()));
      unsent.push(send);
    });
  };
  /**
   * Lets a read asked after the last one settled be sent (VersionReads asks it a turn later, the
   * auto-pipeline sends it one more turn on), answers every read sent so far, then lets their
   * callers run.
   */
  const answer = async () => {
    await nextTurn();
    await nextTurn();
    out.splice(0).forEach((a) => a());
    await nextTurn();
  };
  return { store, read, answer };
}

describe.each([true, false])('VersionReads (reads sent at the turn end: %s)', (atTurnEnd) => {
  it('an asker that arrives while a read is out waits for the next read, so it sees a write acknowledged before it asked', async () => {
    const { store, read, answer } = storeStandIn(atTurnEnd);
    const versions = new VersionReads(read, atTurnEnd);
    const first = versions.now('o');
    await nextTurn(); // the first read is on its way (sampled version 1)
    store.version = 2; // a write, acknowledged elsewhere
    const second = versions.now('o');
    const third = versions.now('o');
    expect(store.asked).toBe(1); // nothing new is asked while one read is out
    await answer();
    expect(await first).toBe(1);
    await nextTurn();
    await answer();
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    expect(store.asked).toBe(2);
  });

  it('many askers over many turns cost one read per round trip; every one gets a read sent after it asked', async () => {
    const { store, read, answer } = storeStandIn(atTurnEnd);
    const versions = new VersionReads(read, atTurnEnd);
    const answers: Array<{ askedAt: number; got: Promise<number | null> }> = [];
    for (let trip = 0; trip < 5; trip++) {
      for (let turn = 0; turn < 4; turn++) {
        store.version++;
        const askedAt = store.version;
        for (let i = 0; i < 3; i++) answers.push({ askedAt, got: versions.now('o') });
        await nextTurn();
      }
      await answer();
    }
    for (let i = 0; i < 3 && store.sent.length < store.asked; i++) await answer();
    await answer();
    for (const { askedAt, got } of answers) expect(await got).toBeGreaterThanOrEqual(askedAt);
    expect(store.asked).toBeLessThanOrEqual(6);
    expect(answers.length).toBe(60);
  });

  it('an asker arriving just after a read settled shares the next read with those who waited for it', async () => {
    const { store, read, answer } = storeStandIn(atTurnEnd);
    const versions = new VersionReads(read, atTurnEnd);
    const first = versions.now('o');
    await nextTurn();
    store.version = 2;
    const waited = versions.now('o');
    await answer();
    expect(await first).toBe(1);
    const justAfter = versions.now('o'); // as a client whose answer the first read made sends its next request
    await answer();
    expect(await waited).toBe(2);
    expect(await justAfter).toBe(2);
    expect(store.asked).toBe(2);
  });

  it('reads of different orders do not wait for each other', async () => {
    const { store, read } = storeStandIn(atTurnEnd);
    const versions = new VersionReads(read, atTurnEnd);
    void versions.now('a');
    void versions.now('b');
    expect(store.asked).toBe(2);
  });

  it('a failed read fails its askers only; those waiting for the next read get one', async () => {
    const { store, read, answer } = storeStandIn(atTurnEnd);
    const versions = new VersionReads(read, atTurnEnd);
    store.failNext = true;
    const first = versions.now('o');
    first.catch(() => undefined);
    await nextTurn();
    const second = versions.now('o');
    await answer();
    await expect(first).rejects.toThrow('store unreachable');
    await nextTurn();
    await answer();
    expect(await second).toBe(1);
  });
});
