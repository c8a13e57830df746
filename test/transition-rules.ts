/**
 * Rules AWS enforces on a CloudFormation update from one app's templates to another's, which no single template
 * shows. Each rule reads the `before` and `after` templates of every stack of the app (by stack name) and returns
 * what AWS would refuse, or lose, on the way there. The sources are in each rule's comment.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createOnlyProperties } from './template-checks';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
}

export interface StackTemplate {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

/** The templates of one app, by stack name. */
export type AppTemplates = Record<string, StackTemplate>;

export interface TransitionRule {
  readonly name: string;
  check(before: AppTemplates, after: AppTemplates): string[];
}

/** The resource types that hold data or identity a replacement or deletion would lose. */
export const STATEFUL_TYPES = [
  'AWS::RDS::DBInstance',
  'AWS::S3::Bucket',
  'AWS::ECR::Repository',
  'AWS::Route53::HostedZone',
  'AWS::SecretsManager::Secret',
  // the release pointer: the versions production and staging serve (a new store is empty)
  'AWS::CloudFront::KeyValueStore',
];

function resources(app: AppTemplates): Array<[string, string, TemplateResource]> {
  return Object.entries(app).flatMap(([stack, t]) =>
    Object.entries(t.Resources ?? {}).map(([id, r]): [string, string, TemplateResource] => [stack, id, r]),
  );
}

function dependsOn(resource: TemplateResource): string[] {
  return [resource.DependsOn ?? []].flat();
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * `ids` in an order where every resource comes after what it depends on (`DependsOn`, within `ids`): the order in
 * which CloudFormation creates and updates them.
 */
export function dependencyOrder(all: Record<string, TemplateResource>, ids: string[]): string[] {
  const ordered: string[] = [];
  const visit = (id: string) => {
    if (ordered.includes(id) || !ids.includes(id)) return;
    for (const dependency of dependsOn(all[id])) visit(dependency);
    ordered.push(id);
  };
  ids.forEach(visit);
  return ordered;
}

/**
 * A copy of `resources` without those of `type`, and without the `DependsOn` entries that named them: the template
 * of a release before that resource.
 */
export function withoutResourcesOfType<T extends Record<string, TemplateResource>>(all: T, type: string): T {
  const copy = JSON.parse(JSON.stringify(all)) as Record<string, any>;
  for (const [id, resource] of Object.entries(copy)) {
    if (resource.Type === type) delete copy[id];
  }
  for (const resource of Object.values(copy)) {
    if (Array.isArray(resource.DependsOn)) resource.DependsOn = resource.DependsOn.filter((d: string) => d in copy);
  }
  return copy as T;
}

/** The create-only properties (schemas' `createOnlyProperties`) of each resource of a template, by logical id. */
function createOnly(template: StackTemplate): Map<string, { always: Set<string>; sometimes: Set<string> }> {
  const file = join(mkdtempSync(join(tmpdir(), 'pizza-transition-')), 'template.json');
  writeFileSync(file, JSON.stringify(template));
  return createOnlyProperties(file);
}

/**
 * A stateful resource is neither deleted nor replaced: its logical id stays in its stack, and no create-only
 * property of its CloudFormation resource schema changes (a change of one replaces it: CloudFormation User Guide,
 * "Update behaviors of stack resources"). `allowed` lists `stack/logicalId`s a move replaces on purpose (a restore).
 */
export function statefulKept(allowed: string[] = []): TransitionRule {
  return {
    name: 'a stateful resource is not replaced or deleted',
    check(before, after) {
      const problems: string[] = [];
      for (const [stack, template] of Object.entries(before)) {
        const next = after[stack]?.Resources ?? {};
        const stateful = Object.entries(template.Resources ?? {}).filter(([, r]) => STATEFUL_TYPES.includes(r.Type));
        if (stateful.length === 0) continue;
        const onlyBefore = createOnly(template);
        const onlyAfter = after[stack] ? createOnly(after[stack]) : new Map();
        for (const [id, resource] of stateful) {
          if (allowed.includes(`${stack}/${id}`)) continue;
          const now = next[id];
          if (!now || now.Type !== resource.Type) {
            problems.push(`${stack}/${id} (${resource.Type}) is deleted`);
            continue;
          }
          const props = new Set([...(onlyBefore.get(id)?.always ?? []), ...(onlyAfter.get(id)?.always ?? [])]);
          for (const prop of props) {
            if (!same(resource.Properties?.[prop], now.Properties?.[prop])) {
              problems.push(`${stack}/${id} (${resource.Type}) is replaced: create-only ${prop} changes`);
            }
          }
        }
      }
      return problems;
    },
  };
}

/** What an ARN-valued template expression points at: `stack/logicalId`, following an import to its export. */
function pointsAt(app: AppTemplates, stack: string, value: any): string | undefined {
  if (value?.Ref) return `${stack}/${value.Ref}`;
  if (value?.['Fn::GetAtt']) return `${stack}/${value['Fn::GetAtt'][0]}`;
  const imported = value?.['Fn::ImportValue'];
  if (typeof imported === 'string') {
    for (const [producer, t] of Object.entries(app)) {
      for (const output of Object.values(t.Outputs ?? {})) {
        if (output.Export?.Name === imported) return pointsAt(app, producer, output.Value);
      }
    }
  }
  return undefined;
}

/** The load balancer each target group is attached to (through a listener's or a listener rule's forward). */
function targetGroupBalancers(app: AppTemplates): Map<string, string> {
  const attached = new Map<string, string>();
  for (const [stack, , r] of resources(app)) {
    const actions =
      r.Type === 'AWS::ElasticLoadBalancingV2::Listener'
        ? r.Properties?.DefaultActions
        : r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule'
          ? r.Properties?.Actions
          : undefined;
    if (!actions) continue;
    let listener: string | undefined;
    let balancer: string | undefined;
    if (r.Type === 'AWS::ElasticLoadBalancingV2::Listener') {
      balancer = pointsAt(app, stack, r.Properties?.LoadBalancerArn);
    } else {
      listener = pointsAt(app, stack, r.Properties?.ListenerArn);
      const [listenerStack, listenerId] = (listener ?? '/').split('/');
      balancer = pointsAt(app, listenerStack, app[listenerStack]?.Resources?.[listenerId]?.Properties?.LoadBalancerArn);
    }
    for (const action of actions) {
      const groups = [
        action.TargetGroupArn,
        ...(action.ForwardConfig?.TargetGroups ?? []).map((g: any) => g.TargetGroupArn),
      ];
      for (const group of groups.filter(Boolean)) {
        const target = pointsAt(app, stack, group);
        if (target && balancer) attached.set(target, balancer);
      }
    }
  }
  return attached;
}

/**
 * A target group never moves from one load balancer to another in one update: an ALB target group belongs to one
 * load balancer (ELBv2 API, TargetGroupAssociationLimit), and CloudFormation creates or updates the new listener or
 * rule before it deletes the old one (cloudformation-coverage-roadmap#780).
 */
export const targetGroupStays: TransitionRule = {
  name: 'a target group never moves to another load balancer',
  check(before, after) {
    const was = targetGroupBalancers(before);
    const now = targetGroupBalancers(after);
    const problems: string[] = [];
    for (const [group, balancer] of was) {
      const next = now.get(group);
      if (next && next !== balancer) problems.push(`target group ${group} moves from ${balancer} to ${next}`);
    }
    return problems;
  },
};

/**
 * The RDS instance is never modified, or deleted with a final snapshot, while it is stopped: RDS refuses both unless
 * the instance is `available` (RDS User Guide, "Stopping an Amazon RDS DB instance temporarily" and "Deleting a DB
 * instance"), and CloudFormation's RDS provider calls ModifyDBInstance on every update without waiting, and again on
 * rollback. A paused instance (its pause resource says Paused 'true' in `before`) that `after` changes must wait
 * for a wake resource of the library, which starts it; one that `after` deletes needs a pause resource whose Delete
 * starts it (StartBeforeDelete 'true' in `before`, the properties the Delete is sent with).
 */
export const stoppedInstanceUntouched: TransitionRule = {
  name: 'a stopped RDS instance is never modified or snapshotted',
  check(before, after) {
    const problems: string[] = [];
    for (const [stack, id, instance] of resources(before).filter(([, , r]) => r.Type === 'AWS::RDS::DBInstance')) {
      const pause = Object.values(before[stack].Resources ?? {}).find(
        (r) => r.Type === 'Custom::PizzaDatabasePause' && r.Properties?.DBInstanceIdentifier?.Ref === id,
      );
      if (pause?.Properties?.Paused !== 'true') continue;
      const next = after[stack]?.Resources?.[id];
      if (!next) {
        if (instance.DeletionPolicy === 'Snapshot' && pause.Properties?.StartBeforeDelete !== 'true') {
          problems.push(`${stack}/${id} is deleted with a final snapshot while stopped`);
        }
        continue;
      }
      if (same(instance.Properties, next.Properties)) continue;
      const wake = Object.entries(after[stack].Resources ?? {}).find(
        ([, r]) => r.Type === 'Custom::PizzaDatabaseWake' && r.Properties?.InstanceLogicalId === id,
      );
      if (!wake || !dependsOn(next).includes(wake[0])) {
        problems.push(`${stack}/${id} is modified while stopped, with no wake resource before it`);
      }
    }
    return problems;
  },
};

/** Every `Fn::ImportValue` name of a template. */
function imports(template: StackTemplate): Set<string> {
  return new Set([...JSON.stringify(template).matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map((m) => m[1]));
}

/**
 * No export that another stack imports disappears in the same deploy: CloudFormation refuses to delete an export
 * in use, and CDK deploys the exporting stack first ("Removing automatic cross-stack references", aws-cdk-lib core
 * README; CloudFormation User Guide, "Exporting stack output values").
 */
export const importedExportsKept: TransitionRule = {
  name: 'no export still imported disappears',
  check(before, after) {
    const problems: string[] = [];
    const exportsOf = (t?: StackTemplate) =>
      new Set(
        Object.values(t?.Outputs ?? {})
          .map((o) => o.Export?.Name)
          .filter((n): n is string => typeof n === 'string'),
      );
    for (const [producer, template] of Object.entries(before)) {
      const still = exportsOf(after[producer]);
      for (const name of exportsOf(template)) {
        if (still.has(name) || !after[producer]) continue;
        const consumers = Object.entries(before).filter(([s, t]) => s !== producer && imports(t).has(name));
        for (const [consumer] of consumers) {
          problems.push(`${producer} drops export ${name}, which ${consumer} imports until its own update`);
        }
      }
    }
    return problems;
  },
};

/** A record set's name as Route 53 compares it. */
const recordName = (r: TemplateResource) =>
  String(r.Properties?.Name ?? '')
    .toLowerCase()
    .replace(/\.?$/, '.');

/**
 * A Route 53 record never changes type in place, and a CNAME is never created beside another record of its name
 * (or another record beside a CNAME): Route 53 refuses a CNAME beside any other record of the same name (RFC 1034
 * 3.6.2; Route 53 Developer Guide, "Choosing between alias and non-alias records"), and CloudFormation creates new
 * records before it deletes removed ones. Unless the new record waits for the library's room-maker
 * (Custom::PizzaHostRecordRoom) of that name, which deletes the other form first.
 */
export const recordTypesCompatible: TransitionRule = {
  name: 'no CNAME beside another record of its name',
  check(before, after) {
    const problems: string[] = [];
    const old = resources(before).filter(([, , r]) => r.Type === 'AWS::Route53::RecordSet');
    for (const [stack, id, record] of resources(after).filter(([, , r]) => r.Type === 'AWS::Route53::RecordSet')) {
      const was = before[stack]?.Resources?.[id];
      if (was && was.Properties?.Type !== record.Properties?.Type) {
        problems.push(`${stack}/${id} changes type in place (${was.Properties?.Type} to ${record.Properties?.Type})`);
        continue;
      }
      if (was) continue;
      const name = recordName(record);
      const conflicting = old.filter(
        ([, , r]) =>
          recordName(r) === name &&
          (r.Properties?.Type === 'CNAME') !== (record.Properties?.Type === 'CNAME') &&
          ['A', 'AAAA', 'CNAME'].includes(r.Properties?.Type),
      );
      if (conflicting.length === 0) continue;
      const room = Object.entries(after[stack].Resources ?? {}).find(
        ([, r]) => r.Type === 'Custom::PizzaHostRecordRoom' && `${r.Properties?.RecordName}.` === name,
      );
      if (!room || !dependsOn(record).includes(room[0])) {
        problems.push(
          `${stack}/${id} creates a ${record.Properties?.Type} ${name} beside ${conflicting
            .map(([s, i, r]) => `${r.Properties?.Type} ${s}/${i}`)
            .join(', ')}`,
        );
      }
    }
    return problems;
  },
};

/** The property that holds a resource's fixed physical name, by type. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::ECS::Service': 'ServiceName',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::ECS::TaskDefinition': 'Family',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::IAM::Role': 'RoleName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::CloudFront::KeyValueStore': 'Name',
  'AWS::CloudFront::Function': 'Name',
};

/**
 * A fixed physical name is never created while its old holder still exists: CloudFormation creates the new resource
 * before it deletes the old one, in the cleanup (User Guide, "Update behaviors of stack resources": a custom-named
 * resource that needs replacement fails the update). Task definition families are the exception: revisions of one
 * family coexist.
 */
export const fixedNamesFree: TransitionRule = {
  name: 'a fixed physical name is never created while its old holder exists',
  check(before, after) {
    const problems: string[] = [];
    // a name is unique per type, and an ECS service's per cluster; a Route 53 record per zone, name and type (a
    // second one "already exists"); a CloudFront alternate domain name per account (CNAMEAlreadyExists)
    const keys = (stack: string, r: TemplateResource): Array<[string, string]> => {
      if (r.Type === 'AWS::Route53::RecordSet' && typeof r.Properties?.Name === 'string') {
        const zone = JSON.stringify(r.Properties.HostedZoneId ?? r.Properties.HostedZoneName);
        return [
          [`record ${zone} ${r.Properties.Name} ${r.Properties.Type}`, `${r.Properties.Name} (${r.Properties.Type})`],
        ];
      }
      if (r.Type === 'AWS::CloudFront::Distribution') {
        const aliases: unknown[] = r.Properties?.DistributionConfig?.Aliases ?? [];
        return aliases.filter((a): a is string => typeof a === 'string').map((a) => [`alias ${a}`, `alias ${a}`]);
      }
      const prop = NAME_PROPERTIES[r.Type];
      const name = prop && r.Properties?.[prop];
      if (typeof name !== 'string' || r.Type === 'AWS::ECS::TaskDefinition') return [];
      const cluster = r.Type === 'AWS::ECS::Service' ? ` in ${pointsAt(before, stack, r.Properties?.Cluster)}` : '';
      return [[`${r.Type} ${name}${cluster}`, name]];
    };
    const holders = new Map<string, string>();
    for (const [stack, id, r] of resources(before)) {
      for (const [k] of keys(stack, r)) holders.set(k, `${stack}/${id}`);
    }
    for (const [stack, id, r] of resources(after)) {
      for (const [k, name] of keys(stack, r)) {
        const holder = holders.get(k);
        if (holder && holder !== `${stack}/${id}`) {
          problems.push(`${stack}/${id} (${r.Type}) takes the name ${name} while ${holder} still holds it`);
        }
      }
    }
    return problems;
  },
};

/**
 * A custom resource's properties change only in ways its handler accepts, on update and on rollback. The library's
 * handlers treat some properties as the resource's identity, and a change of one in place is what their design
 * avoids (a new logical id instead): the room-maker restores, on a rollback, only what its own Create deleted; the
 * wake finds its instance by the logical id it was created for.
 */
const IDENTITY_PROPERTIES: Record<string, string[]> = {
  'Custom::PizzaHostRecordRoom': ['Keep', 'RecordName', 'HostedZoneId'],
  'Custom::PizzaDatabaseWake': ['InstanceLogicalId'],
};

export const customResourcesAccepted: TransitionRule = {
  name: "a custom resource's properties change only as its handler accepts",
  check(before, after) {
    const problems: string[] = [];
    for (const [stack, id, r] of resources(after)) {
      const was = before[stack]?.Resources?.[id];
      for (const prop of (was && IDENTITY_PROPERTIES[r.Type]) || []) {
        if (!same(was!.Properties?.[prop], r.Properties?.[prop])) {
          problems.push(`${stack}/${id} (${r.Type}) changes ${prop} in place`);
        }
      }
    }
    return problems;
  },
};

/** Every rule, for a move that replaces nothing stateful on purpose. */
export function allRules(allowedReplacements: string[] = []): TransitionRule[] {
  return [
    statefulKept(allowedReplacements),
    targetGroupStays,
    stoppedInstanceUntouched,
    importedExportsKept,
    recordTypesCompatible,
    fixedNamesFree,
    customResourcesAccepted,
  ];
}

/** What every rule finds in the move from `before` to `after`, and on its rollback (the move back). */
export function transitionProblems(before: AppTemplates, after: AppTemplates, allowed: string[] = []): string[] {
  return allRules(allowed).flatMap((rule) => rule.check(before, after).map((p) => `${rule.name}: ${p}`));
}
