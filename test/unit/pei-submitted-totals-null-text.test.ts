import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory.js';
import { peiSubmittedTotals } from '../../src/providers/pei/submitted-totals.js';
import { PeiOrder, peiOrderAt } from '../../src/providers/pei/order-shape.js';
import { PeiPostback } from '../../src/providers/pei/postback-shape.js';

describe('the totals Pei orders were submitted with (round twenty-four)', () => {
  it('are found by Pei order id, compared as reads compare ids (letter case, padding)', async () => {
    const totals = peiSubmittedTotals(createMemoryStore().kv);
    await totals.note('AbCdEfGhIjKlMnOpQr', 5000);
    expect(await totals.of('AbCdEfGhIjKlMnOpQr')).toBe(5000);
    expect(await totals.of('  abcdefghijklmnopqr  ')).toBe(5000);
    expect(await totals.of('SomeOtherOrderIdAt')).toBeUndefined();
  });

  it('note nothing that is no amount in krónur', async () => {
    const totals = peiSubmittedTotals(createMemoryStore().kv);
    await totals.note('ZeroOrderIdAtPei00', 0);
    await totals.note('HalfOrderIdAtPei00', 12.5);
    expect(await totals.of('ZeroOrderIdAtPei00')).toBeUndefined();
    expect(await totals.of('HalfOrderIdAtPei00')).toBeUndefined();
  });

  it('read `5.000` beside the total, never otherwise', () => {
    const answer = { orderId: 'abc', amount: '5.000', items: [{ name: 'Helicopter', quantity: 1, unitPrice: '5.000', amount: '5.000' }] };
    expect(PeiOrder.safeParse(answer).success).toBe(false);
    expect(peiOrderAt('abc', 5000).parse(answer).amount).toBe(5000);
    expect(peiOrderAt('abc', 7000).safeParse(answer).success).toBe(false);
  });
});

describe('the text of no value (round twenty-four)', () => {
  it('is no purchase and no mandate in a read; a Reference is read as written', () => {
    const read = PeiOrder.parse({ orderId: 'abc', amount: 5000, purchaseId: 'null', mandateId: 'NULL', reference: 'null' });
    expect(read).toMatchObject({ purchaseId: null, mandateId: null, reference: 'null', status: 'Pending' });
    expect(PeiOrder.parse({ orderId: 'abc', amount: 5000, purchaseId: '966127', mandateId: '7gcuh8pMcFju1gNbjGEZ7sf0JazKNhIz' })).toMatchObject({ purchaseId: '966127', status: 'Confirmed' });
  });

  it('is no purchase and no mandate in a postback', () => {
    expect(PeiPostback.parse({ orderId: 'ZsZUibpv0WAe77sGvYrm1lu0AM52D23N', purchaseId: 'null', mandateId: 'undefined', status: 'Cancelled' })).toMatchObject({ purchaseId: null, mandateId: null, says: 'cancelled' });
  });
});
