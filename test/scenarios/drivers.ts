import type { ScenarioDriver } from './driver.js';
import { intergiroDriver } from './intergiro.driver.js';

/** Every provider the gateway carries joins the shared scenarios here. */
export const SCENARIO_DRIVERS: ScenarioDriver[] = [intergiroDriver];
