import { describe, expect, it } from 'vitest';
import { plainDocument } from '../../src/providers/pei/media-documents.js';
import { listingLeavesOut } from '../../src/providers/pei/listing-shape.js';

describe('Pei answers in HAL or JSON:API read as plain JSON (round twenty-seven)', () => {
  it('a JSON:API resource object is its attributes, its id the orderId', () => {
    const read = { data: { type: 'orders', id: 'abcDEF1234567890ab', attributes: { amount: 5000, purchaseId: 966127 }, links: { self: '/api/orders/abcDEF1234567890ab' } }, jsonapi: { version: '1.1' } };
    expect(plainDocument(read)).toEqual({ orderId: 'abcDEF1234567890ab', amount: 5000, purchaseId: 966127 });
  });

  it('a JSON:API list keeps its count and next link where the listing reader looks for them', () => {
    const list = { data: [{ type: 'orders', id: 'abcDEF1234567890ab', attributes: { amount: 5000 } }], meta: { total: 4 }, links: { self: '/x', next: '/x?page%5Bnumber%5D=2' } };
    const plain = plainDocument(list);
    expect(plain).toEqual({ total: 4, data: [{ orderId: 'abcDEF1234567890ab', amount: 5000 }], next: '/x?page%5Bnumber%5D=2' });
    expect(listingLeavesOut(plain, 1)).toBe(true);
    expect(listingLeavesOut(plainDocument({ ...list, meta: { total: 1 }, links: { self: '/x', next: null } }), 1)).toBe(false);
  });

  it('a HAL resource naming `__proto__` keeps it as a plain key: no prototype is set, no field inherited', () => {
    const hal = JSON.parse('{"orderId": "abcDEF1234567890ab", "_links": {"self": {"href": "/x"}}, "_embedded": {"__proto__": {"amount": 1}}, "__proto__": {"status": "Confirmed"}}') as unknown;
    const plain = plainDocument(hal) as Record<string, unknown>;
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(plain['status']).toBeUndefined();
    expect(plain['amount']).toBeUndefined();
    expect(Object.hasOwn(plain, '__proto__')).toBe(true);
  });

  it('a .NET envelope `{data, errors, success}` is no JSON:API document: left as it is', () => {
    const envelope = { data: { orderId: 'abcDEF1234567890ab', purchaseId: 1 }, errors: [], success: true };
    expect(plainDocument(envelope)).toBe(envelope);
    const declined = { data: { orderId: 'abcDEF1234567890ab' }, errors: ['The card was declined.'], success: false };
    expect(plainDocument(declined)).toBe(declined);
  });

  it('a HAL listing: its embedded orders (each with its embedded lines), the page count and the next link', () => {
    const list = {
      _links: { self: { href: '/x' }, next: { href: '/x?page=1' } },
      _embedded: { orders: [{ orderId: 'abcDEF1234567890ab', amount: 5000, _links: { self: { href: '/y' } }, _embedded: { items: [{ name: 'Helicopter', amount: 5000 }] } }] },
      page: { size: 3, totalElements: 7, totalPages: 3, number: 0 },
    };
    const plain = plainDocument(list);
    expect(plain).toEqual({ orders: [{ items: [{ name: 'Helicopter', amount: 5000 }], orderId: 'abcDEF1234567890ab', amount: 5000 }], next: '/x?page=1', totalCount: 7 });
    expect(listingLeavesOut(plain, 1)).toBe(true);
  });

  it("a HAL page of one: Spring's 0-based page number does not read as more pages", () => {
    const list = { _links: { self: { href: '/x' } }, _embedded: { orders: [{ orderId: 'abcDEF1234567890ab', amount: 5000 }] }, page: { size: 20, totalElements: 1, totalPages: 1, number: 0 } };
    expect(listingLeavesOut(plainDocument(list), 1)).toBe(false);
  });

  it('an empty HAL page without `_embedded` is an empty list', () => {
    expect(plainDocument({ _links: { self: { href: '/x' } }, page: { size: 20, totalElements: 0, totalPages: 0, number: 0 } })).toEqual([]);
  });

  it("a JSON:API error document: the detail under the field its pointer names, or as the problem's detail", () => {
    const pointed = { errors: [{ status: '400', title: 'Input validation failed.', detail: 'ExpirationDate is not a valid date.', source: { pointer: '/data/attributes/expirationDate' } }] };
    expect(plainDocument(pointed)).toEqual({ title: 'Input validation failed.', errors: { expirationDate: ['ExpirationDate is not a valid date.'] } });
    expect(plainDocument({ errors: [{ status: '403', title: 'Forbidden', detail: 'No purchase access.' }] })).toEqual({ title: 'Forbidden', detail: 'No purchase access.' });
  });

  it('plain JSON is left as it is', () => {
    const order = { orderId: 'abcDEF1234567890ab', amount: 5000 };
    expect(plainDocument(order)).toBe(order);
    expect(plainDocument('abcDEF1234567890ab')).toBe('abcDEF1234567890ab');
  });
});
