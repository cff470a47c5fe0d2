import { z } from 'zod';

/** CreateOrderInput.intershop, as GraphQL hands it over (schema/inputs.ts IntershopOrderOptions implements it). */
export const IntershopOptions = z.object({
  basketId: z.string(),
  termsAndConditionsAccepted: z.boolean(),
});
export type IntershopOptions = z.infer<typeof IntershopOptions>;
