import type { ScenarioDriver } from './driver.js';
import { dinteroDriver } from './dintero.driver.js';
import { intergiroDriver } from './intergiro.driver.js';
import { intershopDriver } from './intershop.driver.js';
import { paywayDriver } from './payway.driver.js';
import { peiDriver } from './pei.driver.js';

/** Every provider the gateway carries joins the shared scenarios here. */
export const SCENARIO_DRIVERS: ScenarioDriver[] = [intergiroDriver, peiDriver, intershopDriver, paywayDriver, dinteroDriver];
