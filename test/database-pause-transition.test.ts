/**
 * A paused PizzaDatabase through the stack operations that meet its stopped instance (destroy, removal, replacement,
 * a change of the instance, a resume with a change, and the rollbacks of a pause and of a change), replayed the way
 * CloudFormation runs them, against an RDS stand-in that enforces RDS's rules (test/handler-harness.ts: a stopped
 * instance cannot be modified, nor deleted with a final snapshot; a start or stop takes several polls), with the real
 * wake and pause handlers and the real AWS SDK. The templates are synthesized from PizzaDatabase; only the resources
 * that touch the instance are replayed: the wake, the instance, the pause, and the pause function run as the keeper.
 *
 * The order assumed (CloudFormation User Guide, "Update behaviors of stack resources", "Monitor the progress of a
 * stack update", "Continue rolling back an update"; Template Reference, "DependsOn attribute": when A refers to B
 * or depends on it, B is created before A, A is deleted before B, B is updated before A):
 * - An update creates and updates resources in dependency order (wake, instance, pause: the instance DependsOn the
 *   wake, the pause refers to the instance). Only resources whose properties change are updated; a resource that
 *   refers to a replaced one changes with it. The RDS provider calls ModifyDBInstance for a change of the instance
 *   without waiting for `available`, then waits until the instance is `available` again; a replacement creates the
 *   new instance first. A custom resource that answers another physical id is replaced.
 * - Then the cleanup phase (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS) deletes removed resources and the old physical
 *   resources of replaced ones, in reverse dependency order (the pause before the instance); the instance is deleted
 *   with a final snapshot when its DeletionPolicy (removal) or UpdateReplacePolicy (replacement) is Snapshot. A failed
 *   delete in cleanup leaves the update complete, the resource behind.
 * - A failure before cleanup rolls back (UPDATE_ROLLBACK_IN_PROGRESS): every resource the update changed (the failed
 *   one included) is updated back to its previous properties, the instance with a ModifyDBInstance again; a failure
 *   there is UPDATE_ROLLBACK_FAILED. The User Guide does not say in which order a rollback updates resources, so every
 *   rollback here is replayed in both: dependency order (a rollback is an update to the previous template) and its
 *   reverse. Then the resources the update created are deleted, in reverse dependency order, during
 *   UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, and the stack is UPDATE_ROLLBACK_COMPLETE.
 * - A stack delete (DELETE_IN_PROGRESS) deletes every resource in reverse dependency order.
 * - The keeper runs outside CloudFormation (EventBridge), at any time, with the pause function's PAUSED of the moment.
 */
import {
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FakeAws, FakeDbInstance, lambdaContext } from './handler-harness';
import { dependencyOrder, withoutResourcesOfType } from './transition-rules';
import { PizzaDatabase, PizzaDatabaseProps } from '../src';
import * as pauseHandler from '../src/database/handlers/database-pause';
import * as wakeHandler from '../src/database/handlers/database-wake';
import { CloudFormationEvent, respond, RESPONSE_RESERVE_MS } from '../src/shared/handlers/cfn-response';

// handlers given a few seconds of work can pass jest's default 5 s on a loaded machine; each test bounds its own
// handler's deadline where it matters
jest.setTimeout(30_000);

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Pizza/1';
/** The handlers' 15 s between two status reads, shortened. */
const POLL_MS = 20;
/** A custom resource's Lambda context: ten seconds of work, then the answer. */
const HANDLER_MS = RESPONSE_RESERVE_MS + 10_000;

type Resources = Record<string, any>;
type RollbackOrder = 'dependency order' | 'reverse';
const ROLLBACK_ORDERS: RollbackOrder[] = ['dependency order', 'reverse'];

const WAKE = 'Custom::PizzaDatabaseWake';
const PAUSE = 'Custom::PizzaDatabasePause';
const INSTANCE = 'AWS::RDS::DBInstance';

/** The wake, the instance and the pause of a PizzaDatabase with `props`, their dependencies among themselves. */
function databaseResources(props: PizzaDatabaseProps): Resources {
  const stack = new Stack(new App(), 'Pizza', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  new PizzaDatabase(stack, 'Database', { vpc, ...props });
  const all: Resources = Template.fromStack(stack).toJSON().Resources;
  const resources: Resources = Object.fromEntries(
    Object.entries(all).filter(([, r]) => [WAKE, PAUSE, INSTANCE].includes(r.Type)),
  );
  for (const resource of Object.values(resources)) {
    const refs = new Set<string>(resource.DependsOn ?? []);
    JSON.stringify(resource.Properties, (key, value) => {
      if (key === 'Ref') refs.add(value);
      if (key === 'Fn::GetAtt') refs.add(value[0]);
      return value;
    });
    resource.DependsOn = [...refs].filter((id) => id in resources);
  }
  return resources;
}

function idOf(resources: Resources, type: string): string {
  const ids = Object.keys(resources).filter((id) => resources[id].Type === type);
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** `resources` without the wake (the releases before it). */
function withoutWake(resources: Resources): Resources {
  idOf(resources, WAKE); // exactly one
  return withoutResourcesOfType(resources, WAKE);
}

/** An RDS instance as CloudFormation leaves it after a create: available; starts and stops take two polls. */
function newInstance(identifier: string, status = 'available'): FakeDbInstance {
  return {
    identifier,
    status,
    next: [],
    afterStop: ['stopping', 'stopped'],
    afterStart: ['starting', 'available'],
  };
}

/** Where RDS leaves an instance once what it is doing ends. */
function settled(db: FakeDbInstance | undefined): string | undefined {
  return db && (db.next.length > 0 ? db.next[db.next.length - 1] : db.status);
}

class RefusedByRds extends Error {}

/** One stack, its resources' physical ids, and the stack operations CloudFormation runs on it. */
class Deployment {
  /** Physical ids by logical id. */
  public physical = new Map<string, string>();
  /** CloudFormation's own RDS calls that RDS refused (never one, when the wake and the pause do their work). */
  public readonly refused: string[] = [];
  public readonly log: string[] = [];
  private readonly rds = new RDSClient({ region: 'us-east-1' });
  private instances = 0;

  /** A stack deployed from `resources`, its instance `pizza-db` (stopped when the template is paused). */
  constructor(
    private readonly aws: FakeAws,
    public resources: Resources,
  ) {
    const instance = idOf(resources, INSTANCE);
    const paused = resources[idOf(resources, PAUSE)].Properties.Paused === 'true';
    aws.dbInstance = newInstance('pizza-db', paused ? 'stopped' : 'available');
    this.physical.set(instance, 'pizza-db');
    aws.stackResources.set(instance, 'pizza-db');
    const wake = Object.keys(resources).find((id) => resources[id].Type === WAKE);
    if (wake) this.physical.set(wake, `${wakeHandler.PHYSICAL_ID_PREFIX}${instance}`);
    this.physical.set(idOf(resources, PAUSE), `${pauseHandler.PHYSICAL_ID_PREFIX}pizza-db`);
    aws.stackStatus = 'UPDATE_COMPLETE';
  }

  /** The instance the stack knows. */
  public get instance(): FakeDbInstance | undefined {
    const id = this.physical.get(idOf(this.resources, INSTANCE));
    return [this.aws.dbInstance, ...this.aws.moreDbInstances].find((i) => i?.identifier === id);
  }

  /** A keeper run (the schedule), with the pause function's PAUSED of the moment. */
  public async keeper(paused: boolean): Promise<void> {
    process.env.PAUSED = String(paused);
    process.env.STACK_ID = STACK_ID;
    process.env.DB_INSTANCE_IDENTIFIER = this.physical.get(idOf(this.resources, INSTANCE));
    const before = this.aws.rdsCalls.length;
    await pauseHandler.keepStopped(
      { source: 'aws.events', 'detail-type': 'Scheduled Event' },
      lambdaContext(32_000),
      POLL_MS,
    );
    const stopped = this.aws.rdsCalls.slice(before).some((c) => c.startsWith('StopDBInstance'));
    this.log.push(`keeper (PAUSED ${paused}) during ${this.aws.stackStatus}${stopped ? ': stopped the instance' : ''}`);
  }

  /** An update from the deployed template to `to` (see the header); a failure after `failAfter` rolls it back. */
  public async update(
    to: Resources,
    options: {
      failAfter?: string;
      rollbackOrder?: RollbackOrder;
      duringRollback?: () => Promise<void>;
    } = {},
  ): Promise<'complete' | 'rolled back' | 'rollback failed'> {
    const from = this.resources;
    const before = new Map(this.physical);
    const changed: string[] = [];
    const created: string[] = [];
    /** Physical ids the update replaced: logical id → the old physical id. */
    const replaced = new Map<string, string>();
    this.aws.stackStatus = 'UPDATE_IN_PROGRESS';
    this.log.push('UPDATE_IN_PROGRESS');
    let current = '';
    try {
      for (const id of dependencyOrder(to, Object.keys(to))) {
        current = id;
        if (!(id in from)) {
          created.push(id);
          await this.create(id, to[id]);
        } else if (
          JSON.stringify(this.resolve(from[id].Properties, before)) !==
          JSON.stringify(this.resolve(to[id].Properties, this.physical))
        ) {
          changed.push(id);
          const old = this.physical.get(id)!;
          await this.change(id, from[id], to[id], before, this.physical);
          if (this.physical.get(id) !== old) replaced.set(id, old);
        }
        if (id === options.failAfter) {
          current = 'a later resource';
          throw new Error('a later resource of the same update failed');
        }
      }
    } catch (err) {
      // the failed resource is in `changed` (or `created`) too: CloudFormation rolls it back as well
      this.log.push(`${current} failed: ${(err as Error).message}`);
      return this.rollback(from, to, changed, created, replaced, before, options);
    }
    this.resources = to;
    this.aws.stackStatus = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    this.log.push('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    const removed = Object.keys(from).filter((id) => !(id in to) || replaced.has(id));
    for (const id of dependencyOrder(from, removed).reverse()) {
      try {
        const physicalId = replaced.get(id) ?? before.get(id)!;
        await this.remove(
          id,
          from[id],
          physicalId,
          before,
          replaced.has(id) ? 'UpdateReplacePolicy' : 'DeletionPolicy',
        );
        if (!(id in to)) this.physical.delete(id);
      } catch (err) {
        // a failed delete in the cleanup phase leaves the update complete, the resource behind
        this.log.push(`could not delete ${id}: ${(err as Error).message}`);
      }
    }
    this.aws.stackStatus = 'UPDATE_COMPLETE';
    this.log.push('UPDATE_COMPLETE');
    return 'complete';
  }

  /** The stack deleted (`cdk destroy`): every resource, in reverse dependency order. */
  public async destroy(afterEach?: (id: string) => Promise<void>): Promise<'deleted' | 'delete failed'> {
    this.aws.stackStatus = 'DELETE_IN_PROGRESS';
    this.log.push('DELETE_IN_PROGRESS');
    for (const id of dependencyOrder(this.resources, Object.keys(this.resources)).reverse()) {
      try {
        await this.remove(id, this.resources[id], this.physical.get(id)!, this.physical, 'DeletionPolicy');
        await afterEach?.(id);
      } catch (err) {
        this.log.push(`could not delete ${id}: ${(err as Error).message}`);
        this.aws.stackStatus = 'DELETE_FAILED';
        return 'delete failed';
      }
    }
    this.aws.stackStatus = 'DELETE_COMPLETE';
    return 'deleted';
  }

  private async rollback(
    from: Resources,
    to: Resources,
    changed: string[],
    created: string[],
    replaced: Map<string, string>,
    before: Map<string, string>,
    options: { rollbackOrder?: RollbackOrder; duringRollback?: () => Promise<void> },
  ): Promise<'rolled back' | 'rollback failed'> {
    this.aws.stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    this.log.push('UPDATE_ROLLBACK_IN_PROGRESS');
    await options.duringRollback?.();
    const order = dependencyOrder(from, changed);
    if (options.rollbackOrder === 'reverse') order.reverse();
    const after = new Map(this.physical);
    for (const id of order) {
      try {
        // back to the previous properties (and physical resource); what the update made of it is the "old" now
        await this.change(id, to[id], from[id], after, before, before.get(id));
      } catch (err) {
        this.log.push(`rollback of ${id} failed: ${(err as Error).message}`);
        this.aws.stackStatus = 'UPDATE_ROLLBACK_FAILED';
        this.log.push('UPDATE_ROLLBACK_FAILED');
        return 'rollback failed';
      }
    }
    this.aws.stackStatus = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS';
    this.log.push('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    const made = [...created, ...replaced.keys()];
    for (const id of dependencyOrder(to, made).reverse()) {
      try {
        await this.remove(id, to[id], after.get(id)!, after, 'DeletionPolicy');
      } catch (err) {
        this.log.push(`could not delete ${id}: ${(err as Error).message}`);
      }
    }
    this.physical = new Map([...before].filter(([id]) => id in from));
    this.aws.stackStatus = 'UPDATE_ROLLBACK_COMPLETE';
    this.log.push('UPDATE_ROLLBACK_COMPLETE');
    return 'rolled back';
  }

  private async create(id: string, resource: any): Promise<void> {
    if (resource.Type === INSTANCE) {
      const identifier = `pizza-db-${++this.instances}`;
      this.aws.moreDbInstances.push(newInstance(identifier));
      this.physical.set(id, identifier);
      this.aws.stackResources.set(id, identifier);
      this.log.push(`created ${id} (${identifier})`);
      return;
    }
    await this.custom('Create', id, resource, this.physical);
  }

  /** An update of `id` from `old` to `resource`; `restore` (a rollback): the physical resource to go back to. */
  private async change(
    id: string,
    old: any,
    resource: any,
    oldPhysical: Map<string, string>,
    physical: Map<string, string>,
    restore?: string,
  ): Promise<void> {
    if (resource.Type !== INSTANCE) {
      await this.custom('Update', id, resource, physical, old, oldPhysical);
      return;
    }
    if (restore !== undefined && restore !== this.physical.get(id)) {
      // the rollback of a replacement: back to the old instance, the new one goes in the cleanup
      this.physical.set(id, restore);
      this.aws.stackResources.set(id, restore);
      return;
    }
    if (
      JSON.stringify(old.Properties.DBSnapshotIdentifier) !== JSON.stringify(resource.Properties.DBSnapshotIdentifier)
    ) {
      // DBSnapshotIdentifier: replacement (a new instance restored from the snapshot)
      await this.create(id, resource);
      return;
    }
    const identifier = this.physical.get(id)!;
    await this.rdsCall(
      `ModifyDBInstance ${identifier}`,
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: identifier,
        DBInstanceClass: resource.Properties.DBInstanceClass,
        ApplyImmediately: true,
      }),
    );
    // the provider waits until the modification is done
    for (let i = 0; i < 50; i++) {
      const out = await this.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
      if (out.DBInstances?.[0]?.DBInstanceStatus === 'available') break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    this.log.push(`modified ${id} (${identifier})`);
  }

  private async remove(
    id: string,
    resource: any,
    physicalId: string,
    physical: Map<string, string>,
    policy: 'DeletionPolicy' | 'UpdateReplacePolicy',
  ): Promise<void> {
    if (resource.Type !== INSTANCE) {
      await this.custom('Delete', id, resource, physical, undefined, undefined, physicalId);
      return;
    }
    const snapshot = resource[policy] === 'Snapshot';
    await this.rdsCall(
      `DeleteDBInstance ${physicalId}${snapshot ? ' with a final snapshot' : ''}`,
      new DeleteDBInstanceCommand({
        DBInstanceIdentifier: physicalId,
        SkipFinalSnapshot: !snapshot,
        FinalDBSnapshotIdentifier: snapshot ? `${physicalId}-final` : undefined,
      }),
    );
    if (this.aws.stackResources.get(id) === physicalId) this.aws.stackResources.delete(id);
    this.log.push(`deleted ${id} (${physicalId})`);
  }

  private async rdsCall(what: string, command: any): Promise<void> {
    try {
      await this.rds.send(command);
    } catch (err) {
      this.refused.push(`${what}: ${(err as Error).name}`);
      throw new RefusedByRds(`RDS refused ${what}: ${(err as Error).message}`);
    }
  }

  /** A custom resource request, answered by the real handler; a FAILED answer throws. */
  private async custom(
    type: 'Create' | 'Update' | 'Delete',
    id: string,
    resource: any,
    physical: Map<string, string>,
    old?: any,
    oldPhysical?: Map<string, string>,
    physicalId = this.physical.get(id),
  ): Promise<void> {
    const event: CloudFormationEvent = {
      RequestType: type,
      ResponseURL: this.aws.responseUrl,
      StackId: STACK_ID,
      RequestId: `${type}-${id}-${this.aws.accepted.length}`,
      LogicalResourceId: id,
      PhysicalResourceId: type === 'Create' ? undefined : physicalId,
      ResourceType: resource.Type,
      ResourceProperties: this.resolve(resource.Properties, physical),
      ...(old ? { OldResourceProperties: this.resolve(old.Properties, oldPhysical!) } : {}),
    };
    const context = lambdaContext(HANDLER_MS);
    const before = this.aws.accepted.length;
    const answer =
      resource.Type === WAKE
        ? await wakeHandler.wake(event, context, POLL_MS)
        : await pauseHandler.decide(event, context, POLL_MS);
    await respond(event, context, answer);
    const body = this.aws.accepted[before].body;
    this.log.push(`${type} ${id}: ${body.Status}`);
    if (body.Status !== 'SUCCESS') throw new Error(`${id}: ${body.Reason}`);
    if (type !== 'Delete') this.physical.set(id, body.PhysicalResourceId);
  }

  /** Properties as CloudFormation sends them: a Ref is the physical id, other intrinsics a stand-in string. */
  private resolve(properties: any, physical: Map<string, string>): any {
    return JSON.parse(JSON.stringify(properties ?? {}), (_, value) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const [key] = Object.keys(value);
        if (key === 'Ref') return physical.get(value.Ref) ?? `${value.Ref}-physical`;
        if (key?.startsWith('Fn::')) return `${key}(${JSON.stringify(value[key])})`;
      }
      return value;
    });
  }
}

describe('a paused PizzaDatabase through CloudFormation operations (wake, instance, pause, keeper)', () => {
  let aws: FakeAws;
  let quiet: jest.SpyInstance[];
  let paused: Resources;
  let pausedChanged: Resources;
  let resumedChanged: Resources;
  let running: Resources;
  let pausedRestored: Resources;
  let pausedDestroy: Resources;

  beforeAll(() => {
    paused = databaseResources({ paused: true });
    pausedChanged = databaseResources({
      paused: true,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
    });
    resumedChanged = databaseResources({
      paused: false,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
    });
    running = databaseResources({ paused: false });
    pausedRestored = databaseResources({ paused: true, snapshotIdentifier: 'pizza-final-snapshot' });
    pausedDestroy = databaseResources({ paused: true, removalPolicy: RemovalPolicy.DESTROY });
  });

  beforeEach(async () => {
    aws = new FakeAws();
    await aws.start();
    quiet = [jest.spyOn(console, 'log').mockImplementation(), jest.spyOn(console, 'error').mockImplementation()];
  });

  afterEach(async () => {
    quiet.forEach((s) => s.mockRestore());
    delete process.env.STACK_ID;
    await aws.stop();
  });

  test('the templates: the instance is the same paused and running; a change of it changes both digests', () => {
    const instance = idOf(paused, INSTANCE);
    expect(paused[instance]).toEqual(running[instance]);
    expect(paused[instance].DependsOn).toEqual([idOf(paused, WAKE)]);
    expect(paused[idOf(paused, PAUSE)].DependsOn).toEqual([instance]);
    const digest = (r: Resources, type: string) => r[idOf(r, type)].Properties.InstanceProperties;
    expect(digest(paused, WAKE)).toBe(digest(paused, PAUSE));
    expect(digest(pausedChanged, WAKE)).toBe(digest(pausedChanged, PAUSE));
    expect(digest(pausedChanged, WAKE)).not.toBe(digest(paused, WAKE));
    expect(digest(running, PAUSE)).toBe(digest(paused, PAUSE));
    expect(paused[idOf(paused, PAUSE)].Properties.StartBeforeDelete).toBe('true');
    expect(pausedDestroy[idOf(pausedDestroy, PAUSE)].Properties.StartBeforeDelete).toBe('false');
  });

  describe('(a) cdk destroy while paused', () => {
    test('SNAPSHOT (the default): the pause starts the instance, RDS takes the final snapshot', async () => {
      const deployment = new Deployment(aws, paused);
      await expect(deployment.destroy()).resolves.toBe('deleted');
      expect(deployment.refused).toEqual([]);
      expect(aws.dbInstance).toBeUndefined();
      expect(aws.dbSnapshots).toEqual(['pizza-db-final']);
      expect(aws.rdsCalls).toContain('StartDBInstance pizza-db');
    });

    test('without the start (StartBeforeDelete false) RDS refuses the final snapshot of the stopped instance', async () => {
      const bare = JSON.parse(JSON.stringify(paused));
      bare[idOf(bare, PAUSE)].Properties.StartBeforeDelete = 'false';
      const deployment = new Deployment(aws, bare);
      await expect(deployment.destroy()).resolves.toBe('delete failed');
      expect(deployment.refused).toEqual([
        'DeleteDBInstance pizza-db with a final snapshot: InvalidDBInstanceStateFault',
      ]);
      expect(aws.dbInstance?.status).toBe('stopped');
      expect(aws.dbSnapshots).toEqual([]);
    });

    test('DESTROY: no final snapshot, nothing started; RDS deletes the stopped instance', async () => {
      const deployment = new Deployment(aws, pausedDestroy);
      await expect(deployment.destroy()).resolves.toBe('deleted');
      expect(deployment.refused).toEqual([]);
      expect(aws.dbInstance).toBeUndefined();
      expect(aws.rdsCalls).not.toContain('StartDBInstance pizza-db');
      expect(aws.dbSnapshots).toEqual([]);
    });

    test('a keeper run between the pause and the instance leaves the started instance alone', async () => {
      const deployment = new Deployment(aws, paused);
      const pause = idOf(paused, PAUSE);
      await expect(
        deployment.destroy((id) => (id === pause ? deployment.keeper(true) : Promise.resolve())),
      ).resolves.toBe('deleted');
      expect(deployment.log).toContain('keeper (PAUSED true) during DELETE_IN_PROGRESS');
      expect(deployment.refused).toEqual([]);
      expect(aws.dbSnapshots).toEqual(['pizza-db-final']);
    });
  });

  test('(b) the database removed from the app while paused: the cleanup deletes the pause, then the instance with its snapshot', async () => {
    const deployment = new Deployment(aws, paused);
    await expect(deployment.update({})).resolves.toBe('complete');
    expect(deployment.refused).toEqual([]);
    expect(aws.dbInstance).toBeUndefined();
    expect(aws.dbSnapshots).toEqual(['pizza-db-final']);
    const order = deployment.log.filter((l) => /^(Delete|deleted)/.test(l));
    expect(order).toEqual([
      `Delete ${idOf(paused, PAUSE)}: SUCCESS`,
      `deleted ${idOf(paused, INSTANCE)} (pizza-db)`,
      `Delete ${idOf(paused, WAKE)}: SUCCESS`,
    ]);
  });

  test('(c) replaced while paused (a restore): the new instance is stopped, the old one snapshotted and deleted', async () => {
    const deployment = new Deployment(aws, paused);
    await expect(deployment.update(pausedRestored)).resolves.toBe('complete');
    expect(deployment.refused).toEqual([]);
    // the old instance: started by the wake, deleted with its final snapshot in the cleanup
    expect(aws.dbInstance).toBeUndefined();
    expect(aws.dbSnapshots).toEqual(['pizza-db-final']);
    // the new one: stopped by the pause, which now names it
    expect(deployment.instance?.identifier).toBe('pizza-db-1');
    expect(settled(deployment.instance)).toBe('stopped');
    expect(deployment.physical.get(idOf(paused, PAUSE))).toBe('database-pause-pizza-db-1');
    const cleanup = deployment.log.slice(deployment.log.indexOf('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'));
    expect(cleanup).toEqual([
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      `Delete ${idOf(paused, PAUSE)}: SUCCESS`,
      `deleted ${idOf(paused, INSTANCE)} (pizza-db)`,
      'UPDATE_COMPLETE',
    ]);
  });

  describe('(d) a change of the database while paused', () => {
    test('the wake starts the instance, RDS takes the change, the pause stops it again', async () => {
      const deployment = new Deployment(aws, paused);
      await expect(deployment.update(pausedChanged)).resolves.toBe('complete');
      expect(deployment.refused).toEqual([]);
      expect(aws.rdsCalls.filter((c) => !c.startsWith('Describe'))).toEqual([
        'StartDBInstance pizza-db',
        'ModifyDBInstance pizza-db',
        'StopDBInstance pizza-db',
      ]);
      await deployment.keeper(true);
      expect(settled(aws.dbInstance)).toBe('stopped');
    });

    test('without the wake RDS refuses the change, and again on rollback (UPDATE_ROLLBACK_FAILED)', async () => {
      const deployment = new Deployment(aws, withoutWake(paused));
      await expect(deployment.update(withoutWake(pausedChanged))).resolves.toBe('rollback failed');
      expect(deployment.refused).toEqual([
        'ModifyDBInstance pizza-db: InvalidDBInstanceStateFault',
        'ModifyDBInstance pizza-db: InvalidDBInstanceStateFault',
      ]);
    });
  });

  test('(e) the change in the same deploy as the resume: started by the wake, changed, left running', async () => {
    const deployment = new Deployment(aws, paused);
    await expect(deployment.update(resumedChanged)).resolves.toBe('complete');
    expect(deployment.refused).toEqual([]);
    expect(aws.rdsCalls.filter((c) => !c.startsWith('Describe'))).toEqual([
      'StartDBInstance pizza-db',
      'ModifyDBInstance pizza-db',
    ]);
    await deployment.keeper(false);
    expect(settled(aws.dbInstance)).toBe('available');
  });

  describe.each(ROLLBACK_ORDERS)('rollbacks replayed in %s', (rollbackOrder) => {
    test('(f) a pause that fails after the stop: the rollback starts the instance again, the keeper waits', async () => {
      const deployment = new Deployment(aws, running);
      const result = await deployment.update(paused, {
        failAfter: idOf(paused, PAUSE),
        rollbackOrder,
        // the pause function's PAUSED is still 'true' while the rollback runs
        duringRollback: () => deployment.keeper(true),
      });
      expect(result).toBe('rolled back');
      expect(deployment.refused).toEqual([]);
      expect(deployment.log).toContain('keeper (PAUSED true) during UPDATE_ROLLBACK_IN_PROGRESS');
      expect(aws.rdsCalls.filter((c) => !c.startsWith('Describe'))).toEqual([
        'StopDBInstance pizza-db',
        'StartDBInstance pizza-db',
      ]);
      await deployment.keeper(false);
      expect(settled(aws.dbInstance)).toBe('available');
    });

    test.each([
      ['after the pause stopped the instance (a resource that depends on the pause fails)', PAUSE],
      ['after the instance was changed, before the pause', INSTANCE],
    ])(
      '(g) a change while paused that fails %s: the rollback modifies an available instance, the keeper stops it after',
      async (_, failAfter) => {
        const deployment = new Deployment(aws, paused);
        const result = await deployment.update(pausedChanged, {
          failAfter: idOf(pausedChanged, failAfter),
          rollbackOrder,
          duringRollback: () => deployment.keeper(true),
        });
        expect(deployment.log).toContain('keeper (PAUSED true) during UPDATE_ROLLBACK_IN_PROGRESS');
        expect(deployment.refused).toEqual([]);
        expect(result).toBe('rolled back');
        expect(aws.rdsCalls.filter((c) => c.startsWith('ModifyDBInstance'))).toHaveLength(2);
        expect(settled(aws.dbInstance)).toBe('available');
        await deployment.keeper(true);
        expect(deployment.log[deployment.log.length - 1]).toBe(
          'keeper (PAUSED true) during UPDATE_ROLLBACK_COMPLETE: stopped the instance',
        );
        expect(settled(aws.dbInstance)).toBe('stopped');
      },
    );
  });
});
