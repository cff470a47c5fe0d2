/**
 * The Payway sandbox's HTTP routes: the Adyen API under `/external/api/v1/adyen` (behind the
 * bearer token) and the 3-D Secure pages; faults come before, from the sandbox's fault plan. What it answers is documented in
 * ../sandbox.ts's header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { htmlReply, jsonReply, send, type Reply } from '../kit/http.js';
import { UNKNOWN_FIELDS } from '../kit/seed-minimal.js';
import type { Timers } from '../kit/timers.js';
import { paymentMethodsAnswer, type Catalogue } from './catalogue.js';
import { PaywayFailure, invalidParameter, unauthorized } from './errors.js';
import { errorReply, readForm, readJson } from './http.js';
import { challengePage, detailsPage, notFoundPage } from './pages.js';
import { threeDSDetails, type PurchaseBook } from './purchases.js';
import { parseAdditionalAction, parsePlaceOrder } from './validation.js';

export type PaywaySandboxFault = 'http500' | 'malformed' | 'timeout';

/** A 500 as Payway writes it, for the fault plan. */
export const PAYWAY_FAULT_BODY = JSON.stringify({ code: 'internal_error', field: null, message: 'sandbox fault', correlation_id: null });

const API = '/external/api/v1/adyen';

export interface ServerConfig {
  baseUrl: string;
  token: string;
  catalogue: Catalogue;
  book: PurchaseBook;
  timers: Timers;
  /** Seed-minimal (kit/seed-minimal.ts): see the sandbox header. */
  seedMinimal: boolean;
}

export class PaywaySandboxServer {
  /** Status words the next purchase answers say instead of their own (`answerNextWith`). */
  private readonly nextWords: string[] = [];

  constructor(private readonly config: ServerConfig) {}

  /** The next place_order answer says `word` instead of its own status (the purchase goes on as its card says). */
  answerNextWith(word: string): void {
    this.nextWords.push(word);
  }

  /** A purchase answer as this sandbox writes it: its status word swapped when asked, extra fields when seed-minimal. */
  private purchaseAnswer(item: Record<string, unknown>, swap: boolean): Reply {
    const word = swap ? this.nextWords.shift() : undefined;
    const said =
      word === undefined
        ? item
        : { status: word, message: 'Sandbox: a status word the gateway does not know', ...(typeof item.order_id === 'string' ? { order_id: item.order_id } : {}) };
    return jsonReply(200, this.config.seedMinimal ? { item: { ...said, ...UNKNOWN_FIELDS }, ...UNKNOWN_FIELDS } : { item: said });
  }

  get book(): PurchaseBook {
    return this.config.book;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const reply = await this.route(req, res);
      if (reply) send(res, reply);
    } catch (error) {
      const reply =
        error instanceof PaywayFailure
          ? errorReply(error.status, error.body)
          : errorReply(500, { code: 'internal_error', field: null, message: 'sandbox error', correlation_id: null });
      if (!res.headersSent) send(res, reply);
      else res.destroy();
    }
  }

  /** A reply, or undefined when the handler took the response over (the timeout fault). */
  private async route(req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> {
    const url = new URL(req.url ?? '/', this.config.baseUrl);
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/external/')) return this.routeApi(req, res, url);
    const page = /^\/adyen\/3ds2\/([a-fA-F\d]{24})\/(method|challenge)$/.exec(url.pathname);
    if (page?.[1] && page[2]) return this.threeDSPage(req, method, page[1], page[2] as 'method' | 'challenge');
    return errorReply(404, { code: 'not_found', field: null, message: `No route ${method} ${url.pathname}`, correlation_id: null });
  }

  private async routeApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<Reply | undefined> {
    const authorization = req.headers.authorization ?? '';
    if (!/^bearer /i.test(authorization) || authorization.slice(7) !== this.config.token) throw unauthorized();
    const method = req.method ?? 'GET';
    if (url.pathname === `${API}/payment_methods` && method === 'GET') return this.paymentMethods(url);
    if (url.pathname === `${API}/place_order` && method === 'POST') return this.placeOrder(req);
    if (url.pathname === `${API}/perform_additional_action` && method === 'POST') return this.performAdditionalAction(req);
    return errorReply(404, { code: 'not_found', field: null, message: `No endpoint ${method} ${url.pathname}`, correlation_id: null });
  }

  private paymentMethods(url: URL): Reply {
    const productCode = url.searchParams.get('product_code');
    const periodId = url.searchParams.get('period_id');
    const origin = url.searchParams.get('origin');
    if (!productCode) throw invalidParameter('product_code', 'Parameter is required');
    if (!origin || !URL.canParse(origin)) throw invalidParameter('origin', 'Parameter must be an absolute URI');
    const discountCode = url.searchParams.get('discount_code') ?? undefined;
    if (periodId === null) return jsonReply(200, paymentMethodsAnswer());
    if (!/^[a-f\d]{24}$/i.test(periodId)) throw invalidParameter('period_id', 'Parameter must match format (/^[a-f\\d]{24}$/i)');
    const period = this.config.catalogue.pricedPeriod(productCode, periodId, discountCode);
    // Seed-minimal: Adyen's own /paymentMethods shape, which has no price.
    if (this.config.seedMinimal) return jsonReply(200, { item: { ...(paymentMethodsAnswer() as { item: object }).item, ...UNKNOWN_FIELDS } });
    return jsonReply(200, paymentMethodsAnswer(period));
  }

  private async placeOrder(req: IncomingMessage): Promise<Reply> {
    const request = parsePlaceOrder(await readJson(req));
    const period = this.config.catalogue.pricedPeriod(request.product_code, request.period_id, request.discount_code);
    return this.purchaseAnswer(this.config.book.place(request, period), true);
  }

  private async performAdditionalAction(req: IncomingMessage): Promise<Reply> {
    const { details, session_reference, origin } = parseAdditionalAction(await readJson(req));
    return this.purchaseAnswer(this.config.book.performAdditionalAction(session_reference, details, origin), false);
  }

  private async threeDSPage(req: IncomingMessage, method: string, session: string, step: 'method' | 'challenge'): Promise<Reply> {
    const purchase = this.config.book.bySessionReference(session);
    const waiting = purchase?.waitingFor;
    const expected = step === 'method' ? 'threeDS2Fingerprint' : 'threeDS2Challenge';
    if (!purchase || waiting?.type !== expected) return htmlReply(404, notFoundPage());
    if (step === 'method') return htmlReply(200, detailsPage('Payway sandbox: device fingerprint collected', threeDSDetails('threeDS2Fingerprint')));
    if (method === 'POST') {
      const transStatus = (await readForm(req)).get('transStatus') === 'Y' ? 'Y' : 'N';
      const title = transStatus === 'Y' ? 'Payway sandbox: authenticated' : 'Payway sandbox: authentication failed';
      return htmlReply(200, detailsPage(title, threeDSDetails('threeDS2Challenge', transStatus)));
    }
    const period = purchase.period;
    const amount = `${Math.floor(period.price / 100)}.${String(period.price % 100).padStart(2, '0')}`;
    return htmlReply(200, challengePage({ sessionReference: session, amount, currency: period.currency }));
  }
}
