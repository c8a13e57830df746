import { Estimator, isObject, num, refTarget, references, ResourceFamily, TemplateResource } from './estimator';
import { PRICES } from './price-list';
import { show } from '../shared/validation';

/** The Fargate minimum task size, used when a service's task definition cannot be read. */
const FARGATE_MIN_VCPU = 0.25;
const FARGATE_MIN_GB = 0.5;

/** Ephemeral storage every Fargate task gets at no charge. */
const FARGATE_FREE_EPHEMERAL_GB = 20;

/**
 * Compute: ECS services on Fargate (task size, architecture, count, Spot, public IPs), read from the service, its
 * task definition and the scalable targets that keep a minimum of tasks.
 */
export const COMPUTE_FAMILY: ResourceFamily = {
  prices: { 'AWS::ECS::Service': ecsService },
  reads: ['AWS::ECS::TaskDefinition', 'AWS::ApplicationAutoScaling::ScalableTarget'],
};

/** One entry of an ECS service's capacity provider strategy. */
interface CapacityProvider {
  readonly name: unknown;
  readonly base: number;
  readonly weight: number;
}

/** The size of one Fargate task. */
interface TaskSize {
  readonly vcpu: number;
  readonly gb: number;
  readonly ephemeralGb: number;
  readonly arm: boolean;
}

/** Prices the Fargate tasks an ECS service runs when idle, and their public IPv4 addresses. */
function ecsService(estimator: Estimator, id: string, type: string, props: Record<string, any>): void {
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
      estimator.add(id, type, 'ECS service on EC2 capacity', 0, 'task', 0, [
        `capacity provider ${show(other.name)} runs on EC2 instances, which this report does not price`,
      ]);
      return;
    }
  } else if (props.LaunchType === undefined) {
    notes.push("no launch type or capacity provider: priced as Fargate (the cluster's default strategy decides)");
  } else if (props.LaunchType !== 'FARGATE') {
    estimator.add(id, type, `ECS service (${String(props.LaunchType)} launch type)`, 0, 'task', 0, [
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
  const minCapacity = autoScalingMinimum(estimator.resources, id, notes);
  if (minCapacity !== undefined && minCapacity > tasks) {
    notes.push(`auto scaling keeps at least ${minCapacity} task(s) (DesiredCount ${show(desired)})`);
    tasks = minCapacity;
  }
  const spotShare = providers && tasks > 0 ? spotTasks(providers, tasks, notes) / tasks : 0;

  // the size of one task
  const size = taskSize(estimator.resources, props.TaskDefinition, notes);
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
    estimator.hourly(id, type, `Fargate task (${label})`, onDemandTasks, 'task', taskHour, notes);
  }
  if (spot > 0) {
    estimator.hourly(
      id,
      type,
      `Fargate Spot task (${label})`,
      spot,
      'task',
      taskHour * (1 - PRICES.fargateSpotDiscount),
      [...notes, `Spot priced at ${PRICES.fargateSpotDiscount * 100} % off on-demand (Spot prices float)`],
    );
  }

  const network = props.NetworkConfiguration?.AwsvpcConfiguration;
  if (isObject(network) && network.AssignPublicIp === 'ENABLED' && tasks > 0) {
    estimator.hourly(id, type, 'Public IPv4 addresses of the tasks', tasks, 'address', PRICES.publicIpv4Hour);
  }
}

/** The largest MinCapacity of the scalable targets that scale this service's desired count. */
function autoScalingMinimum(
  resources: Record<string, TemplateResource>,
  serviceId: string,
  notes: string[],
): number | undefined {
  let minimum: number | undefined;
  for (const resource of Object.values(resources)) {
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
function taskSize(resources: Record<string, TemplateResource>, taskDefinition: unknown, notes: string[]): TaskSize {
  const ref = refTarget(taskDefinition);
  const resource = ref === undefined ? undefined : resources[ref];
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
