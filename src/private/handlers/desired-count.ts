/**
 * The desired count of a PizzaService that runs the construct's own ECR repository (see service-desired-count.ts).
 *
 * CloudFormation events:
 * - Create and Update answer `DesiredCount`:
 *   - tasks are running: the live desired count, clamped to [MIN, MAX] (autoscaling's choice survives a deploy, and
 *     a deploy never stops running tasks, even one that names a tag not pushed yet);
 *   - no task is running: MIN (at least the live desired count) once the image tag is in the repository, else 0 (no
 *     task could start: a deployment at a higher count would only trip the circuit breaker).
 *   The count is also kept in the physical id (`pizza-desired-count:N`), the last good value.
 * - When AWS cannot be read (throttling past the SDK's retries, AccessDenied, a call that never returns), Update
 *   answers the last good count and Delete succeeds: neither ever fails on what a retry would fix, so a rollback
 *   cannot wedge. Create fails, with a reason that says what to check.
 * - Delete does nothing.
 *
 * ECR push events for the tag: if no task runs or the service wants fewer than MIN (its first deployment ran before
 * any image existed), start a new deployment at MIN or more. An error is thrown, so Lambda retries the event and
 * then hands it to the dead-letter queue.
 */
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ECSClient, Service, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  Answer,
  CloudFormationEvent,
  describeError,
  LambdaContext,
  raceDeadline,
  respond,
  SDK_CLIENT_CONFIG,
  TIMED_OUT,
  workDeadline,
} from './cfn-response';

/** The physical id carries the last good count: `pizza-desired-count:3`. */
export const PHYSICAL_ID_PREFIX = 'pizza-desired-count:';

/** The ECR event the push rule delivers. */
export interface EcrPushEvent {
  readonly source: 'aws.ecr';
  readonly 'detail-type'?: string;
}

interface Settings {
  readonly cluster: string;
  readonly service: string;
  readonly repository: string;
  readonly imageTag: string;
  readonly min: number;
  readonly max: number;
}

function settings(): Settings {
  const env = process.env;
  return {
    cluster: env.CLUSTER ?? '',
    service: env.SERVICE ?? '',
    repository: env.REPOSITORY ?? '',
    imageTag: env.IMAGE_TAG ?? '',
    min: Number(env.MIN_CAPACITY),
    max: Number(env.MAX_CAPACITY),
  };
}

export async function handler(event: CloudFormationEvent | EcrPushEvent, context: LambdaContext): Promise<void> {
  if ('source' in event && event.source === 'aws.ecr') {
    await onPush(settings());
    return;
  }
  const request = event as CloudFormationEvent;
  await respond(request, context, await decide(request, context));
}

/** The answer to a CloudFormation request: always one, before the work deadline. */
export async function decide(event: CloudFormationEvent, context: LambdaContext): Promise<Answer> {
  if (event.RequestType === 'Delete') {
    return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId ?? event.LogicalResourceId };
  }
  const s = settings();
  let problem: string;
  try {
    const count = await raceDeadline(desiredCount(s), workDeadline(context));
    if (count !== TIMED_OUT) {
      console.log(`${event.RequestType}: desired count ${count}`);
      return counted(count);
    }
    problem = 'ECS or ECR did not answer in time';
  } catch (err) {
    problem = describeError(err);
  }
  console.error(`${event.RequestType}: could not read the service or the repository: ${problem}`);
  const lastGood = lastGoodCount(event.PhysicalResourceId);
  if (event.RequestType === 'Update') {
    // never fail an update (or its rollback) on what a retry would fix; never answer 0 while tasks may run
    const count = lastGood ?? s.min;
    console.log(`Update: answering the last good desired count ${count}`);
    return counted(count, `${problem}; kept the last good desired count ${count}`);
  }
  return {
    status: 'FAILED',
    physicalResourceId: event.PhysicalResourceId ?? event.LogicalResourceId,
    reason:
      `Could not read ECS service ${s.service} or ECR repository ${s.repository} (${problem}). ` +
      'Check that the account can use ECS and ECR in this region, then deploy again.',
  };
}

function counted(count: number, reason?: string): Answer {
  return {
    status: 'SUCCESS',
    physicalResourceId: `${PHYSICAL_ID_PREFIX}${count}`,
    data: { DesiredCount: count },
    reason,
  };
}

/** The count kept in a physical id written by this handler, if it is one. */
export function lastGoodCount(physicalId: string | undefined): number | undefined {
  if (!physicalId?.startsWith(PHYSICAL_ID_PREFIX)) {
    return undefined;
  }
  const count = Number(physicalId.slice(PHYSICAL_ID_PREFIX.length));
  return Number.isInteger(count) && count >= 0 ? count : undefined;
}

async function desiredCount(s: Settings): Promise<number> {
  const service = await findService(s);
  if (service && (service.runningCount ?? 0) > 0) {
    return clamp(service.desiredCount ?? s.min, s);
  }
  if (!(await imageExists(s))) {
    return 0;
  }
  return clamp(Math.max(service?.desiredCount ?? 0, s.min), s);
}

function clamp(count: number, s: Settings): number {
  return Math.min(Math.max(count, s.min), s.max);
}

async function findService(s: Settings): Promise<Service | undefined> {
  const ecs = new ECSClient(SDK_CLIENT_CONFIG);
  const out = await ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: [s.service] }));
  return (out.services ?? []).find((service) => service.status === 'ACTIVE');
}

async function imageExists(s: Settings): Promise<boolean> {
  const ecr = new ECRClient(SDK_CLIENT_CONFIG);
  try {
    await ecr.send(new DescribeImagesCommand({ repositoryName: s.repository, imageIds: [{ imageTag: s.imageTag }] }));
    return true;
  } catch (err) {
    if ((err as Error)?.name === 'ImageNotFoundException') {
      return false;
    }
    throw err;
  }
}

async function onPush(s: Settings): Promise<void> {
  const service = await findService(s);
  // below its minimum (a deploy before the first push), or no task running (autoscaling raised the count before any
  // image existed and the circuit breaker stopped that deployment): start anew
  if (service && ((service.desiredCount ?? 0) < s.min || (service.runningCount ?? 0) === 0)) {
    const count = Math.max(service.desiredCount ?? 0, s.min);
    const ecs = new ECSClient(SDK_CLIENT_CONFIG);
    await ecs.send(
      new UpdateServiceCommand({
        cluster: s.cluster,
        service: s.service,
        desiredCount: count,
        forceNewDeployment: true,
      }),
    );
    console.log(`started ${s.service} with ${count} task(s) on the push`);
  }
}
