import { z } from 'zod';

/** CreateOrderInput.pei, as GraphQL hands it over (schema/inputs.ts PeiOrderOptions implements it). */
export const PeiOptions = z.object({
  sequenceType: z.enum(['ONE_OFF', 'FIRST', 'RECURRING']).nullish(),
  mandateId: z.string().nullish(),
  subscription: z
    .object({ startDate: z.string(), frequency: z.enum(['WEEK', 'MONTH']), frequencyInterval: z.number(), cycles: z.number() })
    .nullish(),
  purchaseForBuyer: z.boolean().nullish(),
});
export type PeiOptions = z.infer<typeof PeiOptions>;
