/**
 * The frontend's staging shape (deliverable 7): ci.yml's `stage` job and release.yml, run end to end
 * (test/workflow-harness.ts) against one bucket, one release pointer and one fork's GitHub releases
 * (test/workflow-world.ts), where the stand-in `aws` refuses what the staging role does not grant, `put-key` checks
 * the ETag, `gh` keeps the releases and which one is latest, and `curl` serves each site's /version.json through the
 * pointer. Replayed as the course's autograder grades it (DeliverableSeven.grade): after each run the newest release
 * (`releases/latest`) names the version, and the right host serves it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  Context,
  DIR,
  Run,
  STAGING_VARS,
  VARS,
  called,
  checkout,
  condition,
  failures,
  files,
  runWorkflow,
  stepOutput,
  substitute,
  workflow,
} from './workflow-harness';
import { Release, World } from './workflow-world';

const CI = 'jwt-pizza-frontend.yml';
const RELEASE = 'jwt-pizza-release.yml';
const { SITE_URL, STAGING_URL, APP_BUCKET, RELEASE_POINTER_ARN } = STAGING_VARS;
/** How the grader reads a release's version: the first YYYYMMDD.HHMMSS of its name. */
const versionOf = (release: Release | undefined) => release?.name.match(/\d{8}\.\d{6}/)?.[0];
const GRADER_DESCRIPTION = 'Autograder Production Release';

/** A fork of jwt-pizza with ci.yml and release.yml, on a stack whose frontend has staging. */
function fork(world = new World(STAGING_VARS)) {
  const dir = checkout('frontend');
  const nothing = mkdtempSync(join(tmpdir(), 'pizza-release-'));
  return {
    world,
    /** A push to main: a new commit, then ci.yml. */
    push: (vars = STAGING_VARS) => {
      world.push();
      return runWorkflow(CI, dir, vars, { world });
    },
    /** ci.yml dispatched with no inputs, as the grader does. */
    dispatchCi: () => runWorkflow(CI, dir, STAGING_VARS, { world }),
    /** release.yml dispatched with these inputs (it checks nothing out). */
    release: (inputs: Record<string, string>, vars = STAGING_VARS) =>
      runWorkflow(RELEASE, nothing, vars, { world, inputs }),
  };
}

const awsOperations = (run: Run) => called(run, 'aws').map((c) => `${c.args[0]} ${c.args[1]}`);
const ifMatches = (run: Run) =>
  called(run, 'aws', 'cloudfront-keyvaluestore', 'put-key').map((c) => c.args[c.args.indexOf('--if-match') + 1]);
/** Everything a run could change but the clock: the pointer, the releases, the bucket. */
const snapshot = (world: World) => ({ ...world.state(), objects: world.objects() });

describe('the job each value of RELEASE_POINTER_ARN picks (the `if:` and `environment:` expressions, evaluated)', () => {
  const { jobs } = workflow(CI);
  const context = (pointer: string, inputs: Record<string, string> = {}): Context => ({
    vars: { RELEASE_POINTER_ARN: pointer },
    secrets: {},
    inputs,
    github: {},
    steps: {},
    needs: {},
  });
  test.each([
    ['unset (deliverable 5)', 'deploy', 'production', '', {}],
    ['unset, dispatched for the staging environment', 'deploy', 'staging', '', { environment: 'staging' }],
    ['set (deliverable 7)', 'stage', 'staging', RELEASE_POINTER_ARN, {}],
    ['set, dispatched for production', 'stage', 'staging', RELEASE_POINTER_ARN, { environment: 'production' }],
  ])('%s: the %s job runs; the build runs in %s', (_, job, environment, pointer, inputs) => {
    const ctx = context(pointer as string, inputs as Record<string, string>);
    expect(['deploy', 'stage'].filter((name) => condition(jobs[name].if!, ctx))).toEqual([job]);
    expect(substitute(jobs.build.environment as string, ctx)).toBe(environment);
  });

  test('the stage job runs in no environment (OIDC subject ref:refs/heads/main), release.yml in production', () => {
    expect(jobs.stage.environment).toBeUndefined();
    expect(jobs.stage.permissions).toEqual({ 'id-token': 'write', contents: 'write' });
    const release = workflow(RELEASE).jobs.release;
    expect(release.environment).toEqual({ name: 'production', url: '${{ vars.SITE_URL }}' });
    expect(release.permissions).toEqual({ 'id-token': 'write', contents: 'write' });
  });
});

describe('deliverable 5 (no RELEASE_POINTER_ARN): the deploy job, as before', () => {
  const f = fork(new World(VARS));
  const run = f.push(VARS);
  const version = run.jobOutputs.build.version;

  test('build and deploy run in production, the stage job is skipped, the run succeeds', () => {
    expect(failures(run)).toEqual([]);
    expect(run.jobs).toEqual({ build: 'success', deploy: 'success', stage: 'skipped' });
    expect(run.environments).toEqual({ build: 'production', deploy: 'production' });
    expect(run.conclusion).toBe('success');
  });

  test('the build goes to the top level and is invalidated; no pointer, no release', () => {
    expect(f.world.objects()).toEqual(['assets/a-1234.js', 'index.html', 'version.json']);
    expect(awsOperations(run)).toEqual(['s3 cp', 's3 cp', 'cloudfront create-invalidation', 'cloudfront wait']);
    expect(called(run, 'gh')).toEqual([]);
    expect(f.world.served(SITE_URL)).toBe(version);
  });
});

describe('a push with staging: the stage job', () => {
  const f = fork();
  const run = f.push();
  const version = run.jobOutputs.build.version;

  test('build and stage pass (the build in the staging environment), the deploy job is skipped', () => {
    expect(failures(run)).toEqual([]);
    expect(run.jobs).toEqual({ build: 'success', deploy: 'skipped', stage: 'success' });
    expect(run.environments).toEqual({ build: 'staging', stage: undefined });
    expect(version).toBe('20261207.134501');
  });

  test('hashed assets to the shared pool (immutable), the rest to the version folder (no-cache), never config.json', () => {
    const dist = files(join(run.workspaces.stage, 'dist'));
    expect(run.uploads).toEqual([
      { url: `s3://${APP_BUCKET}/assets/a-1234.js`, cacheControl: 'public, max-age=31536000, immutable' },
      ...dist
        .filter((file) => !file.startsWith('assets/'))
        .map((file) => ({ url: `s3://${APP_BUCKET}/${version}/${file}`, cacheControl: 'no-cache' })),
    ]);
    expect(f.world.objects()).toEqual([`${version}/index.html`, `${version}/version.json`, 'assets/a-1234.js']);
    const withConfig = fork();
    const other = runWorkflow(CI, checkout('frontend', { files: { 'public/config.json': '{}' } }), STAGING_VARS, {
      world: withConfig.world,
    });
    expect(failures(other)).toEqual([]);
    expect(other.uploads.map((u) => u.url).filter((url) => url.endsWith('config.json'))).toEqual([]);
  });

  test('uses only what the staging role grants (the stand-in refuses the rest): no invalidation, no delete', () => {
    expect(awsOperations(run)).toEqual([
      's3 cp',
      's3 cp',
      'cloudfront-keyvaluestore describe-key-value-store',
      'cloudfront-keyvaluestore put-key',
    ]);
  });

  test('the stand-in refuses what the role does not grant (the check can fail): the build copied to the top level', () => {
    const mutated = join(mkdtempSync(join(tmpdir(), 'pizza-mutated-')), 'ci.yml');
    const text = readFileSync(join(DIR, CI), 'utf-8');
    writeFileSync(mutated, text.replace('s3://$BUCKET/$version --recursive', 's3://$BUCKET --recursive'));
    const other = runWorkflow(mutated, checkout('frontend'), STAGING_VARS);
    expect(other.conclusion).toBe('failure');
    expect(stepOutput(other, /^Upload the build/)).toContain(
      'An error occurred (AccessDenied) when calling the PutObject operation',
    );
    expect(other.world.pointer('staging')).toBeUndefined();
  });

  test('moves the staging pointer with the ETag it read (--if-match); production stays unset', () => {
    expect(called(run, 'aws', 'cloudfront-keyvaluestore', 'put-key').map((c) => c.args.slice(2))).toEqual([
      ['--kvs-arn', RELEASE_POINTER_ARN, '--key', 'staging', '--value', version, '--if-match', 'ETVPDKIKX0DER1'],
    ]);
    expect(f.world.pointer('staging')).toBe(version);
    expect(f.world.pointer('production')).toBeUndefined();
  });

  test('once staging serves it: a full release marked latest, named after the version, at the pushed commit', () => {
    expect(f.world.served(STAGING_URL)).toBe(version);
    const gh = run.calls.findIndex((c) => c.cmd === 'gh');
    expect(gh).toBeGreaterThan(run.calls.map((c) => c.cmd).lastIndexOf('curl'));
    expect(called(run, 'gh')[0].args).toEqual(expect.arrayContaining(['--latest', '--target', f.world.head()]));
    expect(f.world.latest()).toMatchObject({
      tag_name: `v${version}`,
      name: `${version} (staging)`,
      sha: f.world.head(),
      draft: false,
      prerelease: false,
      make_latest: 'true',
    });
    expect(f.world.latest()!.body).toContain(`gh workflow run release.yml -f version=${version}`);
  });
});

describe('the stage job, when things go wrong', () => {
  test('waits while the edge still serves the previous version', () => {
    const f = fork();
    f.world.set({ lag: 3 });
    const run = f.push();
    expect(failures(run)).toEqual([]);
    expect(called(run, 'curl')).toHaveLength(4);
  });

  test('fails after 3 minutes (36 tries) when staging never serves it, and records no release', () => {
    const f = fork();
    f.world.set({ lag: 1000 });
    const run = f.push();
    expect(run.conclusion).toBe('failure');
    expect(stepOutput(run, /^Wait until staging/)).toContain(
      `::error::${STAGING_URL}/version.json serves nothing, not ${run.jobOutputs.build.version}, after 3 minutes`,
    );
    expect(called(run, 'curl')).toHaveLength(36);
    expect(f.world.releases()).toEqual([]);
  });

  test('a put refused for a stale ETag (ConflictException) is tried again with a fresh ETag', () => {
    const f = fork();
    f.world.set({ conflicts: 1 });
    const run = f.push();
    expect(failures(run)).toEqual([]);
    expect(ifMatches(run)).toEqual(['ETVPDKIKX0DER1', 'ETVPDKIKX0DER2']);
    expect(stepOutput(run, /^Point staging/)).toContain('ConflictException');
  });

  test('a pointer that keeps changing fails after three tries: nothing moved, no release', () => {
    const f = fork();
    f.world.set({ conflicts: 10 });
    const run = f.push();
    expect(run.conclusion).toBe('failure');
    expect(ifMatches(run)).toHaveLength(3);
    expect(stepOutput(run, /^Point staging/)).toContain(
      '::error::the staging pointer (RELEASE_POINTER_ARN) was not moved to 20261207.134501 after 3 tries',
    );
    expect(f.world.pointer('staging')).toBeUndefined();
    expect(f.world.releases()).toEqual([]);
  });

  test("another store's ARN (one the role may not touch) fails the step at once with AWS's error", () => {
    const f = fork();
    const run = f.push({ ...STAGING_VARS, RELEASE_POINTER_ARN: `${RELEASE_POINTER_ARN.slice(0, -4)}0000` });
    expect(run.conclusion).toBe('failure');
    expect(stepOutput(run, /^Point staging/)).toContain('An error occurred (AccessDenied)');
    expect(called(run, 'aws', 'cloudfront-keyvaluestore', 'put-key')).toEqual([]);
  });

  test.each(['STAGING_URL', 'APP_BUCKET', 'AWS_REGION'])(
    'without %s: an error naming it, before any AWS call',
    (name) => {
      const f = fork();
      const run = f.push({ ...STAGING_VARS, [name]: '' });
      expect(failures(run)).toEqual([
        expect.stringContaining(
          `stage / Check the variables: ::error::RELEASE_POINTER_ARN is set (staging), but not these variables: ${name}.`,
        ),
      ]);
      expect(called(run, 'aws')).toEqual([]);
    },
  );
});

describe("deliverable 7, as the course's autograder plays it: stage, promote, push again, promote, roll back", () => {
  const f = fork();
  // grading starts with a read of releases/latest: with none (404) the grader's comparison throws, so a push first
  const firstLatest = f.world.latest();
  f.push();
  const before = f.world.latest()!;
  /** After each run: the run, releases/latest, and what each site serves. */
  const after = (run: Run) => ({
    run,
    latest: f.world.latest()!,
    staging: f.world.served(STAGING_URL),
    production: f.world.served(SITE_URL),
  });
  const staged = after(f.dispatchCi());
  const version = versionOf(staged.latest)!;
  const promoted = after(f.release({ version, description: GRADER_DESCRIPTION }));
  const next = after(f.push());
  const nextVersion = versionOf(next.latest)!;
  const promotedNext = after(f.release({ version: nextVersion, description: 'the new menu' }));
  const rollback = after(f.release({ version, description: 'roll back the menu' }));
  const again = after(f.release({ version, description: GRADER_DESCRIPTION }));

  test('a fork with no release yet gives the grader nothing to compare; the first push creates one', () => {
    expect(firstLatest).toBeUndefined();
    expect(before.name).toMatch(/^\d{8}\.\d{6} \(staging\)$/);
  });

  test('ci.yml dispatched: success, a new release whose version stage-pizza serves', () => {
    expect(failures(staged.run)).toEqual([]);
    expect(staged.run.conclusion).toBe('success');
    expect(staged.latest.id).not.toBe(before.id);
    expect(version).toBe(staged.run.jobOutputs.build.version);
    expect(staged.staging).toBe(version);
    // production is not touched by a push: nothing promoted yet, so it serves the bucket's top level (nothing here)
    expect(staged.production).toBeUndefined();
  });

  test('release.yml with that version: success, a new release whose version pizza serves', () => {
    expect(failures(promoted.run)).toEqual([]);
    expect(promoted.latest.id).not.toBe(staged.latest.id);
    expect(versionOf(promoted.latest)).toBe(version);
    expect(promoted.production).toBe(version);
    expect(promoted.staging).toBe(version);
    expect(promoted.latest).toMatchObject({
      name: `${version} (production)`,
      sha: staged.latest.sha,
      make_latest: 'true',
    });
    expect(promoted.latest.tag_name).toMatch(
      new RegExp(`^v${version.replace('.', '\\.')}-production\\.\\d{8}T\\d{6}Z$`),
    );
    expect(promoted.latest.body).toContain(
      `${GRADER_DESCRIPTION}\n\nProduction serves ${version}, previously nothing (first release).`,
    );
    expect(awsOperations(promoted.run)).toEqual([
      's3 ls',
      'cloudfront-keyvaluestore get-key',
      'cloudfront-keyvaluestore describe-key-value-store',
      'cloudfront-keyvaluestore put-key',
    ]);
    expect(promoted.run.environments).toEqual({ release: 'production' });
  });

  test('a later push stages a new version, and production keeps serving the promoted one', () => {
    expect(failures(next.run)).toEqual([]);
    expect(nextVersion > version).toBe(true);
    expect(next.staging).toBe(nextVersion);
    expect(next.production).toBe(version);
  });

  test('promoting it, then rolling back to the older version: each a new latest release, production serves it', () => {
    expect(failures(promotedNext.run)).toEqual([]);
    expect(versionOf(promotedNext.latest)).toBe(nextVersion);
    expect(promotedNext.production).toBe(nextVersion);
    expect(promotedNext.latest.sha).toBe(next.latest.sha);

    expect(failures(rollback.run)).toEqual([]);
    expect(rollback.latest.id).not.toBe(promotedNext.latest.id);
    expect(versionOf(rollback.latest)).toBe(version);
    expect(rollback.production).toBe(version);
    expect(rollback.staging).toBe(nextVersion);
    expect(rollback.latest.sha).toBe(staged.latest.sha);
    expect(rollback.latest.body).toContain(
      `Production serves ${version}, previously ${nextVersion}. Roll back: run release.yml with version ${nextVersion}`,
    );
  });

  test('the same version promoted twice: a second tag, a second release', () => {
    expect(failures(again.run)).toEqual([]);
    expect(again.latest.id).not.toBe(rollback.latest.id);
    expect(again.latest.tag_name).not.toBe(rollback.latest.tag_name);
    expect(again.production).toBe(version);
  });

  test('every build stays in the bucket: the version folders and the shared assets, nothing deleted', () => {
    expect(f.world.objects()).toEqual(
      expect.arrayContaining([
        'assets/a-1234.js',
        `${versionOf(before)}/index.html`,
        `${version}/index.html`,
        `${nextVersion}/index.html`,
      ]),
    );
  });
});

describe('release.yml refuses what it cannot serve, and moves nothing', () => {
  const f = fork();
  f.push();
  const staged = versionOf(f.world.latest())!;
  f.release({ version: staged });

  test.each(['v20261207.134501', '20261207.1345', '2026-12-07', '20261207.134501; echo pwned', '20261207.134501\n'])(
    'a malformed version %j: an error naming it, no AWS or GitHub call',
    (version) => {
      const state = snapshot(f.world);
      const run = f.release({ version });
      expect(failures(run)).toEqual([
        expect.stringContaining(
          'release / Check the version and the variables: ::error::version must look like 20261207.134501',
        ),
      ]);
      expect(run.calls.filter((c) => ['aws', 'gh', 'curl'].includes(c.cmd))).toEqual([]);
      expect(snapshot(f.world)).toEqual(state);
    },
  );

  test('a well-formed version that was never staged: an error saying its version folder is missing', () => {
    const state = snapshot(f.world);
    const run = f.release({ version: '20261207.090000' });
    expect(failures(run)).toEqual([
      expect.stringContaining(
        `release / Refuse a version that was never staged: ::error::the version folder s3://${APP_BUCKET}/20261207.090000/ has no index.html`,
      ),
    ]);
    expect(called(run, 'aws', 'cloudfront-keyvaluestore')).toEqual([]);
    expect(snapshot(f.world)).toEqual(state);
    expect(f.world.served(SITE_URL)).toBe(staged);
  });

  test('without RELEASE_POINTER_ARN (no staging): an error naming it', () => {
    const run = f.release({ version: staged }, { ...STAGING_VARS, RELEASE_POINTER_ARN: '' });
    expect(stepOutput(run, /^Check the version/)).toContain(
      '::error::release.yml needs these variables, which are not set: RELEASE_POINTER_ARN.',
    );
  });

  test('a version uploaded by hand (no staging tag): released on the default branch, with a notice', () => {
    f.world.upload('20261201.120000/index.html', '<!doctype html>');
    f.world.upload('20261201.120000/version.json', '{"version": "20261201.120000"}');
    const run = f.release({ version: '20261201.120000' });
    expect(failures(run)).toEqual([]);
    expect(stepOutput(run, /^Create the production release/)).toContain('::notice::no tag v20261201.120000');
    expect(f.world.latest()).toMatchObject({
      name: '20261201.120000 (production)',
      target_commitish: 'main',
      sha: f.world.head(),
    });
  });

  test("release.yml's put is retried on a stale ETag too", () => {
    f.world.set({ conflicts: 1 });
    const run = f.release({ version: staged });
    expect(failures(run)).toEqual([]);
    expect(ifMatches(run)).toHaveLength(2);
    expect(new Set(ifMatches(run)).size).toBe(2);
  });
});
