import { createHash } from 'crypto';
import { CfnResource, CustomResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';

/** CloudFormation type of the desired-count resource; the fingerprint skips every resource of this type. */
export const DESIRED_COUNT_RESOURCE_TYPE = 'Custom::PizzaServiceDesiredCount';

/**
 * The handler, inline (no asset, no bundling). Node.js runtimes ship the AWS SDK v3 clients it requires.
 *
 * - CloudFormation events (Create/Update): answer `DesiredCount` = 0 while the image tag is not in the repository
 *   (no task could start: a deployment at a higher count would only trip the circuit breaker), otherwise the
 *   service's live desired count clamped to [MIN, MAX] (MIN when the service does not exist yet). Delete: nothing.
 * - ECR push events for the tag: if the service wants fewer than MIN tasks or runs none (its first deployment,
 *   started by autoscaling before any image existed, was stopped by the circuit breaker), start a new deployment at
 *   MIN or more, so the first push starts the service with no other step.
 */
export const DESIRED_COUNT_HANDLER = `'use strict';
const https = require('https');
const { ECSClient, DescribeServicesCommand, UpdateServiceCommand } = require('@aws-sdk/client-ecs');
const { ECRClient, DescribeImagesCommand } = require('@aws-sdk/client-ecr');
const ecs = new ECSClient({});
const ecr = new ECRClient({});
const env = process.env;
const min = () => Number(env.MIN_CAPACITY);
const max = () => Number(env.MAX_CAPACITY);

async function findService() {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: env.CLUSTER, services: [env.SERVICE] }));
  return (out.services || []).find((s) => s.status === 'ACTIVE');
}

async function imageExists() {
  try {
    await ecr.send(new DescribeImagesCommand({ repositoryName: env.REPOSITORY, imageIds: [{ imageTag: env.IMAGE_TAG }] }));
    return true;
  } catch (err) {
    if (err && err.name === 'ImageNotFoundException') return false;
    throw err;
  }
}

async function desiredCount() {
  if (!(await imageExists())) return 0;
  const service = await findService();
  if (!service) return min();
  return Math.min(Math.max(service.desiredCount, min()), max());
}

async function onPush() {
  const service = await findService();
  // Below its minimum (a deploy before the first push), or no task running: registering the scalable target raised
  // the count before any image existed, and the circuit breaker stopped that deployment. Either way, start anew.
  if (service && (service.desiredCount < min() || service.runningCount === 0)) {
    const desiredCount = Math.max(service.desiredCount, min());
    await ecs.send(new UpdateServiceCommand({
      cluster: env.CLUSTER, service: env.SERVICE, desiredCount, forceNewDeployment: true,
    }));
    console.log('started ' + env.SERVICE + ' with ' + desiredCount + ' task(s) on the push');
  }
}

function respond(event, context, status, data, reason) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason || 'see CloudWatch log stream ' + context.logStreamName,
    PhysicalResourceId: event.PhysicalResourceId || event.LogicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  return new Promise((resolve, reject) => {
    const req = https.request(event.ResponseURL, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(body);
  });
}

exports.handler = async (event, context) => {
  if (event.source === 'aws.ecr') {
    await onPush();
    return;
  }
  let status = 'SUCCESS';
  let reason;
  let data = {};
  try {
    if (event.RequestType !== 'Delete') {
      data = { DesiredCount: await desiredCount() };
      console.log(event.RequestType + ': desired count ' + data.DesiredCount);
    }
  } catch (err) {
    status = 'FAILED';
    reason = String((err && err.message) || err);
    console.error(err);
  }
  await respond(event, context, status, data, reason);
};
`;

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
  /**
   * The constructs whose resources can change the ECS service's properties (the service construct itself, with its
   * task definition, target group and security groups, and the VPC with its subnets). Any change there may update
   * the service, so the desired count is read again whenever their resources change.
   */
  readonly fingerprintScopes: IConstruct[];
}

/**
 * The desired count a service built on an empty repository can be created and updated with.
 *
 * A literal `DesiredCount` cannot work: 1 on the first deploy blocks the stack until the circuit breaker fails it
 * (no image to pull), and 0 is re-applied by CloudFormation on every later update of the service, stopping every
 * task. Omitting it means 1 on create. So the count comes from this custom resource, which re-reads the live value
 * whenever anything in the stack changes (its `Fingerprint` property hashes every other resource's properties).
 */
export class ServiceDesiredCount extends Construct {
  /** The desired count to give `AWS::ECS::Service` (a token). */
  public readonly value: number;

  /** The handler, also subscribed to ECR pushes of the tag. */
  public readonly handler: lambda.Function;

  /** The ECR push rule that starts the service after the first push. */
  public readonly pushRule: events.Rule;

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

    this.handler = new lambda.Function(this, 'Handler', {
      description: 'JWT Pizza service desired count (first deploy with an empty repository, first push)',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(DESIRED_COUNT_HANDLER),
      timeout: Duration.minutes(1),
      memorySize: 128,
      role,
      logGroup,
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
      serviceTimeout: Duration.minutes(5),
      properties: { Fingerprint: Lazy.string({ produce: () => fingerprint(stack, props.fingerprintScopes) }) },
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
      targets: [new targets.LambdaFunction(this.handler, { retryAttempts: 2 })],
    });
  }
}

/**
 * A hash of the properties of every resource under `scopes` (in `stack`), except the desired-count resources
 * themselves: it changes whenever a deploy could update the service, so the desired count is read again exactly then.
 * Only the service's own subtree and its VPC are hashed, not the whole stack: resolving the whole stack a second time
 * doubled synth time, and nothing else can change the service's properties.
 */
function fingerprint(stack: Stack, scopes: IConstruct[]): string {
  const hash = createHash('sha256');
  const seen = new Set<IConstruct>();
  const children = scopes
    .flatMap((scope) => scope.node.findAll())
    .filter((c) => Stack.of(c) === stack && !seen.has(c) && seen.add(c));
  for (const child of children) {
    if (!CfnResource.isCfnResource(child) || child.cfnResourceType === DESIRED_COUNT_RESOURCE_TYPE) {
      continue;
    }
    const rendered = (
      child as unknown as { _toCloudFormation(): { Resources: Record<string, object> } }
    )._toCloudFormation();
    for (const [logicalId, resource] of Object.entries(stack.resolve(rendered.Resources) as Record<string, any>)) {
      // type and properties only: metadata (paths, nag acknowledgments) never changes what a deploy does
      hash.update(JSON.stringify([logicalId, resource.Type, resource.Properties]));
    }
  }
  return hash.digest('hex').slice(0, 32);
}
