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

module.exports = {
  jwtSecret: process.env.JWT_SECRET,
  db: {
    connection: {
      host: process.env.DB_HOST,
      user: process.env.DB_USER,
      password: process.env.DB_PASSWORD,
      database: env('DB_NAME', 'pizza'),
      port: Number(env('DB_PORT', '3306')),
      connectTimeout: 60000,
    },
    listPerPage: 10,
  },
  factory: {
    url: env('FACTORY_URL', 'https://pizza-factory.cs329.click'),
    apiKey: env('FACTORY_API_KEY', undefined),
  },
  metrics: {
    source: env('METRICS_SOURCE', 'jwt-pizza-service'),
    endpointUrl: env('METRICS_ENDPOINT_URL', undefined),
    accountId: env('METRICS_ACCOUNT_ID', undefined),
    apiKey: env('METRICS_API_KEY', undefined),
  },
  logging: {
    source: env('LOGGING_SOURCE', 'jwt-pizza-service'),
    endpointUrl: env('LOGGING_ENDPOINT_URL', undefined),
    accountId: env('LOGGING_ACCOUNT_ID', undefined),
    apiKey: env('LOGGING_API_KEY', undefined),
  },
};
