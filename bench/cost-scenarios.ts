/**
 * The idle cost of the deployments the README prices (PizzaCostReport, us-east-1 list prices): the quick start
 * running and paused, and staging plus production with one load balancer each or one shared.
 */
import { App, Stack } from 'aws-cdk-lib';
import { buildPizzaApp } from './pizza-app';
import { PizzaCostReport, PizzaDatabase, PizzaDns, PizzaLoadBalancer, PizzaService } from '../src';

export interface CostScenario {
  readonly name: string;
  readonly monthlyUsd: number;
}

/**
 * Staging and production, each with its database (or without, as the baseline counted them), on one shared
 * load balancer or on one each, with staging running or paused.
 */
function stagingAndProduction(shared: boolean, databases = true, pauseStaging = false): Stack {
  const app = new App();
  const stack = new Stack(app, 'JwtPizzaEnvironments', { env: { account: '123456789012', region: 'us-east-1' } });
  const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const loadBalancer = shared ? new PizzaLoadBalancer(stack, 'LoadBalancer', { dns }) : undefined;
  for (const [name, prefix] of [
    ['Production', ''],
    ['Staging', 'stage-'],
  ]) {
    const paused = pauseStaging && name === 'Staging';
    const database = databases
      ? new PizzaDatabase(stack, `${name}Database`, { vpc: loadBalancer?.vpc, paused })
      : undefined;
    new PizzaService(stack, `${name}Service`, {
      dns,
      database,
      loadBalancer,
      paused,
      subdomain: `${prefix}pizza-service`,
      factoryApiKeySecretName: 'pizza/factory-api-key',
    });
  }
  return stack;
}

export function costScenarios(outdir: string): CostScenario[] {
  const estimate = (stack: Stack) => PizzaCostReport.estimate(stack).monthlyUsd;
  return [
    { name: 'quick start, running', monthlyUsd: estimate(buildPizzaApp(`${outdir}/running`).stack) },
    { name: 'quick start, paused', monthlyUsd: estimate(buildPizzaApp(`${outdir}/paused`, 'us-east-1', true).stack) },
    {
      name: "quick start with the frontend's staging (deliverable 7), running",
      monthlyUsd: estimate(buildPizzaApp(`${outdir}/staged`, 'us-east-1', false, true).stack),
    },
    {
      name: "quick start with the frontend's staging (deliverable 7), paused",
      monthlyUsd: estimate(buildPizzaApp(`${outdir}/staged-paused`, 'us-east-1', true, true).stack),
    },
    { name: 'staging + production, two load balancers', monthlyUsd: estimate(stagingAndProduction(false)) },
    { name: 'staging + production, one shared load balancer', monthlyUsd: estimate(stagingAndProduction(true)) },
    {
      name: 'staging + production, one shared load balancer, staging paused',
      monthlyUsd: estimate(stagingAndProduction(true, true, true)),
    },
    {
      name: 'staging + production services only (no databases), two load balancers',
      monthlyUsd: estimate(stagingAndProduction(false, false)),
    },
    {
      name: 'staging + production services only (no databases), one shared load balancer',
      monthlyUsd: estimate(stagingAndProduction(true, false)),
    },
  ];
}
