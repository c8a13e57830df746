/**
 * The cloud and the repository the example workflows run against in test/workflow-harness.ts: one bucket, one
 * release pointer (a CloudFront KeyValueStore), the two sites CloudFront serves from them, and the fork's commits and
 * GitHub releases. Kept in files under a temporary folder, so that several workflow runs share them (a push, then a
 * promotion, then a rollback) and the test reads them as the course's autograder would: `releases/latest` and each
 * site's `/version.json`. test/fixtures/stand-ins/cloud.cjs plays `aws`, `gh` and `curl` against it; the bash
 * stand-ins on the steps' PATH (npm, docker, date, ...) are written here too.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { releaseRoutingFunctionCode, SPA_ROUTING_FUNCTION_CODE } from '../src/frontend/spa-routing';

export const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
export const INVALIDATION_ID = 'I2J0I21PCUYOIK';
/** The fork the workflows run in (`github.repository`). */
export const REPOSITORY = 'byucsstudent/jwt-pizza';
/** When the first build of a world is versioned: its `date` stand-in then moves a minute each call. */
const CLOCK_START = Date.UTC(2026, 11, 7, 13, 45, 1) / 1000;
const CLOUD = join(__dirname, 'fixtures', 'stand-ins', 'cloud.cjs');

/** A GitHub release, as `GET /repos/O/R/releases` gives it (with the commit its tag names). */
export interface Release {
  readonly id: number;
  readonly tag_name: string;
  readonly target_commitish: string;
  readonly sha: string;
  readonly name: string;
  readonly body: string;
  readonly draft: boolean;
  readonly prerelease: boolean;
  /** What `gh release create` asked: `true` (--latest), `false` (--latest=false), or `default`. */
  readonly make_latest: string;
}

interface State {
  /** The pointer's version: its ETag is derived from it, and every put moves it. */
  etag: number;
  keys: Record<string, string>;
  /** Each key's value before its last put (what a `lag`ging edge still serves). */
  previous: Record<string, string | undefined>;
  /** How many more describe-key-value-store answers another writer makes stale (the put that follows is refused). */
  conflicts: number;
  /** How many more site requests still see the pointer as it was before its last put. */
  lag: number;
  releases: Release[];
  latest?: number;
  /** The commits of `main`, oldest first. */
  commits: string[];
}

export type Grants = 'staging' | 'all';

export class World {
  public readonly dir: string;

  /** The bucket (APP_BUCKET) whose objects are files under `dir`/s3/BUCKET. */
  private readonly bucket: string;

  /**
   * @param vars the GitHub variables the stack's outputs fill: the bucket, the pointer and the sites are theirs
   * @param grants `staging` (the default with a RELEASE_POINTER_ARN): the stand-ins refuse, with AccessDenied,
   *   whatever the staging role does not grant: PutObject outside assets/* and ????????.??????/*, any invalidation,
   *   anything on another bucket or key value store
   */
  constructor(vars: Record<string, string>, grants: Grants = vars.RELEASE_POINTER_ARN ? 'staging' : 'all') {
    this.dir = mkdtempSync(join(tmpdir(), 'pizza-world-'));
    const host = (url: string | undefined) => (url ? new URL(url).host : undefined);
    const sites: Record<string, string> = {};
    for (const [url, key] of [
      [vars.SITE_URL, 'production'],
      [vars.STAGING_URL, 'staging'],
    ]) {
      if (host(url)) sites[host(url)!] = key!;
    }
    // the viewer-request function the stack deploys, which the curl stand-in runs for each GET of a site
    const stagingHost = host(vars.STAGING_URL);
    const functionCode =
      vars.RELEASE_POINTER_ARN && stagingHost ? releaseRoutingFunctionCode(stagingHost) : SPA_ROUTING_FUNCTION_CODE;
    const world = {
      bucket: vars.APP_BUCKET,
      functionCode,
      kvsArn: vars.RELEASE_POINTER_ARN || undefined,
      sites,
      repository: REPOSITORY,
      defaultBranch: 'main',
      grants,
      invalidationId: INVALIDATION_ID,
    };
    writeFileSync(join(this.dir, 'world.json'), JSON.stringify(world, undefined, 2));
    this.bucket = world.bucket;
    const state: State = { etag: 1, keys: {}, previous: {}, conflicts: 0, lag: 0, releases: [], commits: [] };
    this.write(state);
    writeFileSync(join(this.dir, 'clock'), String(CLOCK_START));
    this.push();
  }

  public state(): State {
    return JSON.parse(readFileSync(join(this.dir, 'state.json'), 'utf-8'));
  }

  /** Set a knob of the pointer: `conflicts` (stale ETags to come) or `lag` (stale site answers to come). */
  public set(change: Partial<Pick<State, 'conflicts' | 'lag'>>): void {
    this.write({ ...this.state(), ...change });
  }

  /** A new commit on `main` (what a push brings); its SHA. */
  public push(): string {
    const state = this.state();
    const sha = createHash('sha1').update(`commit ${state.commits.length}`).digest('hex');
    this.write({ ...state, commits: [...state.commits, sha] });
    return sha;
  }

  public head(): string {
    return this.state().commits.at(-1)!;
  }

  /** The bucket's keys, sorted. */
  public objects(): string[] {
    const root = join(this.dir, 's3', this.bucket);
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [relative(root, join(dir, e.name))],
      );
    try {
      return walk(root).sort();
    } catch {
      return [];
    }
  }

  /** Put an object into the bucket by hand (not through a workflow). */
  public upload(key: string, body: string): void {
    mkdirSync(join(this.dir, 's3', this.bucket, key, '..'), { recursive: true });
    writeFileSync(join(this.dir, 's3', this.bucket, key), body);
  }

  /** The version a key of the release pointer names (undefined: unset). */
  public pointer(key: 'production' | 'staging'): string | undefined {
    return this.state().keys[key];
  }

  public releases(): Release[] {
    return this.state().releases;
  }

  /** `GET /repos/O/R/releases/latest`: undefined where GitHub answers 404 (and the grader's fetch gives null). */
  public latest(): Release | undefined {
    const state = this.state();
    return state.releases.find((r) => r.id === state.latest);
  }

  /** `.version` of `https://HOST/version.json` as the site serves it now (undefined: not served). */
  public served(siteUrl: string): string | undefined {
    const result = spawnSync(
      process.execPath,
      [CLOUD, 'curl', this.dir, '/dev/null', '-fsS', `${siteUrl}/version.json`],
      {
        encoding: 'utf-8',
      },
    );
    return result.status === 0 ? JSON.parse(result.stdout).version : undefined;
  }

  private write(state: State): void {
    writeFileSync(join(this.dir, 'state.json'), JSON.stringify(state, undefined, 2));
  }
}

/**
 * Stand-ins on PATH: each logs its argv (fields split by \x1f, a newline in an argument written as `\n`) and does
 * what the workflows need of it: `aws`, `gh` and `curl` answer from the world (cloud.cjs), the others below.
 */
export function standIns(dir: string, log: string, uploads: string, world: World): void {
  const prelude = [
    '#!/bin/bash',
    `{ printf '%s' "$(basename "$0")"; printf '\\x1f%s' "$PWD"; for a in "$@"; do printf '\\x1f%s' "\${a//$'\\n'/\\\\n}"; done; printf '\\n'; } >> ${log}`,
    '',
  ].join('\n');
  const hasScript = `has_script() { node -e 'process.exit(require(process.cwd() + "/package.json").scripts?.[process.argv[1]] ? 0 : 1)' "$1"; }`;
  const realDate = spawnSync('bash', ['-c', 'command -v date'], { encoding: 'utf-8' }).stdout.trim();
  const cloud = (tool: string) => `exec "${process.execPath}" "${CLOUD}" ${tool} "${world.dir}" "${uploads}" "$@"`;
  const standInFiles: Record<string, string> = {
    // npm: `ci` needs a lockfile, `run X` / `test` fail like npm's when the script is missing; `build` writes what
    // vite build writes (public/ copied, hashed assets), `test:coverage` / `test` a coverage summary
    npm: [
      hasScript,
      'case "$1" in',
      '  ci) [ -f package-lock.json ] || { echo "npm error The `npm ci` command can only install with an existing package-lock.json" >&2; exit 1; }; exit 0 ;;',
      '  test|t) script=test ;;',
      '  run|run-script) script=$2 ;;',
      '  *) exit 0 ;;',
      'esac',
      'has_script "$script" || { echo "npm error Missing script: \\"$script\\"" >&2; exit 1; }',
      // a script `false` stands for one that fails
      'node -e \'process.exit(require(process.cwd() + "/package.json").scripts[process.argv[1]] === "false" ? 1 : 0)\' "$script" || exit 1',
      'case "$script" in',
      '  build)',
      '    mkdir -p dist/assets',
      '    if [ -d public ]; then cp -R public/. dist/; fi',
      '    printf \'<!doctype html><title>JWT Pizza</title><script src="/assets/a-1234.js" data-service="%s"></script>\\n\' "$VITE_PIZZA_SERVICE_URL" > dist/index.html',
      '    echo \'console.log("pizza")\' > dist/assets/a-1234.js ;;',
      '  test|test:coverage) mkdir -p coverage; echo \'{"total":{"lines":{"pct":85.5}}}\' > coverage/coverage-summary.json ;;',
      'esac',
    ].join('\n'),
    npx: 'exit 0',
    // aws: S3 (cp lists what it writes and stores it, ls), CloudFront (the invalidation answers its id), ECS (what
    // the rollout loop asks: one task desired, then the deployment COMPLETED) and the release pointer
    aws: cloud('aws'),
    // gh: release create (needs GH_TOKEN and GH_REPO; a tag once; --target a branch or a known commit) and api
    gh: cloud('gh'),
    // curl: the two sites, served from the bucket through the pointer; any other URL answers 200
    curl: cloud('curl'),
    // docker: the build context must hold the Dockerfile
    docker: [
      'if [ "$1" = build ]; then',
      '  context="${@: -1}"',
      '  [ -f "$context/Dockerfile" ] || { echo "ERROR: failed to read dockerfile: open Dockerfile: no such file or directory" >&2; exit 1; }',
      'fi',
    ].join('\n'),
    // date: the world's clock, a minute later at each call (two builds of one test never share a version)
    date: `t=$(cat "${world.dir}/clock"); echo $((t + 60)) > "${world.dir}/clock"; exec "${realDate}" -d "@$t" "$@"`,
    sleep: 'exit 0',
  };
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(standInFiles)) {
    writeFileSync(join(dir, name), `${prelude}${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
}
