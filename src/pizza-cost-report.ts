import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Aspects, CfnResource, IAspect, Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  EXCLUDED_COSTS,
  HOURS_PER_MONTH,
  PRICES,
  PRICES_AS_OF,
  PRICE_REGION,
  RDS_INSTANCE_HOUR,
} from './private/price-list';
import { show } from './private/validation';

/** Id of the info annotation each reported stack gets (acknowledge it to hide it). */
const ANNOTATION_ID = 'pizza-constructs:cost-report';

/** Marks a scope on which `PizzaCostReport.of` was called, and a stack already registered. */
const ENABLED_SCOPE = Symbol.for('pizza-constructs.PizzaCostReport.scope');
const ENABLED_STACK = Symbol.for('pizza-constructs.PizzaCostReport.stack');

/** The Fargate minimum task size, used when a service's task definition cannot be read. */
const FARGATE_MIN_VCPU = 0.25;
const FARGATE_MIN_GB = 0.5;

/** Ephemeral storage every Fargate task gets at no charge. */
const FARGATE_FREE_EPHEMERAL_GB = 20;

/** Assumed Availability Zones when a subnet list is not known at synth (the CDK's usual `maxAzs` of 2). */
const ASSUMED_AZS = 2;

/** Alarms Application Auto Scaling creates for one target-tracking policy (scale-out and scale-in). */
const TARGET_TRACKING_ALARMS = 2;

/** Resource types with an idle cost this report does not estimate; they are listed with a zero amount. */
const UNPRICED_TYPES = new Set([
  'AWS::EC2::Instance',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::RDS::DBCluster',
  'AWS::DocDB::DBCluster',
  'AWS::Neptune::DBCluster',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::ServerlessCache',
  'AWS::OpenSearchService::Domain',
  'AWS::Redshift::Cluster',
  'AWS::EKS::Cluster',
  'AWS::MSK::Cluster',
  'AWS::EC2::TransitGateway',
  'AWS::EC2::VPNConnection',
  'AWS::EC2::ClientVpnEndpoint',
]);

/** Resource types the estimate prices, or reads to price another (task definitions, scalable targets). */
const READ_TYPES = new Set([
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::RDS::DBInstance',
  'AWS::EC2::NatGateway',
  'AWS::EC2::EIP',
  'AWS::EC2::VPCEndpoint',
  'AWS::SecretsManager::Secret',
  'AWS::Route53::HostedZone',
  'AWS::WAFv2::WebACL',
  'AWS::KMS::Key',
  'AWS::KMS::ReplicaKey',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  ...UNPRICED_TYPES,
]);

/**
 * One priced line of a stack's idle-cost estimate: `quantity` × `unitMonthlyUsd` = `monthlyUsd`.
 */
export interface PizzaCostLineItem {
  /** The logical id of the CloudFormation resource the cost comes from. */
  readonly logicalId: string;

  /**
   * The construct path of that resource, e.g. `MyStack/Service/LoadBalancer/Resource`.
   *
   * @default - not known (the resource was added by a template override)
   */
  readonly constructPath?: string;

  /** The CloudFormation resource type, e.g. `AWS::ElasticLoadBalancingV2::LoadBalancer`. */
  readonly resourceType: string;

  /** What is charged, e.g. `Application Load Balancer` or `Public IPv4 addresses of the load balancer`. */
  readonly kind: string;

  /** How many units are charged all month, e.g. 2 addresses, 20 GB, 1 task. May be fractional (Spot splits). */
  readonly quantity: number;

  /** The unit of `quantity`, e.g. `load balancer`, `address`, `GB`, `task`. */
  readonly unit: string;

  /** List price of one unit for one month (730 hours), USD. */
  readonly unitMonthlyUsd: number;

  /** `quantity` × `unitMonthlyUsd`, USD per month. */
  readonly monthlyUsd: number;

  /**
   * What was assumed because the template did not say (e.g. a token that only resolves at deploy time), or how the
   * price was derived.
   *
   * @default - nothing assumed: every input was read from the template
   */
  readonly assumption?: string;
}

/**
 * The idle monthly cost of one stack, estimated from its own CloudFormation resources.
 */
export interface PizzaCostEstimate {
  /** The stack's name (its construct path for a nested stack). */
  readonly stackName: string;

  /** Sum of the line items, USD per month. */
  readonly monthlyUsd: number;

  /** The line items, largest first. */
  readonly items: PizzaCostLineItem[];

  /** When the price table was last checked (year-month), e.g. `2026-11`. */
  readonly pricesAsOf: string;

  /** The region the prices are for: always `us-east-1`. */
  readonly priceRegion: string;

  /** Hours in the priced month (730). */
  readonly hoursPerMonth: number;

  /** How the stack's own region relates to the us-east-1 prices. */
  readonly regionNote: string;

  /** Costs that depend on traffic or usage and are not in the estimate (data transfer, LCUs, requests, logs). */
  readonly excluded: string[];
}

/**
 * Idle-cost report: what each stack costs per month at AWS list prices while nobody uses it.
 *
 * `PizzaCostReport.of(app)` turns the report on for every stack in the app. When the app is synthesized, each
 * stack then gets
 *
 * - an info annotation with its monthly total and largest items (printed by `cdk synth` / `cdk deploy`), and
 * - an entry in `pizza-cost-report.json` in the cloud assembly (`cdk.out`), with every line item, the assumptions
 *   made, the date of the price table and the traffic-priced costs that are excluded.
 *
 * The estimate reads the stack's own CloudFormation resources: load balancers and their public IPv4 addresses,
 * Fargate services (task size, architecture, count, Spot, public IPs), RDS instances (class, storage, Multi-AZ),
 * NAT gateways, Elastic IPs, interface VPC endpoints, secrets, hosted zones, WAF web ACLs, KMS keys and CloudWatch
 * alarms. Prices are us-east-1 on-demand list prices at `PizzaCostReport.PRICES_AS_OF`, 730 hours a month, free
 * tiers not subtracted.
 */
export class PizzaCostReport {
  /** The name of the report file written into the cloud assembly directory. */
  public static readonly FILE_NAME: string = 'pizza-cost-report.json';

  /** When the price table was last checked (year-month). */
  public static readonly PRICES_AS_OF: string = PRICES_AS_OF;

  /**
   * Report the idle cost of every stack in `scope` when the app is synthesized.
   *
   * Calling it again on the same scope, or on a stack already covered, changes nothing.
   *
   * @param scope an `App`, a `Stage` or a `Stack`. Stacks of a `Stage` inside the scope are covered when the stage
   * exists at the time of the call (CDK synthesizes nested stages before the app's own stacks); for a stage created
   * later, call `of` on the stage.
   */
  public static of(scope: IConstruct): void {
    if (!Stage.isStage(scope) && !Stack.isStack(scope)) {
      throw new Error(
        `\`PizzaCostReport.of\` takes an App, a Stage or a Stack, got: ${show(scope.node.path)} ` +
          '(for a construct inside a stack, pass `Stack.of(construct)`)',
      );
    }
    enableScope(scope);
    for (const child of scope.node.findAll()) {
      if (child !== scope && Stage.isStage(child)) {
        enableScope(child);
      }
    }
  }

  /**
   * Estimate the idle monthly cost of one stack now, from the resources it holds.
   *
   * Needs no `of` call and writes nothing. Resources that aspects add at synth are included once the app has been
   * synthesized.
   *
   * @param stack the stack to estimate
   */
  public static estimate(stack: Stack): PizzaCostEstimate {
    return estimateStack(stack);
  }

  private constructor() {}
}

/** Adds (once) the aspect that registers each stack of `scope` for the report. */
function enableScope(scope: IConstruct): void {
  const marked = scope as unknown as Record<symbol, boolean>;
  if (marked[ENABLED_SCOPE]) {
    return;
  }
  marked[ENABLED_SCOPE] = true;
  Aspects.of(scope).add(new CostReportAspect());
  if (Stack.isStack(scope)) {
    enableStack(scope);
  }
}

/** Registers each stack it visits for the report. */
class CostReportAspect implements IAspect {
  public visit(node: IConstruct): void {
    if (Stack.isStack(node)) {
      enableStack(node);
    }
  }
}

/**
 * Registers `stack` for the report: a validation, which CDK runs after aspects and cross-stack references are
 * resolved and before the stack's template and annotations are written, computes the estimate, annotates the
 * stack and writes the report file. It never reports a validation error.
 */
function enableStack(stack: Stack): void {
  const marked = stack as unknown as Record<symbol, boolean>;
  if (marked[ENABLED_STACK]) {
    return;
  }
  marked[ENABLED_STACK] = true;
  stack.node.addValidation({
    validate: () => {
      const estimate = estimateStack(stack);
      annotate(stack, estimate);
      writeReport(stack, estimate);
      return [];
    },
  });
}

/** The annotation text already added to a stack, so a forced re-synthesis does not repeat it. */
const annotated = new WeakMap<Stack, string>();

function annotate(stack: Stack, estimate: PizzaCostEstimate): void {
  const largest = estimate.items
    .filter((item) => item.monthlyUsd > 0)
    .slice(0, 3)
    .map((item) => `${item.kind} ${usd(item.monthlyUsd)}`);
  const message =
    `Idle cost estimate: ${usd(estimate.monthlyUsd)}/month at ${estimate.priceRegion} list prices of ` +
    `${estimate.pricesAsOf} (${estimate.hoursPerMonth} h/month)` +
    (largest.length > 0 ? `; largest: ${largest.join(', ')}` : '') +
    `. Traffic-priced costs (data transfer, LCUs, requests, logs) are excluded; line items in ` +
    `${PizzaCostReport.FILE_NAME}.`;
  if (annotated.get(stack) === message) {
    return;
  }
  annotated.set(stack, message);
  Annotations.of(stack).addInfoV2(ANNOTATION_ID, message);
}

/** The stacks reported so far in each stage's cloud assembly, by construct path. */
const reports = new WeakMap<Stage, Map<string, Record<string, unknown>>>();

function writeReport(stack: Stack, estimate: PizzaCostEstimate): void {
  const stage = Stage.of(stack);
  if (!stage) {
    return;
  }
  let stacks = reports.get(stage);
  if (!stacks) {
    stacks = new Map();
    reports.set(stage, stacks);
  }
  stacks.set(stack.node.path, {
    stackName: estimate.stackName,
    constructPath: stack.node.path,
    monthlyUsd: estimate.monthlyUsd,
    regionNote: estimate.regionNote,
    items: estimate.items,
  });
  const all = [...stacks.values()];
  const document = {
    description:
      'Idle monthly cost of each stack at AWS on-demand list prices, estimated at synth by pizza-constructs ' +
      "PizzaCostReport from each stack's own resources. An estimate, not a bill.",
    pricesAsOf: PRICES_AS_OF,
    priceRegion: PRICE_REGION,
    hoursPerMonth: HOURS_PER_MONTH,
    currency: 'USD',
    totalMonthlyUsd: round(all.reduce((sum, s) => sum + (s.monthlyUsd as number), 0)),
    excluded: [...EXCLUDED_COSTS],
    stacks: all,
  };
  fs.mkdirSync(stage.outdir, { recursive: true });
  fs.writeFileSync(path.join(stage.outdir, PizzaCostReport.FILE_NAME), JSON.stringify(document, undefined, 2) + '\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Estimation from the stack's CloudFormation resources

/** One resource of a synthesized template (only what the estimate reads). */
interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

function estimateStack(stack: Stack): PizzaCostEstimate {
  // Each resource the estimate reads, as the synthesizer writes it (overrides applied, tokens resolved). Only these
  // types are resolved, not the whole template, so the report adds little to synth time.
  const resources: Record<string, TemplateResource> = {};
  const paths = new Map<string, string>();
  for (const child of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(child) || !READ_TYPES.has(child.cfnResourceType) || Stack.of(child) !== stack) {
      continue;
    }
    const fragment = stack.resolve((child as any)._toCloudFormation()) as {
      Resources?: Record<string, TemplateResource>;
    };
    for (const [id, resource] of Object.entries(fragment.Resources ?? {})) {
      resources[id] = resource;
      paths.set(id, child.node.path);
    }
  }
  const estimator = new Estimator(resources, paths);
  const items = estimator.run().sort((a, b) => b.monthlyUsd - a.monthlyUsd);
  return {
    stackName: Token.isUnresolved(stack.stackName) ? stack.node.path : stack.stackName,
    monthlyUsd: round(items.reduce((sum, item) => sum + item.monthlyUsd, 0)),
    items,
    pricesAsOf: PRICES_AS_OF,
    priceRegion: PRICE_REGION,
    hoursPerMonth: HOURS_PER_MONTH,
    regionNote: regionNote(stack.region),
    excluded: [...EXCLUDED_COSTS],
  };
}

function regionNote(region: string): string {
  if (Token.isUnresolved(region)) {
    return `Prices are ${PRICE_REGION} list prices; the stack is environment-agnostic (region unknown at synth).`;
  }
  if (region === PRICE_REGION) {
    return `Prices are ${PRICE_REGION} list prices, the stack's own region.`;
  }
  return `Prices are ${PRICE_REGION} list prices; the stack deploys to ${region}, where most prices are 0-30 % higher.`;
}

/** Walks a template's resources and prices each one it knows. */
class Estimator {
  private readonly items: PizzaCostLineItem[] = [];

  constructor(
    private readonly resources: Record<string, TemplateResource>,
    private readonly paths: Map<string, string>,
  ) {}

  public run(): PizzaCostLineItem[] {
    for (const [id, resource] of Object.entries(this.resources)) {
      const props = resource.Properties ?? {};
      switch (resource.Type) {
        case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
          this.loadBalancer(id, resource.Type, props);
          break;
        case 'AWS::ECS::Service':
          this.ecsService(id, resource.Type, props);
          break;
        case 'AWS::RDS::DBInstance':
          this.dbInstance(id, resource.Type, props);
          break;
        case 'AWS::EC2::NatGateway':
          this.hourly(id, resource.Type, 'NAT gateway', 1, 'gateway', PRICES.natGatewayHour);
          break;
        case 'AWS::EC2::EIP':
          this.hourly(id, resource.Type, 'Elastic IP (public IPv4)', 1, 'address', PRICES.publicIpv4Hour);
          break;
        case 'AWS::EC2::VPCEndpoint':
          this.vpcEndpoint(id, resource.Type, props);
          break;
        case 'AWS::SecretsManager::Secret':
          this.secret(id, resource.Type, props);
          break;
        case 'AWS::Route53::HostedZone':
          this.add(id, resource.Type, 'Route 53 hosted zone', 1, 'hosted zone', PRICES.hostedZoneMonth);
          break;
        case 'AWS::WAFv2::WebACL':
          this.webAcl(id, resource.Type, props);
          break;
        case 'AWS::KMS::Key':
        case 'AWS::KMS::ReplicaKey':
          this.add(id, resource.Type, 'KMS customer managed key', 1, 'key', PRICES.kmsKeyMonth);
          break;
        case 'AWS::CloudWatch::Alarm':
          this.alarm(id, resource.Type, props);
          break;
        case 'AWS::CloudWatch::CompositeAlarm':
          this.add(id, resource.Type, 'CloudWatch composite alarm', 1, 'alarm', PRICES.compositeAlarmMonth);
          break;
        case 'AWS::ApplicationAutoScaling::ScalingPolicy':
          this.scalingPolicy(id, resource.Type, props);
          break;
        default:
          if (UNPRICED_TYPES.has(resource.Type)) {
            this.add(id, resource.Type, 'Not priced by this report', 1, 'resource', 0, [
              'this resource type has an idle cost that PizzaCostReport does not estimate: see its pricing page',
            ]);
          }
      }
    }
    return this.items;
  }

  private loadBalancer(id: string, type: string, props: Record<string, any>): void {
    const lbType = props.Type ?? 'application';
    if (lbType !== 'application' && lbType !== 'network') {
      this.add(id, type, `Load balancer (${String(lbType)})`, 1, 'load balancer', 0, [
        `load balancer type ${show(lbType)} is not priced by this report`,
      ]);
      return;
    }
    const name = lbType === 'application' ? 'Application Load Balancer' : 'Network Load Balancer';
    this.hourly(id, type, name, 1, 'load balancer', lbType === 'application' ? PRICES.albHour : PRICES.nlbHour);

    const scheme = props.Scheme ?? 'internet-facing';
    if (scheme !== 'internet-facing' || props.IpAddressType === 'dualstack-without-public-ipv4') {
      return;
    }
    const notes: string[] = [];
    let addresses: number;
    if (Array.isArray(props.SubnetMappings)) {
      // a mapping with an Elastic IP uses that address, which is priced as the EIP itself
      addresses = props.SubnetMappings.filter((m: any) => !isObject(m) || m.AllocationId === undefined).length;
    } else if (Array.isArray(props.Subnets)) {
      addresses = props.Subnets.length;
    } else {
      addresses = ASSUMED_AZS;
      notes.push(`its subnets are not known at synth: assumed ${ASSUMED_AZS} Availability Zones`);
    }
    notes.push('one address per Availability Zone at idle; the load balancer adds addresses when it scales out');
    if (addresses > 0) {
      this.hourly(
        id,
        type,
        'Public IPv4 addresses of the load balancer',
        addresses,
        'address',
        PRICES.publicIpv4Hour,
        notes,
      );
    }
  }

  private ecsService(id: string, type: string, props: Record<string, any>): void {
    const notes: string[] = [];

    // Fargate or not, and the capacity providers that share the tasks
    let providers: CapacityProvider[] | undefined;
    const strategy = Array.isArray(props.CapacityProviderStrategy) ? props.CapacityProviderStrategy : [];
    if (strategy.length > 0) {
      providers = strategy.map((item: any) => ({
        name: isObject(item) ? item.CapacityProvider : undefined,
        base: num(isObject(item) ? item.Base : undefined) ?? 0,
        weight: num(isObject(item) ? item.Weight : undefined) ?? 0,
      }));
      const other = providers.find((p) => p.name !== 'FARGATE' && p.name !== 'FARGATE_SPOT');
      if (other) {
        this.add(id, type, 'ECS service on EC2 capacity', 0, 'task', 0, [
          `capacity provider ${show(other.name)} runs on EC2 instances, which this report does not price`,
        ]);
        return;
      }
    } else if (props.LaunchType === undefined) {
      notes.push("no launch type or capacity provider: priced as Fargate (the cluster's default strategy decides)");
    } else if (props.LaunchType !== 'FARGATE') {
      this.add(id, type, `ECS service (${String(props.LaunchType)} launch type)`, 0, 'task', 0, [
        `launch type ${show(props.LaunchType)} runs on instances this report does not price`,
      ]);
      return;
    }

    // how many tasks run when idle
    let tasks: number;
    const desired = props.DesiredCount;
    if (desired === undefined) {
      tasks = 1;
      notes.push('DesiredCount not set: CloudFormation starts a new service with 1 task');
    } else if (num(desired) !== undefined) {
      tasks = num(desired)!;
    } else {
      tasks = 1;
      notes.push('DesiredCount is not known at synth: assumed 1 task');
    }
    const minCapacity = this.autoScalingMinimum(id, notes);
    if (minCapacity !== undefined && minCapacity > tasks) {
      notes.push(`auto scaling keeps at least ${minCapacity} task(s) (DesiredCount ${show(desired)})`);
      tasks = minCapacity;
    }
    const spotShare = providers && tasks > 0 ? spotTasks(providers, tasks, notes) / tasks : 0;

    // the size of one task
    const size = this.taskSize(props.TaskDefinition, notes);
    const arm = size.arm;
    const vcpuHour = arm ? PRICES.fargateArmVcpuHour : PRICES.fargateX86VcpuHour;
    const gbHour = arm ? PRICES.fargateArmGbHour : PRICES.fargateX86GbHour;
    const taskHour =
      size.vcpu * vcpuHour +
      size.gb * gbHour +
      Math.max(0, size.ephemeralGb - FARGATE_FREE_EPHEMERAL_GB) * PRICES.fargateEphemeralGbHour;
    const label = `${arm ? 'Linux/ARM64' : 'Linux/x86_64'}, ${size.vcpu} vCPU, ${size.gb} GB`;
    if (tasks === 0) {
      notes.push('DesiredCount 0 and no auto scaling minimum: no task runs when idle');
    }
    const onDemandTasks = tasks * (1 - spotShare);
    const spot = tasks * spotShare;
    if (onDemandTasks > 0 || spot === 0) {
      this.hourly(id, type, `Fargate task (${label})`, onDemandTasks, 'task', taskHour, notes);
    }
    if (spot > 0) {
      this.hourly(id, type, `Fargate Spot task (${label})`, spot, 'task', taskHour * (1 - PRICES.fargateSpotDiscount), [
        ...notes,
        `Spot priced at ${PRICES.fargateSpotDiscount * 100} % off on-demand (Spot prices float)`,
      ]);
    }

    const network = props.NetworkConfiguration?.AwsvpcConfiguration;
    if (isObject(network) && network.AssignPublicIp === 'ENABLED' && tasks > 0) {
      this.hourly(id, type, 'Public IPv4 addresses of the tasks', tasks, 'address', PRICES.publicIpv4Hour);
    }
  }

  /** The largest MinCapacity of the scalable targets that scale this service's desired count. */
  private autoScalingMinimum(serviceId: string, notes: string[]): number | undefined {
    let minimum: number | undefined;
    for (const resource of Object.values(this.resources)) {
      const props = resource.Properties ?? {};
      if (
        resource.Type !== 'AWS::ApplicationAutoScaling::ScalableTarget' ||
        props.ScalableDimension !== 'ecs:service:DesiredCount' ||
        !references(props.ResourceId, serviceId)
      ) {
        continue;
      }
      const value = num(props.MinCapacity);
      if (value === undefined) {
        notes.push('the auto scaling MinCapacity is not known at synth: ignored');
      } else {
        minimum = Math.max(minimum ?? 0, value);
      }
    }
    return minimum;
  }

  /** vCPU, memory (GB), ephemeral storage (GB) and architecture of the task definition a service runs. */
  private taskSize(
    taskDefinition: unknown,
    notes: string[],
  ): { vcpu: number; gb: number; ephemeralGb: number; arm: boolean } {
    const ref = refTarget(taskDefinition);
    const resource = ref === undefined ? undefined : this.resources[ref];
    if (!resource || resource.Type !== 'AWS::ECS::TaskDefinition') {
      notes.push(
        `the task definition is not in this stack: priced at the Fargate minimum, ${FARGATE_MIN_VCPU} vCPU and ` +
          `${FARGATE_MIN_GB} GB, Linux/x86_64`,
      );
      return { vcpu: FARGATE_MIN_VCPU, gb: FARGATE_MIN_GB, ephemeralGb: 0, arm: false };
    }
    const props = resource.Properties ?? {};
    let vcpu = parseCpu(props.Cpu);
    if (vcpu === undefined) {
      vcpu = FARGATE_MIN_VCPU;
      notes.push(`task CPU ${show(props.Cpu)} is not known at synth: assumed ${FARGATE_MIN_VCPU} vCPU`);
    }
    let gb = parseMemory(props.Memory);
    if (gb === undefined) {
      gb = FARGATE_MIN_GB;
      notes.push(`task memory ${show(props.Memory)} is not known at synth: assumed ${FARGATE_MIN_GB} GB`);
    }
    const platform = isObject(props.RuntimePlatform) ? props.RuntimePlatform : {};
    const architecture = platform.CpuArchitecture ?? 'X86_64';
    if (architecture !== 'ARM64' && architecture !== 'X86_64') {
      notes.push(`CPU architecture ${show(architecture)} is not known at synth: priced as X86_64`);
    }
    const os = platform.OperatingSystemFamily;
    if (typeof os === 'string' && os.startsWith('WINDOWS')) {
      notes.push('Windows task priced as Linux/x86_64: the Windows OS licence fee is not included');
    }
    const ephemeralGb = num(isObject(props.EphemeralStorage) ? props.EphemeralStorage.SizeInGiB : undefined) ?? 0;
    return { vcpu, gb, ephemeralGb, arm: architecture === 'ARM64' };
  }

  private dbInstance(id: string, type: string, props: Record<string, any>): void {
    if (props.DBClusterIdentifier !== undefined) {
      this.add(id, type, 'Aurora DB instance', 1, 'instance', 0, [
        'a member of an Aurora cluster: Aurora instance and storage prices are not in this report',
      ]);
      return;
    }
    const notes: string[] = [];
    let multiAz = false;
    if (props.MultiAZ === true || props.MultiAZ === 'true') {
      multiAz = true;
    } else if (props.MultiAZ !== undefined && props.MultiAZ !== false && props.MultiAZ !== 'false') {
      notes.push('MultiAZ is not known at synth: assumed single-AZ');
    }
    const factor = multiAz ? PRICES.rdsMultiAzFactor : 1;
    const deployment = multiAz ? 'Multi-AZ' : 'single-AZ';

    let instanceClass = typeof props.DBInstanceClass === 'string' ? props.DBInstanceClass : undefined;
    if (instanceClass === undefined) {
      instanceClass = 'db.t4g.micro';
      notes.push('DBInstanceClass is not known at synth: priced as db.t4g.micro');
    }
    const hourly = RDS_INSTANCE_HOUR[instanceClass];
    const engine = typeof props.Engine === 'string' ? props.Engine : undefined;
    if (engine !== undefined && !/^(mysql|mariadb|postgres)/.test(engine)) {
      notes.push(`engine ${show(engine)} priced at MySQL rates: licence-included engines cost more`);
    }
    if (hourly === undefined) {
      this.add(id, type, `RDS instance ${instanceClass} (${deployment})`, 1, 'instance', 0, [
        ...notes,
        `instance class ${show(instanceClass)} is not in the price table (T4g/T3 micro, small, medium): not priced`,
      ]);
    } else {
      this.hourly(
        id,
        type,
        `RDS instance ${instanceClass} (${deployment})`,
        1,
        'instance',
        hourly * factor,
        multiAz ? [...notes, 'Multi-AZ: the standby instance doubles the price'] : notes,
      );
    }

    const storageNotes: string[] = [];
    let gb = num(props.AllocatedStorage);
    if (gb === undefined) {
      gb = 20;
      storageNotes.push(`AllocatedStorage ${show(props.AllocatedStorage)} is not known at synth: assumed 20 GB`);
    }
    let storageType = typeof props.StorageType === 'string' ? props.StorageType : undefined;
    if (storageType === undefined) {
      storageType = props.Iops !== undefined ? 'io1' : 'gp2';
      storageNotes.push(`StorageType not set: priced as ${storageType}`);
    }
    let gbMonth: number;
    switch (storageType) {
      case 'gp3':
        gbMonth = PRICES.rdsGp3GbMonth;
        if (props.Iops !== undefined || props.StorageThroughput !== undefined) {
          storageNotes.push('gp3 IOPS and throughput above the included baseline are not priced');
        }
        break;
      case 'io1':
      case 'io2':
        gbMonth = PRICES.rdsIo1GbMonth;
        break;
      case 'standard':
        gbMonth = PRICES.rdsMagneticGbMonth;
        break;
      default:
        gbMonth = PRICES.rdsGp2GbMonth;
        if (storageType !== 'gp2') {
          storageNotes.push(`storage type ${show(storageType)} priced as gp2`);
        }
    }
    if (multiAz) {
      storageNotes.push('Multi-AZ: the standby doubles the storage');
    }
    this.add(id, type, `RDS storage (${storageType}, ${deployment})`, gb, 'GB', gbMonth * factor, storageNotes);

    if (storageType === 'io1' || storageType === 'io2') {
      const iops = num(props.Iops);
      if (iops === undefined) {
        this.add(id, type, 'RDS provisioned IOPS', 0, 'IOPS', PRICES.rdsIo1IopsMonth * factor, [
          'Iops is not known at synth: not priced',
        ]);
      } else {
        this.add(id, type, 'RDS provisioned IOPS', iops, 'IOPS', PRICES.rdsIo1IopsMonth * factor);
      }
    }
  }

  private vpcEndpoint(id: string, type: string, props: Record<string, any>): void {
    if (props.VpcEndpointType !== 'Interface') {
      return; // gateway endpoints (S3, DynamoDB) are free
    }
    if (Array.isArray(props.SubnetIds)) {
      this.hourly(
        id,
        type,
        'Interface VPC endpoint',
        props.SubnetIds.length,
        'endpoint-AZ',
        PRICES.interfaceEndpointAzHour,
        ['one endpoint network interface per subnet (Availability Zone)'],
      );
    } else {
      this.hourly(id, type, 'Interface VPC endpoint', ASSUMED_AZS, 'endpoint-AZ', PRICES.interfaceEndpointAzHour, [
        `its subnets are not known at synth: assumed ${ASSUMED_AZS} Availability Zones`,
      ]);
    }
  }

  private secret(id: string, type: string, props: Record<string, any>): void {
    const replicas = Array.isArray(props.ReplicaRegions) ? props.ReplicaRegions.length : 0;
    this.add(
      id,
      type,
      'Secrets Manager secret',
      1 + replicas,
      'secret',
      PRICES.secretMonth,
      replicas > 0 ? [`each of the ${replicas} replica region(s) is billed as one more secret`] : [],
    );
  }

  private webAcl(id: string, type: string, props: Record<string, any>): void {
    this.add(id, type, 'WAF web ACL', 1, 'web ACL', PRICES.wafWebAclMonth);
    if (Array.isArray(props.Rules)) {
      if (props.Rules.length > 0) {
        this.add(id, type, 'WAF rules', props.Rules.length, 'rule', PRICES.wafRuleMonth, [
          'each rule or rule group reference is billed as one rule; some managed groups add a subscription fee',
        ]);
      }
    } else if (props.Rules !== undefined) {
      this.add(id, type, 'WAF rules', 0, 'rule', PRICES.wafRuleMonth, ['the rules are not known at synth: not priced']);
    }
  }

  private alarm(id: string, type: string, props: Record<string, any>): void {
    let metrics = 1;
    let period = num(props.Period);
    const notes: string[] = [];
    if (Array.isArray(props.Metrics)) {
      const queries = props.Metrics.filter(isObject);
      const anomaly = queries.some(
        (q: any) => typeof q.Expression === 'string' && q.Expression.includes('ANOMALY_DETECTION_BAND'),
      );
      const stats = queries.filter((q: any) => isObject(q.MetricStat));
      metrics = anomaly ? 3 : Math.max(1, stats.length);
      if (anomaly) {
        notes.push('an anomaly detection alarm is billed as 3 alarm metrics');
      } else if (metrics > 1) {
        notes.push(`a metric math alarm is billed per metric it reads (${metrics})`);
      }
      const periods = stats
        .map((q: any) => num(q.MetricStat.Period))
        .filter((p: number | undefined) => p !== undefined);
      period = periods.length > 0 ? Math.min(...(periods as number[])) : undefined;
    }
    const highResolution = period !== undefined && period < 60;
    this.add(
      id,
      type,
      highResolution ? 'CloudWatch alarm (high resolution)' : 'CloudWatch alarm',
      metrics,
      'alarm metric',
      highResolution ? PRICES.alarmHighResMetricMonth : PRICES.alarmMetricMonth,
      notes,
    );
  }

  private scalingPolicy(id: string, type: string, props: Record<string, any>): void {
    if (props.PolicyType !== 'TargetTrackingScaling') {
      return; // step scaling policies use alarms of the template, priced as such
    }
    this.add(
      id,
      type,
      'CloudWatch alarms of a target-tracking policy',
      TARGET_TRACKING_ALARMS,
      'alarm metric',
      PRICES.alarmMetricMonth,
      ['Application Auto Scaling creates a scale-out and a scale-in alarm for each target-tracking policy'],
    );
  }

  /** Adds a line item priced per hour (the monthly unit price is `hourly` × 730). */
  private hourly(
    id: string,
    type: string,
    kind: string,
    quantity: number,
    unit: string,
    hourly: number,
    notes: string[] = [],
  ): void {
    this.add(id, type, kind, quantity, unit, hourly * HOURS_PER_MONTH, notes);
  }

  private add(
    id: string,
    type: string,
    kind: string,
    quantity: number,
    unit: string,
    unitMonthlyUsd: number,
    notes: string[] = [],
  ): void {
    this.items.push({
      logicalId: id,
      constructPath: this.paths.get(id),
      resourceType: type,
      kind,
      quantity: round(quantity),
      unit,
      unitMonthlyUsd: round(unitMonthlyUsd),
      monthlyUsd: round(quantity * unitMonthlyUsd),
      assumption: notes.length > 0 ? notes.join('; ') : undefined,
    });
  }
}

/** One entry of an ECS service's capacity provider strategy. */
interface CapacityProvider {
  readonly name: unknown;
  readonly base: number;
  readonly weight: number;
}

/**
 * Tasks on FARGATE_SPOT out of `tasks`: each provider's `base` first, the rest split by `weight`, as ECS places them.
 */
function spotTasks(providers: CapacityProvider[], tasks: number, notes: string[]): number {
  let remaining = tasks;
  let spot = 0;
  for (const p of providers) {
    const base = Math.min(p.base, remaining);
    remaining -= base;
    if (p.name === 'FARGATE_SPOT') {
      spot += base;
    }
  }
  const totalWeight = providers.reduce((sum, p) => sum + p.weight, 0);
  if (remaining > 0 && totalWeight > 0) {
    const spotWeight = providers.filter((p) => p.name === 'FARGATE_SPOT').reduce((sum, p) => sum + p.weight, 0);
    spot += (remaining * spotWeight) / totalWeight;
    if (spotWeight > 0 && spotWeight < totalWeight) {
      notes.push('tasks split between FARGATE and FARGATE_SPOT by the strategy weights');
    }
  }
  return spot;
}

/** Task CPU as CloudFormation takes it ("512" CPU units or "0.5 vCPU") in vCPU. */
function parseCpu(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value / 1024;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const units = /^\s*(\d+)\s*$/.exec(value);
  if (units) {
    return Number(units[1]) / 1024;
  }
  const vcpu = /^\s*(\d+(?:\.\d+)?)\s*vcpu\s*$/i.exec(value);
  return vcpu ? Number(vcpu[1]) : undefined;
}

/** Task memory as CloudFormation takes it ("1024" MiB or "1 GB") in GB. */
function parseMemory(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value / 1024;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const mib = /^\s*(\d+)\s*$/.exec(value);
  if (mib) {
    return Number(mib[1]) / 1024;
  }
  const gb = /^\s*(\d+(?:\.\d+)?)\s*gb\s*$/i.exec(value);
  return gb ? Number(gb[1]) : undefined;
}

/** A number, or a string holding one (CloudFormation often takes numbers as strings); else undefined. */
function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) {
    return Number(value);
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at. */
function refTarget(value: unknown): string | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  if (typeof value.Ref === 'string') {
    return value.Ref;
  }
  const getAtt = value['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** True when `value` refers (`Ref` / `Fn::GetAtt`, at any depth) to the resource `logicalId`. */
function references(value: unknown, logicalId: string): boolean {
  if (Array.isArray(value)) {
    return value.some((v) => references(v, logicalId));
  }
  if (!isObject(value)) {
    return false;
  }
  if (refTarget(value) === logicalId) {
    return true;
  }
  return Object.values(value).some((v) => references(v, logicalId));
}

/** Drops floating-point noise: 0.045 × 730 is 32.85, not 32.849999999999994. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}
