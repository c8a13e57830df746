/**
 * The desired count of a PizzaService that runs the construct's own ECR repository (see
 * src/service/desired-count.ts).
 *
 * CloudFormation events:
 * - Create and Update answer `DesiredCount`:
 *   - tasks are running: the live desired count, clamped to [MIN, MAX] (autoscaling's choice survives a deploy, and
 *     a deploy never stops running tasks, even one that names a tag not pushed yet);
 *   - no task is running: MIN (at least the live desired count) once the image tag is in the repository, else 0 (no
 *     task could start: a deployment at a higher count would only trip the circuit breaker).
 * - The physical id never changes (`pizza-desired-count` from Create on): a new one would make CloudFormation treat the update as a
 *   replacement, and a rollback would then restore the old resource's stored count without asking again. With one
 *   id, a rollback is an update like any other, and the live count is read again.
 * - When AWS cannot be read (throttling past the SDK's retries, AccessDenied, a call that never returns), Update
 *   answers MIN, and at least 1: never 0, which would stop tasks that may be running. Delete succeeds. Neither fails
 *   on what a retry would fix, so a rollback cannot wedge. Create fails, with a reason that says what to check.
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
} from '../../shared/handlers/cfn-response';

/** The physical id of every desired-count resource: it never changes (see above). */
export const PHYSICAL_ID = 'pizza-desired-count';

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
    return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId ?? PHYSICAL_ID };
  }
  const s = settings();
  let problem: string;
  try {
    const count = await raceDeadline(desiredCount(s), workDeadline(context));
    if (count !== TIMED_OUT) {
      console.log(`${event.RequestType}: desired count ${count}`);
      return counted(event, count);
    }
    problem = 'ECS or ECR did not answer in time';
  } catch (err) {
    problem = describeError(err);
  }
  console.error(`${event.RequestType}: could not read the service or the repository: ${problem}`);
  if (event.RequestType === 'Update') {
    // never fail an update (or its rollback) on what a retry would fix; never answer 0 while tasks may run
    const count = clamp(Math.max(s.min, 1), s);
    console.log(`Update: answering ${count} without the live count`);
    return counted(event, count, `${problem}; answered ${count} (at least one task) without the live count`);
  }
  return {
    status: 'FAILED',
    physicalResourceId: PHYSICAL_ID,
    reason:
      `Could not read ECS service ${s.service} or ECR repository ${s.repository} (${problem}). ` +
      'Check that the account can use ECS and ECR in this region, then deploy again.',
  };
}

/** SUCCESS with `count`, under the physical id the resource already has (an update never replaces it). */
function counted(event: CloudFormationEvent, count: number, reason?: string): Answer {
  return {
    status: 'SUCCESS',
    physicalResourceId: event.PhysicalResourceId ?? PHYSICAL_ID,
    data: { DesiredCount: count },
    reason,
  };
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
