/// <reference lib="dom" />
import { CHECKOUT_CONTINUE_ORDER, CHECKOUT_CREATE_ORDER, CHECKOUT_ORDER, CHECKOUT_WATCH_ORDER } from '../../client/operations.js';
import type { OrderStatus } from '../../client/generated/graphql.js';
import { createGatewayClient, type GatewayClient } from './gateway-client.js';
import { DEMO_PROVIDERS } from './providers.js';
import { forgetOrder, pendingOrder, savedToken, savePendingOrder, saveToken, type PendingOrder } from './session.js';
import { statusView } from './status.js';
import { performThreeDSStep, threeDSStepOf } from './three-ds.js';

/**
 * The demo checkout: pick a provider, Pay (createOrder), go to the provider's page and come back
 * (or, for a card, pass 3-D Secure on this page), and watch `orderStatusChanged` turn the
 * "waiting for payment" screen into Paid or Failed.
 */
const root = document.getElementById('demo') as HTMLElement;
const persisted = root.dataset['persisted'] === 'allow' || root.dataset['persisted'] === 'require';
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

async function token(): Promise<string> {
  const saved = savedToken();
  if (saved) return saved;
  const response = await fetch('/demo/token', { cache: 'no-store' });
  if (!response.ok) throw new Error(`no demo token (HTTP ${response.status})`);
  const body = (await response.json()) as { token: string; expiresIn: number };
  saveToken(body.token, body.expiresIn);
  return body.token;
}

function showError(message: string): void {
  const error = $('error');
  error.textContent = message;
  error.hidden = false;
}

function showCheckout(): void {
  $('checkout').hidden = false;
  $('waiting').hidden = true;
  // "New order" after a card payment comes back here without a page load.
  $<HTMLButtonElement>('pay').disabled = false;
  const list = $('providers');
  list.replaceChildren(
    ...DEMO_PROVIDERS.map((provider, index) => {
      const label = document.createElement('label');
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'provider';
      radio.value = provider.id;
      radio.checked = index === 0;
      const basket = provider.basket.map((line) => `${line.quantity} × ${line.name}`).join(', ');
      label.append(radio, ` ${provider.label} — ${basket}: ${provider.total} ${provider.currency}`);
      return label;
    }),
  );
  $<HTMLFormElement>('checkout-form').onsubmit = (event) => {
    event.preventDefault();
    void pay();
  };
}

async function pay(): Promise<void> {
  const choice = new FormData($<HTMLFormElement>('checkout-form')).get('provider');
  const provider = DEMO_PROVIDERS.find((candidate) => candidate.id === choice);
  if (!provider) return showError('Pick a provider first.');
  const button = $<HTMLButtonElement>('pay');
  button.disabled = true;
  $('error').hidden = true;
  try {
    const client = createGatewayClient({ token: await token(), persisted });
    const back = `${location.origin}/demo`;
    const { createOrder: order } = await client.request(CHECKOUT_CREATE_ORDER, {
      input: provider.input({ success: `${back}?returned=success`, cancel: `${back}?returned=cancel` }),
    });
    const stop = order.creation.stopAction;
    savePendingOrder({
      id: order.id,
      providerLabel: provider.label,
      total: `${order.total.amount} ${order.total.currency}`,
      ...(stop?.type === 'THREE_DS' ? { threeDS: true } : {}),
    });
    const redirect = stop?.type === 'REDIRECT' ? stop.redirectUrl : null;
    // The buyer pays on the provider's own page, in this tab, and comes back to the return URL.
    if (redirect) return location.assign(redirect);
    showWaiting(pendingOrder());
    if (stop?.type === 'THREE_DS') await authenticate(client, order.id, stop.threeDS?.details);
  } catch (error) {
    showError(`Could not create the order: ${(error as Error).message}`);
    button.disabled = false;
  }
}

/**
 * 3-D Secure, step by step: perform the step the order waits for, resubmit its answer, and go on
 * while the answer is another step (Intergiro: a hidden method step, then the challenge). The
 * outcome itself arrives through the subscription like any other.
 */
async function authenticate(client: GatewayClient, orderId: string, details: unknown): Promise<void> {
  const section = $('three-ds');
  try {
    for (let next = details; ; ) {
      const step = threeDSStepOf(next);
      if (!step) throw new Error('the provider asked for a 3-D Secure step this page cannot perform');
      section.hidden = !step.visible;
      const threeDS = await performThreeDSStep(step, $('three-ds-frame'));
      section.hidden = true;
      const { continueOrderCreation: order } = await client.request(CHECKOUT_CONTINUE_ORDER, { input: { orderId, threeDS } });
      const stop = order.creation.stopAction;
      if (stop?.type !== 'THREE_DS') break;
      next = stop.threeDS?.details;
    }
  } catch (error) {
    section.hidden = true;
    showError(`3-D Secure did not complete: ${(error as Error).message}`);
  }
}

/** After a reload mid-way: ask the gateway which step the order waits for, if any, and do it. */
async function resumeAuthentication(client: GatewayClient, orderId: string): Promise<void> {
  const { order } = await client.request(CHECKOUT_ORDER, { id: orderId });
  const stop = order?.creation.stopAction;
  if (order?.status === 'ACTION_REQUIRED' && stop?.type === 'THREE_DS') await authenticate(client, orderId, stop.threeDS?.details);
}

function render(order: PendingOrder, status: OrderStatus): void {
  const view = statusView(status, { threeDS: order.threeDS === true });
  $('status-title').textContent = view.title;
  $('status-detail').textContent = view.detail;
  $('waiting').dataset['tone'] = view.tone;
  $('order-status').textContent = status;
  $('order-summary').textContent = `${order.providerLabel}, ${order.total}, order ${order.id}`;
}

let watching: GatewayClient | undefined;

function showWaiting(order: PendingOrder | undefined, resume = false): void {
  if (!order) return showCheckout();
  $('checkout').hidden = true;
  $('waiting').hidden = false;
  render(order, (order.lastStatus as OrderStatus | undefined) ?? 'CREATED');
  $<HTMLButtonElement>('start-over').onclick = () => {
    watching?.close();
    forgetOrder();
    history.replaceState(null, '', '/demo');
    showCheckout();
  };
  void token().then(
    (value) => {
      watching = createGatewayClient({ token: value, persisted });
      // pay() performs the first step itself; a reload (or a visit back) asks where it stands.
      if (order.threeDS && resume) {
        void resumeAuthentication(watching, order.id).catch((error: unknown) => showError((error as Error).message));
      }
      // Resume after the last event this tab saw (a reload, the trip to the provider): the
      // gateway replays what came since and nothing twice; the first visit gets the snapshot.
      watching.watch(
        CHECKOUT_WATCH_ORDER,
        { orderId: order.id, after: order.lastEventId ?? null },
        {
          next: ({ orderStatusChanged: change }) => {
            Object.assign(order, { lastEventId: change.eventId, lastStatus: change.status });
            savePendingOrder(order);
            render(order, change.status);
          },
          error: (message) => showError(`Lost the order's status: ${message}`),
        },
      );
    },
    (error: unknown) => showError((error as Error).message),
  );
}

showWaiting(pendingOrder(), true);
