/**
 * README example: a frontend creates an order and reads it back over a plain fetch, typed by
 * the generated documents. Run against a gateway (`npm start` prints the token):
 *
 *   npx tsx src/client/examples/create-and-read-order.ts http://localhost:4000 "$TOKEN"
 *
 * test/client/examples.test.ts runs it, so this file cannot drift from the gateway.
 */
import { pathToFileURL } from 'node:url';
import { CHECKOUT_CREATE_ORDER, CHECKOUT_ORDER } from '../operations.js';
import { execute } from '../request.js';
import { runExample } from './failure.js';

export async function createAndReadOrder(gatewayUrl: string, token: string) {
  const endpoint = `${gatewayUrl}/graphql`;
  // The variables are type-checked against CreateOrderInput; the answer is typed too.
  const { createOrder } = await execute(
    endpoint,
    CHECKOUT_CREATE_ORDER,
    {
      input: {
        provider: 'INTERGIRO',
        currency: 'EUR',
        items: [{ name: 'T-shirt', quantity: 2, unitPrice: '19.95', amount: '39.90' }],
        intergiro: { paymentType: 'LINK' },
        returnUrls: { success: 'https://shop.example/thanks' },
      },
    },
    { token },
  );
  // Send the buyer here: the provider's payment page.
  const redirectUrl = createOrder.creation.stopAction?.redirectUrl ?? null;
  const { order } = await execute(endpoint, CHECKOUT_ORDER, { id: createOrder.id }, { token });
  return { id: createOrder.id, status: order?.status ?? null, redirectUrl };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [gatewayUrl = 'http://localhost:4000', token = ''] = process.argv.slice(2);
  // A refusal (a bad token, a bad input) or an unreachable gateway: one line, not a stack.
  await runExample(async () => console.log(JSON.stringify(await createAndReadOrder(gatewayUrl, token))));
}
