import { z } from 'zod';

/** CreateOrderInput.dintero, as GraphQL hands it over (schema/inputs.ts DinteroOrderOptions implements it). */
export const DinteroOptionsInput = z.object({
  profileId: z.string().nullish(),
  generateOrderId: z.string().nullish(),
});
export type DinteroOptionsInput = z.infer<typeof DinteroOptionsInput>;
