/**
 * Callers without TypeScript's checks: plain JavaScript, or another jsii language. A missing prop or a value of the
 * wrong kind gets the same clear `Error` as any other bad input, never a `TypeError` from inside the construct.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { PizzaDatabase, PizzaDns, PizzaFrontend, PizzaGitHubDeployRole, PizzaService } from '../src';

const ENV = { account: '123456789012', region: 'us-east-1' };

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: ENV });
}

/** What plain JavaScript can pass: anything. */
type Untyped = any;

/** Construct `type` as JavaScript would, with `props` unchecked. */
function untyped(type: Untyped, props?: unknown, stack = newStack()): unknown {
  return props === undefined ? new type(stack, 'Construct') : new type(stack, 'Construct', props);
}

describe('a construct called without its required props', () => {
  test('PizzaDns with no props', () => {
    expect(() => untyped(PizzaDns)).toThrow('PizzaDns needs props with `domainName`, got: undefined');
  });

  test('PizzaDns with null props', () => {
    expect(() => untyped(PizzaDns, null)).toThrow('PizzaDns needs props with `domainName`, got: null');
  });

  test('PizzaDns with props but no domainName', () => {
    expect(() => untyped(PizzaDns, { hostedZoneId: 'Z1' })).toThrow(
      'PizzaDns needs `domainName` (a string), got: undefined',
    );
  });

  test('PizzaGitHubDeployRole with no props', () => {
    expect(() => untyped(PizzaGitHubDeployRole)).toThrow(
      'PizzaGitHubDeployRole needs props with `owner`, got: undefined',
    );
  });

  test.each([PizzaFrontend, PizzaService, PizzaDatabase])('%p with no props works (every prop is optional)', (type) => {
    expect(() => untyped(type)).not.toThrow();
  });
});

describe('a prop of the wrong kind', () => {
  test.each([
    [PizzaDns, { domainName: 42 }, 'PizzaDns: `domainName` must be a string, got: number 42'],
    [PizzaDns, 'example.com', 'PizzaDns props must be an object, got: string "example.com"'],
    [
      PizzaDns,
      { domainName: 'example.com', hostedZone: 'Z0123456789ABC' },
      'PizzaDns: `hostedZone` must be an object, got: string "Z0123456789ABC"',
    ],
    [PizzaFrontend, { dns: 'example.com' }, 'PizzaFrontend: `dns` must be a PizzaDns, got: string "example.com"'],
    [PizzaFrontend, { source: ['dist'] }, 'PizzaFrontend: `source` must be a string, got: a list ["dist"]'],
    [PizzaFrontend, { assetRetention: 30 }, 'PizzaFrontend: `assetRetention` must be a Duration, got: number 30'],
    [
      PizzaFrontend,
      { buildOptions: { environment: { VITE_X: 1 } } },
      'PizzaFrontend `buildOptions`: `environment` must be an object of string values, got: an object',
    ],
    [PizzaService, { cpu: '512' }, 'PizzaService: `cpu` must be a number, got: string "512"'],
    [PizzaService, { spot: 'yes' }, 'PizzaService: `spot` must be true or false, got: string "yes"'],
    [
      PizzaService,
      { environment: { PORTS: [80] } },
      'PizzaService: `environment` must be an object of string values, got: an object',
    ],
    [PizzaService, { database: {} }, 'PizzaService: `database` must be a PizzaDatabase, got: an object'],
    [PizzaDatabase, { backupRetention: 7 }, 'PizzaDatabase: `backupRetention` must be a Duration, got: number 7'],
    [
      PizzaDatabase,
      { instanceType: 'db.t4g.micro' },
      'PizzaDatabase: `instanceType` must be an InstanceType, got: string "db.t4g.micro"',
    ],
    [
      PizzaDatabase,
      { allocatedStorage: Duration.days(1) },
      'PizzaDatabase: `allocatedStorage` must be a Size, got: a Duration',
    ],
  ])('%p %j', (type, props, message) => {
    expect(() => untyped(type, props)).toThrow(message);
  });

  test.each([
    [{ branches: 'main' }, '`branches` must be a list of strings, got: string "main"'],
    [{ environments: ['production', 1] }, '`environments` must be a list of strings, got: a list ["production",1]'],
    [{ createOidcProvider: 'true' }, '`createOidcProvider` must be true or false, got: string "true"'],
    [{ owner: ['byucsstudent'] }, '`owner` must be a string, got: a list ["byucsstudent"]'],
  ])('PizzaGitHubDeployRole %j', (props, message) => {
    const stack = newStack();
    const service = new PizzaService(stack, 'Service');
    expect(() => untyped(PizzaGitHubDeployRole, { owner: 'byucsstudent', service, ...props }, stack)).toThrow(
      `PizzaGitHubDeployRole: ${message}`,
    );
  });

  test('a long value is shortened in the message', () => {
    expect(() => untyped(PizzaDns, { domainName: ['x'.repeat(200)] })).toThrow(
      /^PizzaDns: `domainName` must be a string, got: a list \["x+\.\.\.$/,
    );
  });
});
