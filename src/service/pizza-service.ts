import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEFAULT_CONTAINER_PORT,
  DEFAULT_IMAGE_TAG,
  DEFAULT_MAX_CAPACITY,
  DEFAULT_MAX_IMAGE_COUNT,
  DEFAULT_MIN_CAPACITY,
  DEFAULT_SUBDOMAIN,
  SERVICE_NAME,
} from './constants';
import { ServiceDesiredCount } from './desired-count';
import { createServiceFront } from './front';
import { HostRecordForm } from './host-record';
import { ServiceLoadBalancer } from './load-balancer';
import { acknowledgeServiceNagFindings } from './nag';
import { connectDatabase, serviceVpc } from './network';
import { PizzaHostRecordType, PizzaServiceProps } from './props';
import { createServiceRepository, grantServiceDeploy } from './repository';
import { createServiceCluster, createServiceScaling, createServiceTask } from './task';
import { validateServiceProps, warnAboutIgnoredServiceProps } from './validation';
import { isLeanVpc } from '../shared/lean-vpc';
import { createLoadBalancerSecurityGroup } from '../shared/load-balancer';

/**
 * The JWT Pizza service (the course's Node/Express API) on ECS Fargate behind an Application Load Balancer.
 *
 * - image: the construct's own ECR repository (CI pushes `latest`; the stack deploys before any push) or any image;
 * - network: a lean VPC (or yours, or the database's) with no NAT gateway; load balancer → tasks → database, each
 *   security group open only to the one before it;
 * - HTTPS on `pizza-service.DOMAIN` with HTTP redirecting to it (or HTTP on the load balancer's name without `dns`);
 * - rolling deploys with circuit-breaker rollback and about 20 s of health-check and draining overhead; CPU (and
 *   optionally request) autoscaling between `minCapacity` and `maxCapacity`;
 * - configuration through environment and Secrets Manager secrets, never baked into the image.
 *
 * @example
 * const dns = new PizzaDns(this, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
 * const service = new PizzaService(this, 'Service', {
 *   dns, // https://pizza-service.example.com
 *   database: new PizzaDatabase(this, 'Database'),
 *   // an existing Secrets Manager secret holding the course's pizza factory API key
 *   factoryApiKeySecretName: 'pizza/factory-api-key',
 * });
 */
export class PizzaService extends Construct implements ec2.IConnectable {
  /** The VPC the service runs in. */
  public readonly vpc: ec2.IVpc;

  /** The service's own cluster. */
  public readonly cluster: ecs.Cluster;

  /** The task definition (Fargate, awsvpc). */
  public readonly taskDefinition: ecs.FargateTaskDefinition;

  /** The service's container. */
  public readonly container: ecs.ContainerDefinition;

  /** The Fargate service. */
  public readonly service: ecs.FargateService;

  /** The service's task count autoscaling (add your own policies here). */
  public readonly scaling: ecs.ScalableTaskCount;

  /** With `dns`, the HTTP listener on 80 that redirects to HTTPS (none while paused). */
  public readonly redirectListener?: elbv2.ApplicationListener;

  /** True while the service is paused (`paused`). */
  public readonly paused: boolean;

  /** The fewest tasks the service runs while not paused (`minCapacity`). */
  public readonly minCapacity: number;

  /** While paused, the CloudFront distribution that answers 503 on the service's host name. */
  public readonly pausedDistribution?: cloudfront.Distribution;

  /** The container log group. */
  public readonly logGroup: logs.LogGroup;

  /** The secret that signs JWTs (`JWT_SECRET`): generated unless `jwtSecret` was given. */
  public readonly jwtSecret: secretsmanager.ISecret;

  /** The hostname clients use: `subdomain`.DOMAIN with `dns`, else the load balancer's DNS name. */
  public readonly domainName: string;

  /** The service's base URL, e.g. `https://pizza-service.example.com` (no trailing slash). */
  public readonly url: string;

  /** Network access to the service's tasks. */
  public readonly connections: ec2.Connections;

  /**
   * With the construct's own repository: the queue that keeps the image push events that could not start the service
   * after every retry (a push message there means the first push did not start it: see the README), and the
   * desired-count requests whose answer could not reach CloudFormation.
   */
  public readonly pushDeadLetterQueue?: sqs.IQueue;

  /** True when the service runs its own ECR `repository` (no `image` was given), so CI pushes there. */
  public readonly hasRepository: boolean;

  private readonly ownRepository?: ecr.Repository;
  private readonly front?: ServiceLoadBalancer;

  constructor(scope: Construct, id: string, props: PizzaServiceProps = {}) {
    super(scope, id);
    validateServiceProps(this, props);

    const containerPort = props.containerPort ?? DEFAULT_CONTAINER_PORT;
    const imageTag = props.imageTag ?? DEFAULT_IMAGE_TAG;
    const hostname = props.dns?.claimHostname(props.subdomain ?? DEFAULT_SUBDOMAIN, this.node.path);
    const shared = props.loadBalancer;
    this.paused = props.paused ?? false;
    this.minCapacity = props.minCapacity ?? DEFAULT_MIN_CAPACITY;

    // network
    this.vpc = serviceVpc(this, props.vpc ?? shared?.vpc, props.database);
    const dualStack = shared ? shared.dualStack : isLeanVpc(this.vpc);
    this.hasRepository = props.image === undefined;
    const publicSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PUBLIC };

    // image: the given one, or the construct's own repository at `imageTag`
    this.ownRepository = props.image
      ? undefined
      : createServiceRepository(this, props.maxImageCount ?? DEFAULT_MAX_IMAGE_COUNT);
    const image = props.image ?? ecs.ContainerImage.fromEcrRepository(this.ownRepository!, imageTag);

    const { cluster, capacityProviders } = createServiceCluster(this, this.vpc);
    this.cluster = cluster;

    // task: the log group, the JWT secret, and the container with the environment contract and the user's additions
    const task = createServiceTask(this, props, { image, containerPort });
    this.logGroup = task.logGroup;
    this.jwtSecret = task.jwtSecret;
    this.taskDefinition = task.taskDefinition;
    this.container = task.container;

    // security groups: world → load balancer → tasks (→ database, below)
    const loadBalancerSecurityGroup =
      shared || this.paused
        ? undefined
        : createLoadBalancerSecurityGroup(this, this.vpc, props.dns?.certificate, dualStack);
    const serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: this.vpc,
      description: 'JWT Pizza service tasks: the container port from the load balancer only',
      allowAllOutbound: true,
    });

    // first deploy with an empty repository: the desired count comes from ServiceDesiredCount (see there); paused,
    // its range is 0..0, so a push leaves the service at zero tasks
    const range = {
      minCapacity: this.paused ? 0 : this.minCapacity,
      maxCapacity: this.paused ? 0 : (props.maxCapacity ?? DEFAULT_MAX_CAPACITY),
    };
    const desiredCount = this.ownRepository
      ? new ServiceDesiredCount(this, 'DesiredCount', {
          ...range,
          cluster: this.cluster,
          serviceName: SERVICE_NAME,
          repository: this.ownRepository,
          imageTag,
        })
      : undefined;
    this.pushDeadLetterQueue = desiredCount?.deadLetterQueue;

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      serviceName: SERVICE_NAME,
      taskDefinition: this.taskDefinition,
      // always rendered: without it a resume leaves the service at the paused count until autoscaling raises it,
      // after the deploy returned (with its own repository, the count comes from ServiceDesiredCount)
      desiredCount: this.paused ? 0 : (desiredCount?.value ?? this.minCapacity),
      capacityProviderStrategies: [{ capacityProvider: props.spot ? 'FARGATE_SPOT' : 'FARGATE', weight: 1 }],
      assignPublicIp: true,
      vpcSubnets: publicSubnets,
      securityGroups: [serviceSecurityGroup],
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      enableExecuteCommand: props.enableExecuteCommand ?? false,
    });
    this.service.node.addDependency(capacityProviders);
    desiredCount?.watch(this.service);
    this.connections = this.service.connections;

    // load balancer (own or shared), or the paused answer; the outputs
    const front = createServiceFront(this, {
      paused: this.paused,
      shared,
      dns: props.dns,
      hostname,
      vpc: this.vpc,
      vpcSubnets: publicSubnets,
      securityGroup: loadBalancerSecurityGroup,
      dualStack,
      service: this.service,
      containerPort,
      healthCheckPath: props.healthCheckPath,
      database: props.database,
      hostRecordForm: (props.hostRecordType ?? PizzaHostRecordType.CNAME).name as HostRecordForm,
    });
    this.front = front.loadBalancer;
    this.pausedDistribution = front.pausedDistribution;
    this.redirectListener = this.front?.redirectListener;
    this.domainName = front.domainName;
    this.url = front.url;

    this.scaling = createServiceScaling(this.service, {
      ...range,
      requestsPerTarget: props.requestsPerTarget,
      targetGroup: this.front?.targetGroup,
    });

    if (props.database) {
      connectDatabase(this.service, serviceSecurityGroup, props.database, this.paused);
    }

    warnAboutIgnoredServiceProps(this, props);
    acknowledgeServiceNagFindings({
      loadBalancer: shared ? undefined : this.front?.loadBalancer,
      loadBalancerSecurityGroup,
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      hasOwnRepository: this.ownRepository !== undefined,
      factoryApiKeySecretName: props.factoryApiKeySecretName,
      enableExecuteCommand: props.enableExecuteCommand,
      pushDeadLetterQueue: this.pushDeadLetterQueue,
      ownJwtSecret: task.ownJwtSecret,
    });
  }

  /**
   * The internet-facing Application Load Balancer: the service's own, or the shared `loadBalancer`.
   *
   * @throws while the service is paused (it then has none)
   */
  public get loadBalancer(): elbv2.ApplicationLoadBalancer {
    return this.running('loadBalancer').loadBalancer;
  }

  /**
   * The listener that serves the service: HTTPS on 443 with `dns`, HTTP on 80 without.
   *
   * @throws while the service is paused
   */
  public get listener(): elbv2.ApplicationListener {
    return this.running('listener').listener;
  }

  /**
   * The target group of the service's tasks.
   *
   * @throws while the service is paused
   */
  public get targetGroup(): elbv2.ApplicationTargetGroup {
    return this.running('targetGroup').targetGroup;
  }

  /**
   * The ECR repository CI pushes the image to.
   *
   * @throws if the service was given an `image` (it then has no repository)
   */
  public get repository(): ecr.Repository {
    if (!this.ownRepository) {
      throw new Error(
        `PizzaService ${this.node.path} has no repository: it runs the \`image\` it was given. ` +
          'Leave `image` unset for a repository that CI pushes to.',
      );
    }
    return this.ownRepository;
  }

  /**
   * Let `grantee` (e.g. a GitHub Actions role) deploy a new image: push it to the repository
   * (`ecr:GetAuthorizationToken` on `*`, which AWS offers on nothing narrower, and the push actions on the
   * repository) and roll the service (`ecs:UpdateService`, `ecs:DescribeServices` on the service). Nothing else.
   * With an `image` instead of a repository, only the service roll is granted.
   */
  public grantDeploy(grantee: iam.IGrantable): iam.Grant {
    return grantServiceDeploy(grantee, this.service, this.ownRepository);
  }

  /** The load balancer wiring, or a clear error naming `member` while the service is paused. */
  private running(member: string): ServiceLoadBalancer {
    if (!this.front) {
      throw new Error(
        `PizzaService ${this.node.path} is paused: it has no \`${member}\` until it is resumed (\`paused: false\`).`,
      );
    }
    return this.front;
  }
}
