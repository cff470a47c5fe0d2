import type { PersistedOperationsMode } from '../server/persisted-operations.js';

/**
 * The demo page's HTML: plain, accessible markup (labels, a fieldset, a live status region);
 * the app (/demo/app.js) fills it. No CDN, no framework.
 */
export function demoPage(options: { persisted: PersistedOperationsMode }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo checkout — payments gateway sandbox</title>
<link rel="icon" href="data:,">
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
  fieldset { border: 1px solid #999; border-radius: .5rem; padding: 1rem; }
  label { display: block; margin: .4rem 0; }
  button { font: inherit; padding: .5rem 1.25rem; border-radius: .4rem; border: 1px solid #1b4d8c; background: #1b4d8c; color: #fff; cursor: pointer; }
  button:disabled { opacity: .6; cursor: wait; }
  button:focus-visible, input:focus-visible { outline: 3px solid #f0a000; outline-offset: 2px; }
  #waiting { border-radius: .5rem; padding: 1rem 1.25rem; border: 2px solid #777; }
  #waiting[data-tone="paid"] { border-color: #1e7a36; background: #eaf6ed; }
  #waiting[data-tone="failed"] { border-color: #a32020; background: #fbeaea; }
  #three-ds iframe { display: block; width: 100%; height: 24rem; border: 1px solid #999; border-radius: .4rem; background: #fff; }
  #three-ds iframe[hidden] { display: none; }
  .error { color: #a32020; }
  .note { color: #555; font-size: .9rem; }
</style>
</head>
<body>
<main id="demo" data-persisted="${options.persisted}">
  <h1>Demo checkout</h1>
  <p class="note">Sandbox mode: every provider here is the gateway's built-in simulator. No real money moves.</p>
  <p id="error" class="error" role="alert" hidden></p>
  <section id="checkout" aria-labelledby="checkout-title" hidden>
    <h2 id="checkout-title">Pay for your basket</h2>
    <form id="checkout-form">
      <fieldset>
        <legend>Pay with</legend>
        <div id="providers"></div>
      </fieldset>
      <p><button id="pay" type="submit">Pay</button></p>
    </form>
  </section>
  <section id="waiting" aria-labelledby="status-title" hidden>
    <div role="status" aria-live="polite">
      <h2 id="status-title">Waiting for payment</h2>
      <p id="status-detail"></p>
    </div>
    <section id="three-ds" aria-labelledby="three-ds-title" hidden>
      <h3 id="three-ds-title">Confirm with your bank</h3>
      <p class="note">Your card asks for 3-D Secure: the bank’s page below is the provider sandbox’s simulated issuer.</p>
      <div id="three-ds-frame"></div>
    </section>
    <p class="note"><span id="order-summary"></span> — status <code id="order-status"></code></p>
    <p><button id="start-over" type="button">New order</button></p>
  </section>
  <noscript><p class="error">The demo needs JavaScript.</p></noscript>
</main>
<script type="module" src="/demo/app.js"></script>
</body>
</html>
`;
}
