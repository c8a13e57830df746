import { CustomResource, Duration, IResolveContext, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { handlerCode } from '../shared/handler-code';

/** CloudFormation type of the desired-count resource. */
export const DESIRED_COUNT_RESOURCE_TYPE = 'Custom::PizzaServiceDesiredCount';

/** How long the handler may run; CloudFormation waits `SERVICE_TIMEOUT` at most for its answer. */
const HANDLER_TIMEOUT = Duration.minutes(1);
const SERVICE_TIMEOUT = Duration.minutes(5);

/**
 * How the push rule retries starting the service: EventBridge retries delivery for up to `PUSH_EVENT_MAX_AGE`, Lambda
 * retries a failed start twice, and an event that still fails lands in the dead-letter queue (kept two weeks).
 */
const PUSH_EVENT_MAX_AGE = Duration.hours(2);
const PUSH_EVENT_RETRIES = 8;
const DEAD_LETTER_RETENTION = Duration.days(14);

export interface ServiceDesiredCountProps {
  /** The cluster the service runs in. */
  readonly cluster: ecs.ICluster;
  /** The service's name (fixed before it exists, so this resource can read it without depending on it). */
  readonly serviceName: string;
  /** The repository the service's image comes from. */
  readonly repository: ecr.IRepository;
  /** The tag the task definition runs. */
  readonly imageTag: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

/**
 * The desired count a service built on an empty repository can be created and updated with.
 *
 * A literal `DesiredCount` cannot work: 1 on the first deploy blocks the stack until the circuit breaker fails it
 * (no image to pull), and 0 is re-applied by CloudFormation on every later update of the service, stopping every
 * task. Omitting it means 1 on create. So the count comes from this custom resource (handler:
 * `handlers/desired-count.ts`), which reads the live value again on every deploy that updates the service: its
 * `Service` property holds the service's own properties (all but `DesiredCount`, with their references, which
 * CloudFormation resolves), so whatever changes the service, changes this resource first. Call `watch(service)`.
 */
export class ServiceDesiredCount extends Construct {
  /** The desired count to give `AWS::ECS::Service` (a token). */
  public readonly value: number;

  /** The handler, also subscribed to ECR pushes of the tag. */
  public readonly handler: lambda.Function;

  /** The ECR push rule that starts the service after the first push. */
  public readonly pushRule: events.Rule;

  /**
   * Push events that could not start the service after every retry, and CloudFormation requests whose answer could
   * not be delivered after every retry (see the README: "If the first push does not start the service").
   */
  public readonly deadLetterQueue: sqs.Queue;

  private watched?: ecs.CfnService;

  constructor(scope: Construct, id: string, props: ServiceDesiredCountProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reads and raises the desired count of one JWT Pizza service',
    });
    logGroup.grantWrite(role);
    const serviceArn = stack.formatArn({
      service: 'ecs',
      resource: 'service',
      resourceName: `${props.cluster.clusterName}/${props.serviceName}`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: [serviceArn] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ecr:DescribeImages'], resources: [props.repository.repositoryArn] }),
    );

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: DEAD_LETTER_RETENTION,
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });

    this.handler = new lambda.Function(this, 'Handler', {
      description: 'JWT Pizza service desired count (first deploy with an empty repository, first push)',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: handlerCode('desired-count'),
      timeout: HANDLER_TIMEOUT,
      memorySize: 256,
      role,
      logGroup,
      // a push event whose start failed twice (Lambda's own retries) goes here, not into the void
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        CLUSTER: props.cluster.clusterName,
        SERVICE: props.serviceName,
        REPOSITORY: props.repository.repositoryName,
        IMAGE_TAG: props.imageTag,
        MIN_CAPACITY: String(props.minCapacity),
        MAX_CAPACITY: String(props.maxCapacity),
      },
    });

    const resource = new CustomResource(this, 'Resource', {
      serviceToken: this.handler.functionArn,
      resourceType: DESIRED_COUNT_RESOURCE_TYPE,
      serviceTimeout: SERVICE_TIMEOUT,
      properties: {
        Service: Lazy.uncachedAny({ produce: (context) => this.watchedProperties(context) }),
        // stack tags set in the app (StackProps.tags, Tags.of(app)) reach the service through CloudFormation as well;
        // tags given only on the command line (cdk deploy --tags) are outside the app (see the README)
        StackTags: Lazy.any({ produce: () => stack.tags.renderTags() }, { omitEmptyArray: true }),
      },
    });
    this.value = Token.asNumber(resource.getAtt('DesiredCount'));

    this.pushRule = new events.Rule(this, 'OnPush', {
      description: 'Start the JWT Pizza service when its image tag is first pushed',
      eventPattern: {
        source: ['aws.ecr'],
        detailType: ['ECR Image Action'],
        detail: {
          'action-type': ['PUSH'],
          result: ['SUCCESS'],
          'repository-name': [props.repository.repositoryName],
          'image-tag': [props.imageTag],
        },
      },
      targets: [
        new targets.LambdaFunction(this.handler, {
          retryAttempts: PUSH_EVENT_RETRIES,
          maxEventAge: PUSH_EVENT_MAX_AGE,
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }

  /** Read the desired count again whenever `service`'s properties change. */
  public watch(service: ecs.FargateService): void {
    this.watched = service.node.defaultChild as ecs.CfnService;
  }

  /**
   * The watched service's properties as CloudFormation gets them, without `DesiredCount` (which comes from here).
   * Resolved in the caller's context, every time (never cached): a reference to another stack's resource (the
   * database's VPC) becomes an import in this stack, exactly as it does on the service itself.
   */
  private watchedProperties(context: IResolveContext): Record<string, unknown> {
    if (!this.watched) {
      throw new Error(`${this.node.path}: ServiceDesiredCount.watch(service) was never called`);
    }
    const service = this.watched as unknown as {
      readonly cfnProperties: Record<string, unknown>;
      readonly rawOverrides?: { Properties?: Record<string, unknown> };
      renderProperties(properties: Record<string, unknown>): Record<string, unknown>;
    };
    const rendered = service.renderProperties(context.resolve(service.cfnProperties));
    // escape-hatch overrides (`addPropertyOverride`) change the service too
    const properties = mergeOverrides(rendered, context.resolve(service.rawOverrides?.Properties ?? {}));
    delete properties.DesiredCount;
    return properties;
  }
}

/**
 * `target` with `overrides` merged in as CloudFormation property overrides are: objects merge key by key, anything
 * else replaces, and `undefined` deletes.
 */
function mergeOverrides(target: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    if (value === undefined) {
      delete merged[key];
    } else if (isPlainObject(value) && isPlainObject(current)) {
      merged[key] = mergeOverrides(current, value);
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
