// Drop-in src/config.js for jwt-pizza-service: configuration from the environment, as PizzaService provides it.
//
// PizzaService sets these variables on the container (secrets come from AWS Secrets Manager, never the image):
//   JWT_SECRET                      required  signs the service's JWTs
//   DB_HOST, DB_USER, DB_PASSWORD   required  MySQL endpoint and master credentials (from PizzaDatabase)
//   DB_NAME                         optional  schema the service creates on first start (default: pizza)
//   DB_PORT                         optional  MySQL port (default: 3306)
//   FACTORY_URL                     optional  JWT Pizza Factory (default: https://pizza-factory.cs329.click)
//   FACTORY_API_KEY                 optional  your factory API key (orders fail without it)
//   METRICS_* and LOGGING_*         optional  Grafana settings for the metrics and logging deliverables
// The service listens on the port its start command gives (the Dockerfile's CMD passes 80); PORT says the same.
//
// A required variable that is missing stops the service at startup with a message naming it, instead of a
// service that answers 200 on / while every database call fails.

const REQUIRED = ['JWT_SECRET', 'DB_HOST', 'DB_USER', 'DB_PASSWORD'];

const missing = REQUIRED.filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(
    `config.js: missing required environment variable(s): ${missing.join(', ')}. ` +
      'In ECS they come from PizzaService; locally, export them before starting the service.',
  );
}

const env = (name, fallback) => (process.env[name] === undefined || process.env[name] === '' ? fallback : process.env[name]);

if (!process.env.FACTORY_API_KEY) {
  console.warn('config.js: FACTORY_API_KEY is not set; orders to the pizza factory will be rejected');
}

// Grafana settings: the course text names them `endpointUrl` and `accountId`; the reference fork's metrics.js and
// logger.js read `url` and `userId`. Both names are exported, so either code works unchanged.
function grafana(prefix, defaultSource) {
  const endpointUrl = env(`${prefix}_ENDPOINT_URL`, undefined);
  const accountId = env(`${prefix}_ACCOUNT_ID`, undefined);
  return {
    source: env(`${prefix}_SOURCE`, defaultSource),
    endpointUrl,
    url: endpointUrl,
    accountId,
    userId: accountId,
    apiKey: env(`${prefix}_API_KEY`, undefined),
  };
}

const connection = {
  host: process.env.DB_HOST,
  user: process.env.DB_USER,
  database: env('DB_NAME', 'pizza'),
  port: Number(env('DB_PORT', '3306')),
  connectTimeout: 60000,
};
// Readable (mysql2 reads it), but not enumerable: upstream database.js logs `JSON.stringify(config.db.connection)`
// when initialisation fails, and that would write the password into CloudWatch Logs.
// (A spread or Object.assign copy of the settings loses it too: pass the object itself, or name the password.)
Object.defineProperty(connection, 'password', { value: process.env.DB_PASSWORD, enumerable: false, writable: true });

module.exports = {
  jwtSecret: process.env.JWT_SECRET,
  db: {
    connection,
    listPerPage: 10,
  },
  factory: {
    url: env('FACTORY_URL', 'https://pizza-factory.cs329.click'),
    apiKey: env('FACTORY_API_KEY', undefined),
  },
  metrics: grafana('METRICS', 'jwt-pizza-service'),
  logging: grafana('LOGGING', 'jwt-pizza-service'),
};
