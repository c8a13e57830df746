/**
 * PizzaCostReport on the frontend's CloudFront resources: the distribution and, with `staging`, the release pointer
 * (a CloudFront KeyValueStore). Neither has an idle charge: each is listed at $0 with what its use costs, and staging
 * leaves the idle total as it was. (The other resource families are in pizza-cost-report.test.ts.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { PizzaCostLineItem, PizzaCostReport, PizzaDatabase, PizzaDns, PizzaFrontend, PizzaService } from '../src';
import { KEY_VALUE_STORE_CALLS_PER_RELEASE } from '../src/cost-report/estimate-edge';
import { EXCLUDED_COSTS, PRICES } from '../src/cost-report/price-list';

type EdgeModule = typeof import('../src/cost-report/estimate-edge');
type EstimatorModule = typeof import('../src/cost-report/estimator');

const ENV = { account: '123456789012', region: 'us-east-1' };
const KVS = 'AWS::CloudFront::KeyValueStore';
const DISTRIBUTION = 'AWS::CloudFront::Distribution';

/** The quick start (dns, database, service) and its frontend, with or without staging. */
function pizzaStack(staging: boolean, app = new App()): Stack {
  const stack = new Stack(app, 'Test', { env: ENV });
  const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const database = new PizzaDatabase(stack, 'Database');
  const service = new PizzaService(stack, 'Service', {
    dns,
    database,
    factoryApiKeySecretName: 'pizza/factory-api-key',
  });
  new PizzaFrontend(stack, 'Frontend', { dns, serviceUrl: service.url, ...(staging ? { staging: {} } : {}) });
  return stack;
}

function items(stack: Stack, resourceType: string): PizzaCostLineItem[] {
  return PizzaCostReport.estimate(stack).items.filter((item) => item.resourceType === resourceType);
}

/** The usage prices as the notes write them, from the price list. */
const readsPerMillion = `$${PRICES.keyValueStoreReadsPerMillion.toFixed(2)} per million`;
const callsPerThousand = `$${PRICES.keyValueStoreApiCallsPerThousand.toFixed(2)} per 1,000`;
const perRelease = (KEY_VALUE_STORE_CALLS_PER_RELEASE * PRICES.keyValueStoreApiCallsPerThousand) / 1000;

describe('PizzaCostReport on PizzaFrontend', () => {
  test('with staging, the KeyValueStore (the release pointer) is listed at $0.00/month with what its use costs', () => {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
    new PizzaFrontend(stack, 'Frontend', { dns, staging: {} });

    const kvs = items(stack, KVS);
    expect(kvs).toHaveLength(1);
    expect(kvs[0]).toMatchObject({
      logicalId: expect.stringMatching(/^FrontendReleasePointer/),
      constructPath: expect.stringMatching(/^Test\/Frontend\//),
      kind: 'CloudFront KeyValueStore',
      quantity: 1,
      unit: 'key value store',
      unitMonthlyUsd: PRICES.keyValueStoreMonth,
      monthlyUsd: 0,
    });
    expect(`$${kvs[0].monthlyUsd.toFixed(2)}/month`).toBe('$0.00/month');
    const note = kvs[0].assumption!;
    expect(note).toContain('no storage or idle charge');
    expect(note).toContain(`reads by CloudFront Functions ${readsPerMillion}`);
    expect(note).toContain(`API calls ${callsPerThousand}`);
    expect(note).toContain(`is ~${KEY_VALUE_STORE_CALLS_PER_RELEASE} API calls, ~$${perRelease.toFixed(3)}`);
    // by hand: $0.03 per million reads, $1.00 per 1,000 calls; 3 calls a release, $0.003
    expect(note).toContain('$0.03 per million');
    expect(note).toContain('$1.00 per 1,000');
    expect(note).toContain('~3 API calls, ~$0.003');
  });

  test('with staging, one distribution (not two) serves both host names, at $0; without, no KeyValueStore', () => {
    const staged = items(pizzaStack(true), DISTRIBUTION);
    expect(staged).toHaveLength(1);
    expect(staged[0]).toMatchObject({ kind: 'CloudFront distribution', quantity: 1, monthlyUsd: 0 });
    expect(staged[0].unitMonthlyUsd).toBe(PRICES.cloudFrontDistributionMonth);
    expect(staged[0].assumption).toContain(
      'one distribution serves the 2 host names (pizza.example.com, stage-pizza.example.com)',
    );
    expect(staged[0].assumption).toContain('Route 53 alias records to a distribution');

    const plain = pizzaStack(false);
    expect(items(plain, DISTRIBUTION)).toHaveLength(1);
    expect(items(plain, DISTRIBUTION)[0].assumption).not.toContain('host names');
    expect(items(plain, KVS)).toEqual([]);
  });

  test('staging leaves the idle total as it was: its only new line is the KeyValueStore, at $0', () => {
    const staged = PizzaCostReport.estimate(pizzaStack(true));
    const plain = PizzaCostReport.estimate(pizzaStack(false));
    expect(plain.monthlyUsd).toBeGreaterThan(0);
    expect(staged.monthlyUsd).toBe(plain.monthlyUsd);
    const lines = (estimate: typeof plain) => estimate.items.map((i) => `${i.resourceType} ${i.kind} ${i.monthlyUsd}`);
    const added = [...lines(staged)];
    for (const line of lines(plain)) {
      expect(added).toContain(line);
      added.splice(added.indexOf(line), 1);
    }
    expect(added).toEqual([`${KVS} CloudFront KeyValueStore 0`]);
  });

  test('the report file carries the $0 lines; the annotation names only what costs money', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pizza-cost-frontend-'));
    try {
      const app = new App({ outdir });
      PizzaCostReport.of(app);
      const stack = pizzaStack(true, app);
      app.synth();
      const report = JSON.parse(fs.readFileSync(path.join(outdir, PizzaCostReport.FILE_NAME), 'utf-8'));
      const kvs = report.stacks[0].items.filter((i: any) => i.resourceType === KVS);
      expect(kvs).toEqual([expect.objectContaining({ kind: 'CloudFront KeyValueStore', monthlyUsd: 0 })]);
      expect(report.totalMonthlyUsd).toBe(PizzaCostReport.estimate(pizzaStack(false)).monthlyUsd);
      const info = Annotations.fromStack(stack).findInfo('/Test', Match.stringLikeRegexp('^Idle cost estimate'));
      expect(info).toHaveLength(1);
      expect(String(info[0].entry.data)).not.toMatch(/KeyValueStore|CloudFront distribution/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('the usage prices come from the price list: changing them there changes the note', () => {
    expect(PRICES.keyValueStoreMonth).toBe(0);
    expect(PRICES.cloudFrontDistributionMonth).toBe(0);
    expect(PRICES.keyValueStoreReadsPerMillion).toBe(0.03);
    expect(PRICES.keyValueStoreApiCallsPerThousand).toBe(1);
    expect(EXCLUDED_COSTS.join('\n')).toContain('CloudFront KeyValueStore reads and API calls');

    jest.isolateModules(() => {
      const actual = jest.requireActual('../src/cost-report/price-list');
      jest.doMock('../src/cost-report/price-list', () => ({
        ...actual,
        PRICES: { ...actual.PRICES, keyValueStoreReadsPerMillion: 0.05, keyValueStoreApiCallsPerThousand: 2 },
      }));
      // required inside the isolated registry, so that they read the changed price list
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { EDGE_FAMILY }: EdgeModule = require('../src/cost-report/estimate-edge');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Estimator }: EstimatorModule = require('../src/cost-report/estimator');
      const estimator = new Estimator({}, new Map(), new Map());
      EDGE_FAMILY.prices[KVS](estimator, 'Pointer', KVS, {});
      const note = estimator.run()[0].assumption;
      expect(note).toContain('$0.05 per million');
      expect(note).toContain('$2.00 per 1,000');
      expect(note).toContain('~$0.006');
    });
  });
});
