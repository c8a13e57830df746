/**
 * What every custom resource handler of the library shares: the CloudFormation event, answering it (always, in
 * time, retried until the response URL takes it), deadlines and the AWS SDK client settings.
 *
 * Bundled into each handler (assets/handlers/<name>/index.js) and inlined into the template; runs on Node.js 24.
 */

/** The CloudFormation custom resource request, as far as the handlers read it. */
export interface CloudFormationEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceType?: string;
  readonly ResourceProperties: Record<string, any>;
  readonly OldResourceProperties?: Record<string, any>;
}

/** The parts of the Lambda context the handlers use. */
export interface LambdaContext {
  readonly logStreamName?: string;
  getRemainingTimeInMillis(): number;
}

/** The answer to one request. */
export interface Answer {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly data?: Record<string, unknown>;
  readonly reason?: string;
}

/**
 * AWS SDK client settings: no call may hang (the SDK's default is no timeout at all), and retries are bounded.
 * Throttling is retried by the SDK within `maxAttempts`.
 */
export const SDK_CLIENT_CONFIG = {
  maxAttempts: 3,
  // without throwOnRequestTimeout, @smithy/node-http-handler only logs a warning when requestTimeout passes and the
  // call goes on waiting (the deadline race still answers CloudFormation, but the hung call is never abandoned)
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 8_000, throwOnRequestTimeout: true },
};

/** Time kept for answering CloudFormation (all response attempts) before the Lambda function times out. */
export const RESPONSE_RESERVE_MS = 20_000;

/** Response attempts, and each one's time limit; the waits between them double from `RESPONSE_FIRST_WAIT_MS`. */
const RESPONSE_ATTEMPTS = 4;
const RESPONSE_TIMEOUT_MS = 3_000;
const RESPONSE_FIRST_WAIT_MS = 500;

/** The outcome of `raceDeadline` when the work did not finish in time. */
export const TIMED_OUT = Symbol('timed out');

/** `work`, or `TIMED_OUT` once `deadline` (epoch milliseconds) has passed, whichever comes first. */
export async function raceDeadline<T>(work: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The time (epoch milliseconds) by which the work must be done, leaving `RESPONSE_RESERVE_MS` to answer. */
export function workDeadline(context: LambdaContext): number {
  return Date.now() + Math.max(1_000, context.getRemainingTimeInMillis() - RESPONSE_RESERVE_MS);
}

/** A short description of an error, for logs and CloudFormation's status reason. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    return `${err.name}: ${err.message}`;
  }
  return String(err);
}

/**
 * Send `answer` to CloudFormation's pre-signed response URL. A status other than 2xx, a network error or a time-out
 * is retried; when every attempt fails the error is thrown (and logged by Lambda), as nothing else can be done.
 */
export async function respond(event: CloudFormationEvent, context: LambdaContext, answer: Answer): Promise<void> {
  const body = JSON.stringify({
    Status: answer.status,
    Reason: (answer.reason ?? `See CloudWatch Logs: ${context.logStreamName ?? ''}`).slice(0, 1000),
    PhysicalResourceId: answer.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: answer.data ?? {},
  });
  let wait = RESPONSE_FIRST_WAIT_MS;
  const problems: string[] = [];
  for (let attempt = 1; attempt <= RESPONSE_ATTEMPTS; attempt++) {
    try {
      const response = await fetch(event.ResponseURL, {
        method: 'PUT',
        headers: { 'content-type': '' },
        body,
        signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS),
      });
      if (response.ok) {
        console.log(`answered ${answer.status} (attempt ${attempt})`);
        return;
      }
      problems.push(`HTTP ${response.status}`);
    } catch (err) {
      problems.push(describeError(err));
    }
    console.error(`answering CloudFormation failed (attempt ${attempt}): ${problems[problems.length - 1]}`);
    if (attempt < RESPONSE_ATTEMPTS) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait *= 2;
    }
  }
  throw new Error(`could not answer CloudFormation after ${RESPONSE_ATTEMPTS} attempts: ${problems.join(', ')}`);
}
