/**
 * HTML pages of the Intergiro sandbox: the 3-D Secure "ACS" page the card flow points its iframe
 * at, and the payment-link checkout page of a defer order. They are deliberately plain: enough for
 * a person to finish a flow in a browser during a demo, and easy for tests to assert on.
 */
import { escapeHtml, htmlPage, type PageShell } from '../kit/pages.js';

/** The 3-D Secure step kinds Intergiro's verification error carries in `details.data.type`. */
export type ThreeDSStepType = 'method' | 'challenge';

export interface AcsPageInput {
  orderId: string;
  step: ThreeDSStepType;
  threeDSServerTransID: string;
  /** Display amount, already formatted in major units ("398.00"). */
  amount: string;
  currency: string;
}

export interface AcsResultPageInput {
  step: ThreeDSStepType;
  /** The iframe response string; the gateway's client sends it as `continueOrderCreation`'s `threeDS.data`. */
  result: string;
  transStatus?: 'Y' | 'N';
}

export interface LinkPageInput {
  orderId: string;
  amount: string;
  currency: string;
  status: string;
  cardholderNameRequired: boolean;
  /** Shown above the form, e.g. when the cardholder name was left empty. */
  error?: string;
}

export interface ReceiptPageInput {
  orderId: string;
  amount: string;
  currency: string;
  status: string;
  /** Why the page is shown instead of the form, e.g. "This payment link is no longer open." */
  note?: string;
}

/**
 * JSON embedded in a <script> must not be able to close the script element, so `<` is escaped
 * (a cardholder-controlled string could otherwise contain `</script>`).
 */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

const PAGE_SHELL: PageShell = {
  maxWidth: '32rem',
  extraStyle: `button { margin: 0.25rem 0.5rem 0.25rem 0; padding: 0.5rem 1rem; }
code, textarea { word-break: break-all; }
textarea { width: 100%; }
form.inline { display: inline; }`,
};

const page = (title: string, body: string): string => htmlPage(title, body, PAGE_SHELL);

/**
 * The challenge step: the person decides. Each button posts to the sandbox, which answers with the
 * result page carrying the iframe response string.
 */
export function acsChallengePage(input: AcsPageInput): string {
  const id = encodeURIComponent(input.orderId);
  const transId = escapeHtml(input.threeDSServerTransID);
  const button = (action: 'authenticate' | 'reject', label: string): string =>
    `<form class="inline" method="post" action="/acs/${id}/${action}">` +
    `<input type="hidden" name="threeDSServerTransID" value="${transId}">` +
    `<button type="submit" name="action" value="${action}">${label}</button></form>`;
  return page(
    'Intergiro sandbox 3-D Secure',
    `<h1>3-D Secure challenge</h1>
<p>Sandbox issuer. Approve the payment of</p>
<p class="amount">${escapeHtml(input.amount)} ${escapeHtml(input.currency)}</p>
<p>Transaction <code>${transId}</code></p>
${button('authenticate', 'Authenticate')}
${button('reject', 'Reject')}`,
  );
}

/**
 * The result of a step. A real ACS answers the 3DS Server, which hands the result to the
 * merchant's iframe; the sandbox shows the string and also posts it to the parent window so an
 * embedding page can pick it up without copy and paste.
 */
export function acsResultPage(input: AcsResultPageInput): string {
  const message = { source: 'intergiro-sandbox-3ds', verification: { type: input.step, data: input.result } };
  const outcome =
    input.step === 'method'
      ? 'Device data collected.'
      : input.transStatus === 'Y'
        ? 'Authenticated.'
        : 'Authentication rejected.';
  return page(
    'Intergiro sandbox 3-D Secure result',
    `<h1>${escapeHtml(outcome)}</h1>
<p>Continue the order through the gateway with this string as <code>data</code>:</p>
<pre><code>mutation { continueOrderCreation(input: { orderId: "&lt;the gateway's order id&gt;",
  threeDS: { type: "${input.step}", data: "&lt;this string&gt;" } }) { status creation { status stopAction { type threeDS { type details } } } } }</code></pre>
<textarea id="result" readonly rows="4">${escapeHtml(input.result)}</textarea>
<script>if (window.parent !== window) window.parent.postMessage(${scriptJson(message)}, "*");</script>`,
  );
}

export function acsNotFoundPage(orderId: string): string {
  return page(
    'Intergiro sandbox 3-D Secure',
    `<h1>No authentication in progress</h1>
<p class="error">Order <code>${escapeHtml(orderId)}</code> is not waiting for 3-D Secure.</p>`,
  );
}

/** The checkout page behind a defer order's `payment.link`. */
export function linkPage(input: LinkPageInput): string {
  const base = `/link/${encodeURIComponent(input.orderId)}`;
  const nameField = input.cardholderNameRequired
    ? `<p><label>Cardholder name <input name="cardholderName" autocomplete="cc-name"></label></p>`
    : '';
  const error = input.error === undefined ? '' : `<p class="error">${escapeHtml(input.error)}</p>`;
  return page(
    'Intergiro sandbox checkout',
    `<h1>Pay order ${escapeHtml(input.orderId)}</h1>
<p class="amount">${escapeHtml(input.amount)} ${escapeHtml(input.currency)}</p>
${error}
<form method="post" action="${base}/pay">
${nameField}
<button type="submit">Pay</button>
</form>
<form class="inline" method="post" action="${base}/fail"><button type="submit">Fail</button></form>
<form class="inline" method="post" action="${base}/cancel"><button type="submit">Cancel</button></form>`,
  );
}

/** Shown after the link flow when the order has no redirectUrl, or when the link is closed. */
export function receiptPage(input: ReceiptPageInput): string {
  const note = input.note === undefined ? '' : `<p class="error">${escapeHtml(input.note)}</p>`;
  return page(
    'Intergiro sandbox receipt',
    `<h1>Order ${escapeHtml(input.orderId)}</h1>
${note}
<p class="amount">${escapeHtml(input.amount)} ${escapeHtml(input.currency)}</p>
<p>Status: <strong id="status">${escapeHtml(input.status)}</strong></p>`,
  );
}

export function notFoundPage(orderId: string): string {
  return page(
    'Intergiro sandbox',
    `<h1>Not found</h1><p class="error">There is no order <code>${escapeHtml(orderId)}</code>.</p>`,
  );
}
