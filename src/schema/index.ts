import { builder } from './builder.js';
import './scalars.js';
import './enums.js';
import './money.js';
import './order.js';
import './order-status-change.js';
import './inputs.js';
import './query.js';
import './mutation.js';
import './subscription.js';

/** The gateway's GraphQL schema, built once from the Pothos definitions above. */
export const schema = builder.toSchema({ sortSchema: false });
