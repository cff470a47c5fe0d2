/// <reference lib="dom" />
import { CHECKOUT_CREATE_ORDER, CHECKOUT_WATCH_ORDER } from '../../client/operations.js';
import type { OrderStatus } from '../../client/generated/graphql.js';
import { createGatewayClient, type GatewayClient } from './gateway-client.js';
import { DEMO_PROVIDERS } from './providers.js';
import { forgetOrder, pendingOrder, savedToken, savePendingOrder, saveToken, type PendingOrder } from './session.js';
import { statusView } from './status.js';

/**
 * The demo checkout: pick a provider, Pay (createOrder), go to the provider's page, come back
 * and watch `orderStatusChanged` turn the "waiting for payment" screen into Paid or Failed.
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
    savePendingOrder({ id: order.id, providerLabel: provider.label, total: `${order.total.amount} ${order.total.currency}` });
    const redirect = order.creation.stopAction?.type === 'REDIRECT' ? order.creation.stopAction.redirectUrl : null;
    // The buyer pays on the provider's own page, in this tab, and comes back to the return URL.
    if (redirect) location.assign(redirect);
    else showWaiting(pendingOrder());
  } catch (error) {
    showError(`Could not create the order: ${(error as Error).message}`);
    button.disabled = false;
  }
}

function render(order: PendingOrder, status: OrderStatus): void {
  const view = statusView(status);
  $('status-title').textContent = view.title;
  $('status-detail').textContent = view.detail;
  $('waiting').dataset['tone'] = view.tone;
  $('order-status').textContent = status;
  $('order-summary').textContent = `${order.providerLabel}, ${order.total}, order ${order.id}`;
}

let watching: GatewayClient | undefined;

function showWaiting(order: PendingOrder | undefined): void {
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

showWaiting(pendingOrder());
