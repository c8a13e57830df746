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
import { PizzaDatabase } from './pizza-database';
import { PizzaDns } from './pizza-dns';
import { PizzaLoadBalancer } from './pizza-load-balancer';
import {
  DEFAULT_CONTAINER_PORT,
  DEFAULT_IMAGE_TAG,
  DEFAULT_MAX_CAPACITY,
  DEFAULT_MAX_IMAGE_COUNT,
  DEFAULT_MIN_CAPACITY,
  DEFAULT_SUBDOMAIN,
  SERVICE_NAME,
} from './private/service-constants';
import { ServiceDesiredCount } from './private/service-desired-count';
import { createServiceFront } from './private/service-front';
import { createLoadBalancerSecurityGroup, ServiceLoadBalancer } from './private/service-load-balancer';
import { acknowledgeServiceNagFindings } from './private/service-nag';
import { connectDatabase, isLeanVpc, serviceVpc } from './private/service-network';
import { createServiceRepository, grantServiceDeploy } from './private/service-repository';
import { createServiceCluster, createServiceScaling, createServiceTask } from './private/service-task';
import { validateServiceProps, warnAboutIgnoredServiceProps } from './private/service-validation';

/**
 * Properties for `PizzaService`.
 */
export interface PizzaServiceProps {
  /**
   * The domain to serve on: HTTPS with `dns.certificate` at `subdomain`.DOMAIN, A and AAAA alias records, and port
   * 80 redirecting to HTTPS.
   *
   * @default - no domain: plain HTTP on the load balancer's own name (a synth-time warning says so)
   */
  readonly dns?: PizzaDns;

  /**
   * The subdomain of `dns` to serve on. The course's graders expect `pizza-service`.
   *
   * @default 'pizza-service'
   */
  readonly subdomain?: string;

  /**
   * The database to use: its VPC becomes the service's (unless `vpc` is given, which must then be the same), its
   * security group admits the tasks on its port, and the tasks get `DB_HOST`, `DB_PORT`, `DB_NAME` and the
   * `DB_USER`/`DB_PASSWORD` secrets. It may live in another stack.
   *
   * @default - no database: pass `DB_*` through `environment` and `secrets` yourself
   */
  readonly database?: PizzaDatabase;

  /**
   * The VPC to run in. It needs public subnets: the load balancer and the tasks (with public IPs) go there.
   *
   * @default - the database's VPC if `database` is given, else a new VPC with 2 AZs, public and isolated subnets
   * and no NAT gateway
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The image to run, e.g. `ecs.ContainerImage.fromAsset('../jwt-pizza-service/dist')`.
   *
   * @default - the construct's own ECR `repository` at `imageTag`, pushed by CI (the first deploy completes with
   * the repository still empty; the service starts when the first image is pushed)
   */
  readonly image?: ecs.ContainerImage;

  /**
   * The tag of the construct's repository to run. Ignored when `image` is given.
   *
   * @default 'latest'
   */
  readonly imageTag?: string;

  /**
   * How many images the repository keeps; older ones are expired. Ignored when `image` is given.
   *
   * @default 10
   */
  readonly maxImageCount?: number;

  /**
   * Fargate CPU units for a task (256 = 0.25 vCPU).
   *
   * @default 512
   */
  readonly cpu?: number;

  /**
   * Memory for a task in MiB; must be a size Fargate offers for `cpu`.
   *
   * @default 1024
   */
  readonly memoryLimitMiB?: number;

  /**
   * The CPU architecture the image is built for. The course builds `linux/arm64`.
   *
   * @default ecs.CpuArchitecture.ARM64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * The port the container listens on; also passed as `PORT`. The course's Dockerfile starts the service on 80.
   *
   * @default 80
   */
  readonly containerPort?: number;

  /**
   * The path the load balancer health-checks (must answer 200). `/api/order/menu` reads the database: a task whose
   * database initialisation failed (the upstream service does not retry it) answers 500 there, is marked unhealthy
   * and replaced, and a release that cannot reach its database is rolled back. The price: while the database is
   * down, every task is unhealthy and replaced in turn. `/` answers 200 whatever the database does.
   *
   * @default - '/api/order/menu' with a `database`; '/' without one
   */
  readonly healthCheckPath?: string;

  /**
   * How long the container logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Allow `aws ecs execute-command` into running tasks.
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * Run on Fargate Spot (about 70 % cheaper; tasks can be interrupted with two minutes' notice). Fargate Spot runs
   * ARM64 tasks on platform version 1.4.0 (the default) and X86_64 tasks.
   *
   * @default false
   */
  readonly spot?: boolean;

  /**
   * The fewest tasks autoscaling keeps running. 0 lets the service be paused (it will not scale out from 0 on CPU).
   *
   * @default 1
   */
  readonly minCapacity?: number;

  /**
   * The most tasks autoscaling starts.
   *
   * @default 4
   */
  readonly maxCapacity?: number;

  /**
   * Also scale on load balancer requests per task per minute (in addition to CPU at 60 %).
   *
   * @default - CPU only
   */
  readonly requestsPerTarget?: number;

  /**
   * Extra environment variables for the container (plain text: never put a secret here; use `secrets`).
   * May not redefine a variable the construct sets.
   *
   * @default - only the environment contract
   */
  readonly environment?: { [key: string]: string };

  /**
   * Extra secrets for the container, e.g. Grafana keys: `{ METRICS_API_KEY: ecs.Secret.fromSecretsManager(s) }`.
   * May not redefine a variable the construct sets.
   *
   * @default - only the environment contract
   */
  readonly secrets?: { [key: string]: ecs.Secret };

  /**
   * The secret whose value signs the service's JWTs (`JWT_SECRET`).
   *
   * @default - a 64-character secret generated into Secrets Manager
   */
  readonly jwtSecret?: secretsmanager.ISecret;

  /**
   * The JWT Pizza Factory's URL (`FACTORY_URL`).
   *
   * @default 'https://pizza-factory.cs329.click'
   */
  readonly factoryUrl?: string;

  /**
   * The name of the Secrets Manager secret holding your pizza factory API key (`FACTORY_API_KEY`), a plain-text
   * secret you create once, e.g. `aws secretsmanager create-secret --name pizza/factory-api-key --secret-string KEY`.
   *
   * @default - no `FACTORY_API_KEY` (a synth-time warning says orders will fail)
   */
  readonly factoryApiKeySecretName?: string;

  /**
   * Pause the service: no load balancer (or, on a shared one, no listener rule and target group) and no running
   * task, while `subdomain`.DOMAIN answers every request with HTTP 503 and a JSON message from a CloudFront
   * distribution on the `PizzaDns` us-east-1 certificate, which costs nothing while idle. The cluster, the task
   * definition, the repository, the secrets and the service itself (at zero tasks) stay, so CI can still push and
   * roll it. `paused: false` brings the load balancer and the tasks back; nothing stateful is replaced. Pause the
   * `PizzaDatabase` with it (its own `paused`) to stop the database too.
   *
   * Needs `dns`: without it the service's only address is its load balancer's name, which pausing deletes.
   *
   * @default false
   */
  readonly paused?: boolean;

  /**
   * A load balancer to share with other services (e.g. staging and production) instead of creating one: the service
   * adds a host rule for `subdomain`.DOMAIN, its own target group and its alias records. The service runs in the
   * load balancer's VPC and needs `dns`.
   *
   * @default - the service creates its own load balancer
   */
  readonly loadBalancer?: PizzaLoadBalancer;
}

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
      shared || this.paused ? undefined : createLoadBalancerSecurityGroup(this, this.vpc, props.dns, dualStack);
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
      desiredCount: this.paused ? 0 : desiredCount?.value,
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
