/**
 * The providers of the money-once suite (money-once.test.ts): those whose orders the gateway can
 * capture and refund (Pei, Intershop and Payway answer NOT_SUPPORTED). Each makes an authorized
 * order through a gateway, names the requests that move its money (for a `hold` fault aimed at
 * them), and reads what moved from its sandbox's own record, never from the gateway.
 */
import type { ProviderConfigs } from '../../src/config.js';
import type { IntergiroSandbox } from '../../src/sandboxes/intergiro/index.js';
import type { DinteroSandbox } from '../../src/sandboxes/dintero/index.js';
import type { SandboxFaults } from '../../src/sandboxes/kit/faults.js';
import { buyerOnCheckout, dinteroOrderInput } from '../support/dintero.js';
import { CREATE_ORDER, GET_ORDER, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { intergiroCardOrder } from '../support/intergiro.js';
import { amountOf } from './chaos-intergiro.js';
import { dinteroDriver } from './chaos-dintero.js';
import { intergiroDriver } from './chaos-intergiro.js';

/** What the provider's own record says about one order (amounts in minor units). */
export interface MovedAtProvider {
  captured: number;
  refunded: number;
  /** Captures and refunds that took effect. */
  operations: number;
  /** Captures and refunds the provider was asked for, refused ones included. */
  asked: number;
}

export interface MoneyProvider {
  name: 'INTERGIRO' | 'DINTERO';
  /** The order total, minor units. */
  total: number;
  /** Intergiro charges an authorization once; Dintero captures in parts. */
  capturesOnce: boolean;
  faults: SandboxFaults;
  /** The in-process gateway's configuration, and the same as the child's environment. */
  config: ProviderConfigs;
  env: Record<string, string>;
  /** Creates an order through `url` and waits until it is AUTHORIZED there. */
  authorized(url: string, shop: string, backOffice: string, sequence: number): Promise<OrderView>;
  /** The sandbox requests that capture or refund `order` (what a `hold` fault aims at). */
  moneyRequests(order: OrderView): RegExp;
  moved(order: OrderView): MovedAtProvider;
}

export function intergiroMoney(sandbox: IntergiroSandbox): MoneyProvider {
  const driver = intergiroDriver(sandbox);
  return {
    name: 'INTERGIRO',
    total: 10_000,
    capturesOnce: true,
    faults: sandbox.faults,
    config: driver.config,
    env: driver.env,
    async authorized(url, shop) {
      // A card order the sandbox authorizes at once.
      const order = (await gqlOk<{ createOrder: OrderView }>(url, CREATE_ORDER, { input: intergiroCardOrder('100.00') }, shop)).createOrder;
      if (order.status !== 'AUTHORIZED') throw new Error(`Intergiro order ${order.id} is ${order.status}`);
      return order;
    },
    // Intergiro's changes are one PATCH on the collection (the order is named in the body).
    moneyRequests: () => /^PATCH \/v1\/order$/,
    moved(order) {
      const record = sandbox.getOrder(order.providerOrderId ?? '');
      if (!record) throw new Error(`the Intergiro sandbox has no order ${String(order.providerOrderId)}`);
      const total = (type: string): number =>
        Math.round(100 * record.event.filter((event) => event.type === type).reduce((sum, event) => sum + ('items' in event ? amountOf(event.items) : 0), 0));
      const done = record.event.filter((event) => event.type === 'charge' || event.type === 'refund').length;
      // A refused PATCH is recorded as `fail` (with the type it asked for).
      const refused = record.event.filter((event) => event.type === 'fail').length;
      return { captured: total('charge'), refunded: total('refund'), operations: done, asked: done + refused };
    },
  };
}

export function dinteroMoney(sandbox: DinteroSandbox): MoneyProvider {
  const driver = dinteroDriver(sandbox);
  const transactionOf = (order: OrderView): string => {
    const id = order.payments[0]?.id;
    if (!id) throw new Error(`Dintero order ${order.id} has no transaction`);
    return id;
  };
  return {
    name: 'DINTERO',
    total: 49_800,
    capturesOnce: false,
    faults: sandbox.faults,
    config: driver.config,
    env: driver.env,
    async authorized(url, shop, backOffice, sequence) {
      const created = (
        await gqlOk<{ createOrder: OrderView }>(url, CREATE_ORDER, { input: dinteroOrderInput({ reference: `money-once-${sequence}` }) }, shop)
      ).createOrder;
      const paid = await buyerOnCheckout(created.creation.stopAction?.redirectUrl ?? '', 'pay', { callback: 'before' });
      if (paid.status !== 303) throw new Error(`Dintero's checkout page answered ${paid.status}`);
      // Authorized, and its authorization recorded on Dintero's order (nothing left to do for it).
      return eventually(async () => {
        const order = (await gqlOk<{ order: OrderView }>(url, GET_ORDER, { id: created.id }, backOffice)).order;
        return order.status === 'AUTHORIZED' && order.creation.infos.length === 0 && order;
      }, 30_000, 50);
    },
    moneyRequests: (order) => new RegExp(`^POST /v1/transactions/${transactionOf(order)}/(capture|refund)$`),
    moved(order) {
      const transaction = sandbox.getTransaction(transactionOf(order));
      if (!transaction) throw new Error(`the Dintero sandbox has no transaction ${transactionOf(order)}`);
      const money = transaction.events.filter((event) => event.event === 'CAPTURE' || event.event === 'REFUND');
      const done = money.filter((event) => event.success);
      const total = (name: string): number => done.filter((event) => event.event === name).reduce((sum, event) => sum + event.amount, 0);
      const asked = sandbox.requests().filter((request) => request.method === 'POST' && /\/transactions\/[^/]+\/(capture|refund)$/.test(request.path) && request.path.includes(transactionOf(order))).length;
      return { captured: total('CAPTURE'), refunded: total('REFUND'), operations: done.length, asked };
    },
  };
}
