/**
 * The move of the service host from the alias A/AAAA pair (every release before the CNAME) to the CNAME the course's
 * grader resolves, and back, replayed the way CloudFormation runs an update, against a Route 53 stand-in that
 * enforces Route 53's rules (test/handler-harness.ts: a CNAME beside another record of its name is refused, a
 * change batch is atomic), with the real room-maker handler and the real AWS SDK.
 *
 * CloudFormation's order (User Guide, "Update behaviors of stack resources" and "Monitor the progress of a stack
 * update"): new and changed resources first, in dependency order; removed resources last, in the cleanup phase,
 * where a failed delete leaves the update complete ("Update successful. One or more resources could not be
 * deleted"). A failure before cleanup rolls back: changed resources go back, then the resources the update created
 * are deleted in reverse dependency order, during UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS.
 */
import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FakeAws, FakeRecord, lambdaContext } from './handler-harness';
import { dependencyOrder, withoutResourcesOfType } from './transition-rules';
import { PizzaDns, PizzaHostRecordType, PizzaService } from '../src';
import * as hostRecordHandler from '../src/service/handlers/host-record';

const ALB_DNS = 'pizza-alb-123456789.us-east-1.elb.amazonaws.com';
const ALB_ZONE = 'Z35SXDOTRQ7X7K';
const NAME = 'pizza-service.example.com.';

type Resources = Record<string, any>;

function serviceTemplate(hostRecordType: PizzaHostRecordType, options: { withoutRoom?: boolean } = {}): Resources {
  const stack = new Stack(new App(), 'Pizza', { env: { account: '123456789012', region: 'us-east-1' } });
  const dns = new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  new PizzaService(stack, 'Service', { dns, hostRecordType });
  const resources: Resources = Template.fromStack(stack).toJSON().Resources;
  // the template of the releases before this one: the records, and nothing that makes room for them
  return options.withoutRoom ? withoutResourcesOfType(resources, 'Custom::PizzaHostRecordRoom') : resources;
}

/** The host records and room-makers of a template: the resources of this move that touch Route 53. */
function hostResources(resources: Resources): Resources {
  return Object.fromEntries(
    Object.entries(resources).filter(
      ([, r]) =>
        (r.Type === 'AWS::Route53::RecordSet' && r.Properties.Name === NAME) ||
        r.Type === 'Custom::PizzaHostRecordRoom',
    ),
  );
}

/** A record resource as Route 53 gets it, with the load balancer's attributes resolved. */
function recordSet(resource: any): any {
  const p = resource.Properties;
  if (p.AliasTarget) {
    return {
      Name: p.Name,
      Type: p.Type,
      AliasTarget: { HostedZoneId: ALB_ZONE, DNSName: `dualstack.${ALB_DNS}.`, EvaluateTargetHealth: false },
    };
  }
  return { Name: p.Name, Type: p.Type, TTL: Number(p.TTL), ResourceRecords: [{ Value: ALB_DNS }] };
}

class Deployment {
  /** Physical ids of the room-makers, by logical id. */
  private readonly rooms = new Map<string, string>();
  public readonly log: string[] = [];

  constructor(private readonly aws: FakeAws) {}

  public async change(action: 'CREATE' | 'DELETE', resource: any): Promise<void> {
    const route53 = new Route53Client({ region: 'us-east-1' });
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: 'Z0123456789ABC',
        ChangeBatch: { Changes: [{ Action: action, ResourceRecordSet: recordSet(resource) }] },
      }),
    );
  }

  public async room(type: 'Create' | 'Delete', id: string, resource: any): Promise<void> {
    const before = this.aws.accepted.length;
    await hostRecordHandler.handler(
      {
        RequestType: type,
        ResponseURL: this.aws.responseUrl,
        StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Pizza/1',
        RequestId: `${type}-${id}`,
        LogicalResourceId: id,
        PhysicalResourceId: this.rooms.get(id),
        ResourceProperties: resource.Properties,
      },
      lambdaContext(60_000),
    );
    const body = this.aws.accepted[before].body;
    if (body.Status !== 'SUCCESS') throw new Error(`${id}: ${body.Reason}`);
    this.rooms.set(id, body.PhysicalResourceId);
  }

  /** Create (resources only in `to`) in dependency order, then clean up (only in `from`); or roll back. */
  public async update(from: Resources, to: Resources, failAfterCreates = false): Promise<'complete' | 'rolled back'> {
    const created = dependencyOrder(
      to,
      Object.keys(to).filter((id) => !(id in from)),
    );
    const done: string[] = [];
    this.aws.stackStatus = 'UPDATE_IN_PROGRESS';
    try {
      for (const id of created) {
        if (to[id].Type === 'Custom::PizzaHostRecordRoom') await this.room('Create', id, to[id]);
        else await this.change('CREATE', to[id]);
        done.push(id);
        this.log.push(`created ${id}`);
      }
      if (failAfterCreates) throw new Error('a later resource of the same update failed');
    } catch (err) {
      this.log.push(`failed: ${(err as Error).message}`);
      this.aws.stackStatus = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS';
      for (const id of done.reverse()) {
        if (to[id].Type === 'Custom::PizzaHostRecordRoom') await this.room('Delete', id, to[id]);
        else await this.change('DELETE', to[id]);
      }
      return 'rolled back';
    }
    this.aws.stackStatus = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    for (const id of Object.keys(from)
      .filter((key) => !(key in to))
      .reverse()) {
      try {
        if (from[id].Type === 'Custom::PizzaHostRecordRoom') await this.room('Delete', id, from[id]);
        else await this.change('DELETE', from[id]);
        this.log.push(`deleted ${id}`);
      } catch (err) {
        // a failed delete in the cleanup phase leaves the update complete
        this.log.push(`could not delete ${id}: ${(err as Error).message}`);
      }
    }
    return 'complete';
  }
}

const aliasPair = (): FakeRecord[] =>
  ['A', 'AAAA'].map((Type) => ({
    Name: NAME,
    Type,
    Values: [],
    Alias: { HostedZoneId: ALB_ZONE, DNSName: `dualstack.${ALB_DNS}.`, EvaluateTargetHealth: false },
  }));

const hostState = (aws: FakeAws) =>
  (aws.records ?? [])
    .filter((r) => r.Name === NAME)
    .map((r) => `${r.Type} ${r.Alias ? `alias ${r.Alias.DNSName}` : r.Values.join(',')}`)
    .sort();

describe('the service host moves from the alias pair to the CNAME in one deploy', () => {
  let aws: FakeAws;
  let quiet: jest.SpyInstance[];
  const before = hostResources(serviceTemplate(PizzaHostRecordType.ALIAS, { withoutRoom: true }));
  const after = hostResources(serviceTemplate(PizzaHostRecordType.CNAME));

  beforeEach(async () => {
    aws = new FakeAws();
    await aws.start();
    aws.records = [{ Name: 'example.com.', Type: 'NS', TTL: 172800, Values: ['ns-1.awsdns-00.com.'] }, ...aliasPair()];
    quiet = [jest.spyOn(console, 'log').mockImplementation(), jest.spyOn(console, 'error').mockImplementation()];
  });

  afterEach(async () => {
    quiet.forEach((s) => s.mockRestore());
    await aws.stop();
  });

  test('ALIAS keeps the logical ids of the earlier releases (from their integ snapshots): no replacement', () => {
    const aliasNow = hostResources(serviceTemplate(PizzaHostRecordType.ALIAS));
    const records = Object.keys(aliasNow).filter((id) => aliasNow[id].Type === 'AWS::Route53::RecordSet');
    expect(records.sort()).toEqual(['ServiceAliasRecord2B5FFEF4', 'ServiceAliasRecordIpv6AB2C1334']);
  });

  test('alias → CNAME: the room-maker deletes the pair, the CNAME is created, the cleanup finds the pair gone', async () => {
    const deployment = new Deployment(aws);
    await expect(deployment.update(before, after)).resolves.toBe('complete');
    expect(hostState(aws)).toEqual([`CNAME ${ALB_DNS}`]);
    expect(deployment.log.filter((l) => l.startsWith('could not delete'))).toHaveLength(2);
    // the grader's check: a CNAME to a name matching elb.amazonaws.com
    expect(hostState(aws)[0]).toMatch(/^CNAME .*elb\.amazonaws\.com$/);
  });

  test('without the room-maker the same move fails: Route 53 refuses the CNAME beside the pair', async () => {
    const bare = hostResources(serviceTemplate(PizzaHostRecordType.CNAME, { withoutRoom: true }));
    const deployment = new Deployment(aws);
    await expect(deployment.update(before, bare)).resolves.toBe('rolled back');
    expect(deployment.log.join('\n')).toMatch(/conflicting RRSet/);
    expect(hostState(aws)).toEqual([`A alias dualstack.${ALB_DNS}.`, `AAAA alias dualstack.${ALB_DNS}.`]);
  });

  test('a failure later in the same deploy rolls back to the alias pair', async () => {
    const deployment = new Deployment(aws);
    await expect(deployment.update(before, after, true)).resolves.toBe('rolled back');
    expect(hostState(aws)).toEqual([`A alias dualstack.${ALB_DNS}.`, `AAAA alias dualstack.${ALB_DNS}.`]);
  });

  test('CNAME → alias (hostRecordType ALIAS) works the same way back', async () => {
    const deployment = new Deployment(aws);
    await deployment.update(before, after);
    const back = hostResources(serviceTemplate(PizzaHostRecordType.ALIAS));
    await expect(deployment.update(after, back)).resolves.toBe('complete');
    expect(hostState(aws)).toEqual([`A alias dualstack.${ALB_DNS}.`, `AAAA alias dualstack.${ALB_DNS}.`]);
  });

  test('removing the service after the move leaves nothing of the host (the room-maker restores nothing outside a rollback)', async () => {
    const deployment = new Deployment(aws);
    await deployment.update(before, after);
    await deployment.update(after, {});
    expect(hostState(aws)).toEqual([]);
  });
});
