/**
 * examples/jwt-pizza-service/config.js, run under Node as the service would load it: the object it exports has the
 * shape jwt-pizza-service reads, and a missing required variable stops it with a message naming the variable.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';

const CONFIG = join(__dirname, '..', 'examples', 'jwt-pizza-service', 'config.js');

const CONTRACT = {
  JWT_SECRET: 'jwt-secret-value',
  DB_HOST: 'db.example.com',
  DB_USER: 'admin',
  DB_PASSWORD: 'db-password-value',
};

/** Load config.js in a fresh Node with exactly `env` (plus PATH), and return what it exported or how it failed. */
function load(env: Record<string, string>): { status: number | null; config?: any; stderr: string } {
  const result = spawnSync(
    process.execPath,
    // the password is not enumerable (see the next test): read it as mysql2 does, by name
    [
      '-e',
      `const c = require(${JSON.stringify(CONFIG)}); ` +
        'process.stdout.write(JSON.stringify({ ...c, db: { ...c.db, connection: { ...c.db.connection, ' +
        'password: c.db.connection.password } } }))',
    ],
    { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf-8' },
  );
  return {
    status: result.status,
    config: result.status === 0 ? JSON.parse(result.stdout) : undefined,
    stderr: result.stderr,
  };
}

describe('examples/jwt-pizza-service/config.js', () => {
  test('exports the shape the service reads, from the environment contract', () => {
    const { status, config } = load({
      ...CONTRACT,
      DB_PORT: '3307',
      DB_NAME: 'pizza',
      FACTORY_URL: 'https://factory.example.com',
      FACTORY_API_KEY: 'factory-key-value',
    });
    expect(status).toBe(0);
    expect(config).toMatchObject({
      jwtSecret: 'jwt-secret-value',
      db: {
        connection: {
          host: 'db.example.com',
          user: 'admin',
          password: 'db-password-value',
          database: 'pizza',
          port: 3307,
          connectTimeout: 60000,
        },
        listPerPage: 10,
      },
      factory: { url: 'https://factory.example.com', apiKey: 'factory-key-value' },
    });
  });

  test('defaults the schema, port and factory URL', () => {
    const { status, config, stderr } = load(CONTRACT);
    expect(status).toBe(0);
    expect(config.db.connection.database).toBe('pizza');
    expect(config.db.connection.port).toBe(3306);
    expect(config.factory.url).toBe('https://pizza-factory.cs329.click');
    expect(config.factory.apiKey).toBeUndefined();
    expect(stderr).toContain('FACTORY_API_KEY is not set');
  });

  test('passes the Grafana metrics and logging settings through, under the course names and the fork names', () => {
    const { config } = load({
      ...CONTRACT,
      METRICS_ENDPOINT_URL: 'https://m.example.com',
      METRICS_ACCOUNT_ID: '123456',
      LOGGING_ENDPOINT_URL: 'https://l.example.com',
      LOGGING_ACCOUNT_ID: '654321',
      LOGGING_API_KEY: 'k',
    });
    expect(config.metrics).toEqual({
      source: 'jwt-pizza-service',
      endpointUrl: 'https://m.example.com',
      url: 'https://m.example.com',
      accountId: '123456',
      userId: '123456',
    });
    expect(config.logging).toEqual({
      source: 'jwt-pizza-service',
      endpointUrl: 'https://l.example.com',
      url: 'https://l.example.com',
      accountId: '654321',
      userId: '654321',
      apiKey: 'k',
    });
  });

  test('the database password never reaches a log through the upstream code, and still reaches mysql2', () => {
    // strict mode, as a fork's ES module or test file may be
    // upstream database.js, when initialisation fails: logger/console output of the connection settings
    const script =
      "'use strict'; " +
      `const config = require(${JSON.stringify(CONFIG)}); ` +
      'console.log(JSON.stringify(config)); ' +
      "console.error('Error initializing database:', JSON.stringify(config.db.connection)); " +
      "console.log(require('util').inspect(config, { depth: null })); " +
      // what mysql2.createConnection(config.db.connection) reads: the property by name
      'const { password } = config.db.connection; ' +
      "process.stdout.write(password === 'db-password-value' ? 'PASSWORD-READABLE' : 'PASSWORD-MISSING'); " +
      // a copy by spread loses it (the README says so), and a fork's test may still overwrite it
      "process.stdout.write(({ ...config.db.connection }).password === undefined ? ' SPREAD-LOSES-IT' : ''); " +
      "config.db.connection.password = 'changed'; " +
      "process.stdout.write(config.db.connection.password === 'changed' ? ' WRITABLE' : '');";
    const result = spawnSync(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH ?? '', ...CONTRACT, FACTORY_API_KEY: 'factory-key-value' },
      encoding: 'utf-8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('PASSWORD-READABLE SPREAD-LOSES-IT WRITABLE');
    expect(result.stdout).toContain('"host":"db.example.com"');
    expect(`${result.stdout}${result.stderr}`).not.toContain('db-password-value');
  });

  test('fails fast, naming every missing required variable, without printing any value', () => {
    const { status, stderr } = load({});
    expect(status).not.toBe(0);
    expect(stderr).toContain(
      'config.js: missing required environment variable(s): JWT_SECRET, DB_HOST, DB_USER, DB_PASSWORD.',
    );
  });

  test.each(Object.keys(CONTRACT))('fails fast without %s', (name) => {
    const env: Record<string, string> = { ...CONTRACT };
    delete env[name];
    const { status, stderr } = load(env);
    expect(status).not.toBe(0);
    expect(stderr).toContain(`missing required environment variable(s): ${name}.`);
    for (const value of Object.values(env)) {
      expect(stderr).not.toContain(value);
    }
  });

  test('treats an empty value as missing', () => {
    const { status, stderr } = load({ ...CONTRACT, DB_PASSWORD: '' });
    expect(status).not.toBe(0);
    expect(stderr).toContain('DB_PASSWORD');
  });
});
