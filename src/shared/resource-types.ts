/**
 * The type of a PizzaDatabase's pause custom resource: the database creates it (src/database/pause.ts), the cost
 * report reads its `Paused` property (src/cost-report/estimate-data.ts).
 */
export const PAUSE_RESOURCE_TYPE = 'Custom::PizzaDatabasePause';
