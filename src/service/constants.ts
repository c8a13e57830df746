/**
 * The values `PizzaService` and its helpers share: the course's defaults for its props, and the environment contract
 * its container gets.
 */

/** The course's hostname for the service: graders expect exactly `pizza-service.DOMAIN`. */
export const DEFAULT_SUBDOMAIN = 'pizza-service';

/** The JWT Pizza Factory every student's service orders from. */
export const DEFAULT_FACTORY_URL = 'https://pizza-factory.cs329.click';

/** The tag the course's CI pushes (and overwrites) on every build. */
export const DEFAULT_IMAGE_TAG = 'latest';

/** Course values: the Dockerfile starts the service on 80; the task is 0.5 vCPU / 1 GB. */
export const DEFAULT_CONTAINER_PORT = 80;
export const DEFAULT_CPU = 512;
export const DEFAULT_MEMORY_MIB = 1024;

/** Images the repository keeps. */
export const DEFAULT_MAX_IMAGE_COUNT = 10;

/** Autoscaling range. */
export const DEFAULT_MIN_CAPACITY = 1;
export const DEFAULT_MAX_CAPACITY = 4;

/** The environment contract: the variables the drop-in `config.js` (examples/jwt-pizza-service) reads. */
export const ENV = {
  PORT: 'PORT',
  JWT_SECRET: 'JWT_SECRET',
  FACTORY_URL: 'FACTORY_URL',
  FACTORY_API_KEY: 'FACTORY_API_KEY',
  DB_HOST: 'DB_HOST',
  DB_PORT: 'DB_PORT',
  DB_NAME: 'DB_NAME',
  DB_USER: 'DB_USER',
  DB_PASSWORD: 'DB_PASSWORD',
};

/** The prop that sets each contract variable the construct does not take from `database`. */
export const CONTRACT_PROPS: Record<string, string> = {
  [ENV.PORT]: '`containerPort`',
  [ENV.FACTORY_URL]: '`factoryUrl`',
  [ENV.JWT_SECRET]: '`jwtSecret`',
  [ENV.FACTORY_API_KEY]: '`factoryApiKeySecretName`',
};

/** Contract variables that hold secrets: they reach the container only as `secrets`, never as plain text. */
export const SECRET_VARIABLES = [ENV.JWT_SECRET, ENV.FACTORY_API_KEY, ENV.DB_PASSWORD];

/**
 * The service's name inside its own cluster (each PizzaService has its own cluster, so it never collides). Fixed so
 * that the desired-count resource can find the service without depending on it.
 */
export const SERVICE_NAME = 'jwt-pizza-service';
