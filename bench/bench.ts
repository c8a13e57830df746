/**
 * `npx projen bench`: synthesize the full example architecture built with pizza-constructs and the same
 * architecture built from aws-cdk-lib's own patterns, alternately, several times; print the median synth time of
 * each and their ratio, resource counts, idle monthly cost and modelled rollout overhead. Not part of the tests.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { costScenarios } from './cost-scenarios';
import { buildPatternApp } from './pattern-app';
import { buildPizzaApp } from './pizza-app';
import { PizzaCostReport } from '../src';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PROCESS_RUNS = Number(process.env.BENCH_PROCESS_RUNS ?? 5);

type Builder = (outdir: string) => { app: App; stack: Stack };

interface Measured {
  readonly name: string;
  readonly seconds: number[];
  readonly resources: number;
  readonly monthlyUsd: number;
  readonly rollout: Rollout;
}

interface Rollout {
  readonly interval: number;
  readonly healthyThreshold: number;
  readonly deregistrationDelay: number;
  /** first health-check pass (interval x healthy threshold) + deregistration delay */
  readonly seconds: number;
}

function synthOnce(build: Builder): { seconds: number; stack: Stack; template: any } {
  const outdir = mkdtempSync(join(os.tmpdir(), 'pizza-bench-'));
  const started = process.hrtime.bigint();
  const { app, stack } = build(outdir);
  const assembly = app.synth();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const template = assembly.getStackByName(stack.stackName).template;
  rmSync(outdir, { recursive: true, force: true });
  return { seconds, stack, template };
}

/** ELBv2 defaults apply when the template leaves a setting out (30 s interval, 5 checks, 300 s drain). */
function rolloutOf(template: any): Rollout {
  const groups = Object.values(template.Resources).filter(
    (r: any) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup',
  ) as any[];
  if (groups.length !== 1) throw new Error(`expected one target group, found ${groups.length}`);
  const p = groups[0].Properties ?? {};
  const attr = (p.TargetGroupAttributes ?? []).find((a: any) => a.Key === 'deregistration_delay.timeout_seconds');
  const interval = Number(p.HealthCheckIntervalSeconds ?? 30);
  const healthyThreshold = Number(p.HealthyThresholdCount ?? 5);
  const deregistrationDelay = Number(attr?.Value ?? 300);
  return {
    interval,
    healthyThreshold,
    deregistrationDelay,
    seconds: interval * healthyThreshold + deregistrationDelay,
  };
}

/** Wall time of the whole program, as `cdk synth` runs it: node, module loading, construction and synthesis. */
function synthProcess(side: string): number {
  const outdir = mkdtempSync(join(os.tmpdir(), 'pizza-bench-'));
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register', join(__dirname, 'run-app.ts'), side], {
    env: { ...process.env, CDK_OUTDIR: outdir, TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf-8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`${side} failed: ${result.stderr}`);
  return seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
  const builders: [string, Builder][] = [
    ['pizza-constructs', buildPizzaApp],
    ['aws-cdk-lib patterns', buildPatternApp],
  ];
  // warm-up: load every module once for both sides before timing
  for (const [, build] of builders) synthOnce(build);

  const times = new Map<string, number[]>(builders.map(([name]) => [name, []]));
  const last = new Map<string, { stack: Stack; template: any }>();
  for (let run = 0; run < RUNS; run++) {
    const order = run % 2 === 0 ? builders : [...builders].reverse();
    for (const [name, build] of order) {
      const { seconds, stack, template } = synthOnce(build);
      times.get(name)!.push(seconds);
      last.set(name, { stack, template });
    }
  }

  const processTimes: Record<string, number[]> = { pizza: [], pattern: [] };
  for (let run = 0; run < PROCESS_RUNS; run++) {
    for (const side of run % 2 === 0 ? ['pizza', 'pattern'] : ['pattern', 'pizza']) {
      processTimes[side].push(synthProcess(side));
    }
  }
  const processRatio = median(processTimes.pizza) / median(processTimes.pattern);

  const results: Measured[] = builders.map(([name]) => {
    const { stack, template } = last.get(name)!;
    return {
      name,
      seconds: times.get(name)!,
      resources: Object.keys(template.Resources).length,
      monthlyUsd: PizzaCostReport.estimate(stack).monthlyUsd,
      rollout: rolloutOf(template),
    };
  });

  const [pizza, pattern] = results;
  const ratio = median(pizza.seconds) / median(pattern.seconds);
  const lines = [
    `Benchmark ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${RUNS} alternating runs each`,
    '',
    '| | pizza-constructs | aws-cdk-lib patterns |',
    '|---|---|---|',
    `| median synth time, whole program as \`cdk synth\` runs it (${PROCESS_RUNS} runs) | ${median(processTimes.pizza).toFixed(2)} s (${processRatio.toFixed(2)}x) | ${median(processTimes.pattern).toFixed(2)} s |`,
    `| median synth time, construction + synthesis in a warm process | ${median(pizza.seconds).toFixed(3)} s (${ratio.toFixed(2)}x) | ${median(pattern.seconds).toFixed(3)} s |`,
    `| resources | ${pizza.resources} | ${pattern.resources} |`,
    `| idle cost (us-east-1 list prices) | $${pizza.monthlyUsd.toFixed(2)}/month | $${pattern.monthlyUsd.toFixed(2)}/month |`,
    `| rollout overhead (interval x healthy checks + drain) | ${pizza.rollout.seconds} s (${pizza.rollout.interval} x ${pizza.rollout.healthyThreshold} + ${pizza.rollout.deregistrationDelay}) | ${pattern.rollout.seconds} s (${pattern.rollout.interval} x ${pattern.rollout.healthyThreshold} + ${pattern.rollout.deregistrationDelay}) |`,
    `| rollout overhead (one interval + drain) | ${pizza.rollout.interval + pizza.rollout.deregistrationDelay} s | ${pattern.rollout.interval + pattern.rollout.deregistrationDelay} s |`,
  ];
  const scenarios = costScenarios(mkdtempSync(join(os.tmpdir(), 'pizza-bench-costs-')));
  lines.push('', '| deployment | idle cost (us-east-1 list prices) |', '|---|---|');
  for (const scenario of scenarios) {
    lines.push(`| ${scenario.name} | $${scenario.monthlyUsd.toFixed(2)}/month |`);
  }
  console.log(lines.join('\n'));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    join('bench-results', 'latest.json'),
    JSON.stringify({ ratio, processRatio, processTimes, results, scenarios }, undefined, 2),
  );
  writeFileSync(join('bench-results', 'latest.md'), `${lines.join('\n')}\n`);
}

main();
