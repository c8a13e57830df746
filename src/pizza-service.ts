import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PizzaDatabase } from './pizza-database';
import { PizzaDns } from './pizza-dns';
import { acknowledgeNag, NagAcknowledgment } from './private/nag';
import { ServiceDesiredCount } from './private/service-desired-count';
import { createLeanVpc, isLeanVpc } from './private/service-network';
import {
  isConcrete,
  show,
  validateDnsLabel,
  validateHttpUrl,
  validateIntegerRange,
  validatePropsShape,
} from './private/validation';

/** The course's hostname for the service: graders expect exactly `pizza-service.DOMAIN`. */
const DEFAULT_SUBDOMAIN = 'pizza-service';

/** The JWT Pizza Factory every student's service orders from. */
const DEFAULT_FACTORY_URL = 'https://pizza-factory.cs329.click';

/** The tag the course's CI pushes (and overwrites) on every build. */
const DEFAULT_IMAGE_TAG = 'latest';

/** Course values: the Dockerfile starts the service on 80; the task is 0.5 vCPU / 1 GB. */
const DEFAULT_CONTAINER_PORT = 80;
const DEFAULT_CPU = 512;
const DEFAULT_MEMORY_MIB = 1024;

/** Images the repository keeps. */
const DEFAULT_MAX_IMAGE_COUNT = 10;

/** Autoscaling range. */
const DEFAULT_MIN_CAPACITY = 1;
const DEFAULT_MAX_CAPACITY = 4;

/**
 * The service's name inside its own cluster (each PizzaService has its own cluster, so it never collides). Fixed so
 * that the desired-count resource can find the service without depending on it.
 */
const SERVICE_NAME = 'jwt-pizza-service';

/** The container's name, as in the course's task definition. */
const CONTAINER_NAME = 'jwt-pizza-service';

/** Target tracking target for CPU. */
const CPU_TARGET_PERCENT = 60;

/**
 * The health check of a service with a database: the menu, one SELECT. The upstream service answers `/` with 200
 * even when its database never initialised, and never retries that initialisation.
 */
const DATABASE_HEALTH_CHECK_PATH = '/api/order/menu';

/**
 * Target group timing. The modelled rollout overhead per deploy is HEALTH_CHECK_INTERVAL × HEALTHY_THRESHOLD (a new
 * task's first passing verdict) + DEREGISTRATION_DELAY (draining an old one): 5 s × 2 + 10 s = 20 s.
 */
const HEALTH_CHECK_INTERVAL = Duration.seconds(5);
const HEALTH_CHECK_TIMEOUT = Duration.seconds(4);
const HEALTHY_THRESHOLD = 2;
const UNHEALTHY_THRESHOLD = 3;
const DEREGISTRATION_DELAY = Duration.seconds(10);

/** The environment contract: the variables the drop-in `config.js` (examples/jwt-pizza-service) reads. */
const ENV = {
  PORT: 'PORT',
  JWT_SECRET: 'JWT_SECRET',
  FACTORY_URL: 'FACTORY_URL',
  FACTORY_API_KEY: 'FACTORY_API_KEY',
  DB_HOST: 'DB_HOST',
  DB_PORT: 'DB_PORT',
  DB_NAME: 'DB_NAME',
  DB_USER: 'DB_USER',
  DB_PASSWORD: 'DB_PASSWORD',
};

/** The prop that sets each contract variable the construct does not take from `database`. */
const CONTRACT_PROPS: Record<string, string> = {
  [ENV.PORT]: '`containerPort`',
  [ENV.FACTORY_URL]: '`factoryUrl`',
  [ENV.JWT_SECRET]: '`jwtSecret`',
  [ENV.FACTORY_API_KEY]: '`factoryApiKeySecretName`',
};

/** Contract variables that hold secrets: they reach the container only as `secrets`, never as plain text. */
const SECRET_VARIABLES = [ENV.JWT_SECRET, ENV.FACTORY_API_KEY, ENV.DB_PASSWORD];

/** Names that look like they hold a secret (a warning when they are in plain `environment`). */
const SECRET_LOOKING_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** Fargate CPU units and the memory sizes (MiB) each allows. */
const FARGATE_MEMORY: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

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

  /** The internet-facing Application Load Balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /** The listener that serves the service: HTTPS on 443 with `dns`, HTTP on 80 without. */
  public readonly listener: elbv2.ApplicationListener;

  /** With `dns`, the HTTP listener on 80 that redirects to HTTPS. */
  public readonly redirectListener?: elbv2.ApplicationListener;

  /** The target group of the service's tasks. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;

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

  constructor(scope: Construct, id: string, props: PizzaServiceProps = {}) {
    super(scope, id);
    this.validateProps(props);

    const containerPort = props.containerPort ?? DEFAULT_CONTAINER_PORT;
    const minCapacity = props.minCapacity ?? DEFAULT_MIN_CAPACITY;
    const maxCapacity = props.maxCapacity ?? DEFAULT_MAX_CAPACITY;
    const imageTag = props.imageTag ?? DEFAULT_IMAGE_TAG;
    const subdomain = props.subdomain ?? DEFAULT_SUBDOMAIN;
    const hostname = props.dns ? props.dns.claimHostname(subdomain, this.node.path) : undefined;

    // network
    this.vpc = props.vpc ?? props.database?.vpc ?? createLeanVpc(this, 'Vpc');
    if (this.vpc.publicSubnets.length === 0) {
      throw new Error(
        '`vpc` has no public subnets: PizzaService puts its load balancer and its tasks (with public IPs, as no ' +
          'NAT gateway is used) in public subnets',
      );
    }
    const dualStack = isLeanVpc(this.vpc);
    this.hasRepository = props.image === undefined;
    const publicSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PUBLIC };

    // image
    let image: ecs.ContainerImage;
    if (props.image) {
      image = props.image;
    } else {
      const maxImageCount = props.maxImageCount ?? DEFAULT_MAX_IMAGE_COUNT;
      this.ownRepository = new ecr.Repository(this, 'Repository', {
        imageScanOnPush: true,
        imageTagMutability: ecr.TagMutability.MUTABLE,
        lifecycleRules: [
          {
            rulePriority: 1,
            description: `Keep the ${maxImageCount} most recent images`,
            tagStatus: ecr.TagStatus.ANY,
            maxImageCount,
          },
        ],
        emptyOnDelete: true,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      image = ecs.ContainerImage.fromEcrRepository(this.ownRepository, imageTag);
    }

    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc });
    // associated here (not with `enableFargateCapacityProviders`, which adds it in an aspect) so the service can
    // depend on it: a service created before the association fails to use the capacity provider
    const capacityProviders = new ecs.CfnClusterCapacityProviderAssociations(this, 'CapacityProviders', {
      cluster: this.cluster.clusterName,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const ownJwtSecret = props.jwtSecret
      ? undefined
      : new secretsmanager.Secret(this, 'JwtSecret', {
          description: `JWT signing secret of the JWT Pizza service ${this.node.path}`,
          generateSecretString: { passwordLength: 64, excludePunctuation: true },
          removalPolicy: RemovalPolicy.DESTROY,
        });
    this.jwtSecret = props.jwtSecret ?? ownJwtSecret!;

    // configuration: the environment contract, then the user's additions
    const environment: Record<string, string> = {
      [ENV.PORT]: String(containerPort),
      [ENV.FACTORY_URL]: props.factoryUrl ?? DEFAULT_FACTORY_URL,
    };
    const secrets: Record<string, ecs.Secret> = {
      [ENV.JWT_SECRET]: ecs.Secret.fromSecretsManager(this.jwtSecret),
    };
    if (props.factoryApiKeySecretName !== undefined) {
      const factoryApiKey = secretsmanager.Secret.fromSecretNameV2(
        this,
        'FactoryApiKey',
        props.factoryApiKeySecretName,
      );
      secrets[ENV.FACTORY_API_KEY] = ecs.Secret.fromSecretsManager(factoryApiKey);
    }
    if (props.database) {
      this.addDatabaseConfiguration(props.database, environment, secrets);
    }
    this.checkNoRedefinition(environment, secrets, props);
    Object.assign(environment, props.environment ?? {});
    Object.assign(secrets, props.secrets ?? {});

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.cpu ?? DEFAULT_CPU,
      memoryLimitMiB: props.memoryLimitMiB ?? DEFAULT_MEMORY_MIB,
      runtimePlatform: {
        cpuArchitecture: props.cpuArchitecture ?? ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.container = this.taskDefinition.addContainer('Container', {
      containerName: CONTAINER_NAME,
      image,
      portMappings: [{ containerPort, protocol: ecs.Protocol.TCP }],
      environment,
      secrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'ecs' }),
    });

    // security groups: world → load balancer → tasks (→ database, below)
    const loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: 'JWT Pizza load balancer: HTTP(S) from anywhere, to the service tasks only',
      allowAllOutbound: false,
    });
    const servicePorts = props.dns ? [443, 80] : [80];
    for (const port of servicePorts) {
      loadBalancerSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port), `HTTP(S) ${port} from IPv4`);
      if (dualStack) {
        loadBalancerSecurityGroup.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(port), `HTTP(S) ${port} from IPv6`);
      }
    }
    const serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: this.vpc,
      description: 'JWT Pizza service tasks: the container port from the load balancer only',
      allowAllOutbound: true,
    });

    // first deploy with an empty repository: the desired count comes from ServiceDesiredCount (see there)
    const desiredCount = this.ownRepository
      ? new ServiceDesiredCount(this, 'DesiredCount', {
          cluster: this.cluster,
          serviceName: SERVICE_NAME,
          repository: this.ownRepository,
          imageTag,
          minCapacity,
          maxCapacity,
        })
      : undefined;
    this.pushDeadLetterQueue = desiredCount?.deadLetterQueue;

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      serviceName: SERVICE_NAME,
      taskDefinition: this.taskDefinition,
      desiredCount: desiredCount?.value,
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

    // load balancer
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      vpcSubnets: publicSubnets,
      internetFacing: true,
      securityGroup: loadBalancerSecurityGroup,
      ipAddressType: dualStack ? elbv2.IpAddressType.DUAL_STACK : elbv2.IpAddressType.IPV4,
      dropInvalidHeaderFields: true,
    });
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: this.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: containerPort,
      deregistrationDelay: DEREGISTRATION_DELAY,
      healthCheck: {
        path: props.healthCheckPath ?? (props.database ? DATABASE_HEALTH_CHECK_PATH : '/'),
        protocol: elbv2.Protocol.HTTP,
        interval: HEALTH_CHECK_INTERVAL,
        timeout: HEALTH_CHECK_TIMEOUT,
        healthyThresholdCount: HEALTHY_THRESHOLD,
        unhealthyThresholdCount: UNHEALTHY_THRESHOLD,
        healthyHttpCodes: '200',
      },
      targets: [this.service],
    });

    if (props.dns && hostname) {
      this.listener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [elbv2.ListenerCertificate.fromCertificateManager(props.dns.certificate)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultTargetGroups: [this.targetGroup],
        open: false,
      });
      this.redirectListener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
        open: false,
      });
      const target = route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.loadBalancer));
      new route53.ARecord(this, 'AliasRecord', { zone: props.dns.hostedZone, recordName: hostname, target });
      new route53.AaaaRecord(this, 'AliasRecordIpv6', { zone: props.dns.hostedZone, recordName: hostname, target });
      this.domainName = hostname;
      this.url = `https://${hostname}`;
    } else {
      this.listener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultTargetGroups: [this.targetGroup],
        open: false,
      });
      this.domainName = this.loadBalancer.loadBalancerDnsName;
      this.url = `http://${this.loadBalancer.loadBalancerDnsName}`;
      Annotations.of(this).addWarningV2(
        'pizza-constructs:service-no-https',
        'PizzaService has no `dns`, so it serves plain HTTP on the load balancer name (no certificate can be issued ' +
          'for it): browsers block calls from an HTTPS frontend to it. Pass a PizzaDns for HTTPS.',
      );
    }

    // printed by `cdk deploy`; logical ids from the construct path, so two services in one stack never collide
    new CfnOutput(this, 'Url', { value: this.url, description: `JWT Pizza service URL (${this.node.path})` });
    new CfnOutput(this, 'LoadBalancerDnsName', {
      value: this.loadBalancer.loadBalancerDnsName,
      description: `JWT Pizza service load balancer (${this.node.path})`,
    });

    // scaling
    this.scaling = this.service.autoScaleTaskCount({ minCapacity, maxCapacity });
    this.scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: CPU_TARGET_PERCENT });
    if (props.requestsPerTarget !== undefined) {
      this.scaling.scaleOnRequestCount('Requests', {
        requestsPerTarget: props.requestsPerTarget,
        targetGroup: this.targetGroup,
      });
    }

    if (props.database) {
      // allowTo (not the database's allowFrom): with the database in another stack the rule is then created in
      // this stack, which already depends on the database's; a literal port exports nothing a restore would change
      this.service.connections.allowTo(props.database, ec2.Port.tcp(props.database.port), 'JWT Pizza service tasks');
      // the tasks already reach everything outbound, so the egress half of that rule is rightly skipped
      Annotations.of(serviceSecurityGroup).acknowledgeWarning(
        '@aws-cdk/aws-ec2:ipv4IgnoreEgressRule',
        'the task security group allows all outbound traffic (ECR, the pizza factory, metrics); only the ingress rule on the database matters',
      );
    }

    this.warnAboutIgnoredProps(props);
    this.acknowledgeNagFindings(props, loadBalancerSecurityGroup, ownJwtSecret);
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
    let grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['ecs:UpdateService', 'ecs:DescribeServices'],
      resourceArns: [this.service.serviceArn],
    });
    if (this.ownRepository) {
      grant = grant
        .combine(
          iam.Grant.addToPrincipal({
            grantee,
            actions: [
              'ecr:BatchCheckLayerAvailability',
              'ecr:BatchGetImage',
              'ecr:CompleteLayerUpload',
              'ecr:InitiateLayerUpload',
              'ecr:PutImage',
              'ecr:UploadLayerPart',
            ],
            resourceArns: [this.ownRepository.repositoryArn],
          }),
        )
        .combine(iam.Grant.addToPrincipal({ grantee, actions: ['ecr:GetAuthorizationToken'], resourceArns: ['*'] }));
    }
    return grant;
  }

  private addDatabaseConfiguration(
    database: PizzaDatabase,
    environment: Record<string, string>,
    secrets: Record<string, ecs.Secret>,
  ): void {
    if (Stack.of(database) === Stack.of(this)) {
      // same stack: a replaced instance (snapshot restore) changes the task definition, which rolls the service
      environment[ENV.DB_HOST] = database.endpoint;
      environment[ENV.DB_PORT] = String(database.port);
    } else {
      // another stack: read host and port from the attached secret, so no export of the endpoint blocks a restore
      secrets[ENV.DB_HOST] = ecs.Secret.fromSecretsManager(database.secret, 'host');
      secrets[ENV.DB_PORT] = ecs.Secret.fromSecretsManager(database.secret, 'port');
    }
    environment[ENV.DB_NAME] = database.databaseName;
    secrets[ENV.DB_USER] = ecs.Secret.fromSecretsManager(database.secret, 'username');
    secrets[ENV.DB_PASSWORD] = ecs.Secret.fromSecretsManager(database.secret, 'password');
  }

  private checkNoRedefinition(
    environment: Record<string, string>,
    secrets: Record<string, ecs.Secret>,
    props: PizzaServiceProps,
  ): void {
    const taken = new Set([...Object.keys(environment), ...Object.keys(secrets)]);
    for (const [prop, given] of [
      ['environment', props.environment],
      ['secrets', props.secrets],
    ] as const) {
      for (const name of Object.keys(given ?? {})) {
        if (taken.has(name)) {
          const owner = CONTRACT_PROPS[name] ?? '`database`';
          throw new Error(
            `\`${prop}\` sets ${name}, which PizzaService already sets from ${owner}; set it there instead`,
          );
        }
      }
    }
    for (const name of Object.keys(props.environment ?? {})) {
      if (props.secrets && name in props.secrets) {
        throw new Error(`${name} is in both \`environment\` and \`secrets\`; give it in one of them`);
      }
    }
  }

  private warnAboutIgnoredProps(props: PizzaServiceProps): void {
    const configured = { ...props.environment, ...props.secrets };
    if (props.factoryApiKeySecretName === undefined && !(ENV.FACTORY_API_KEY in (props.secrets ?? {}))) {
      Annotations.of(this).addWarningV2(
        'pizza-constructs:service-no-factory-key',
        'PizzaService has no `factoryApiKeySecretName`, so the service gets no FACTORY_API_KEY and pizza orders ' +
          'fail at the factory. Store your key in Secrets Manager and pass the secret name.',
      );
    }
    if (!props.dns && props.subdomain !== undefined) {
      Annotations.of(this).addWarningV2(
        'pizza-constructs:service-subdomain-ignored',
        '`subdomain` is ignored without `dns`: the service is served on the load balancer name.',
      );
    }
    if (props.image && (props.imageTag !== undefined || props.maxImageCount !== undefined)) {
      Annotations.of(this).addWarningV2(
        'pizza-constructs:service-image-options-ignored',
        '`imageTag` and `maxImageCount` apply to the construct repository, which is not created when `image` is given.',
      );
    }
    if (!props.database && !(ENV.DB_HOST in configured)) {
      Annotations.of(this).addWarningV2(
        'pizza-constructs:service-no-database',
        'PizzaService has no `database` and no DB_HOST in `environment` or `secrets`: the service cannot store ' +
          'anything. Pass a PizzaDatabase, or your own DB_HOST, DB_USER and DB_PASSWORD.',
      );
    }
  }

  private acknowledgeNagFindings(
    props: PizzaServiceProps,
    loadBalancerSecurityGroup: ec2.SecurityGroup,
    ownJwtSecret?: secretsmanager.Secret,
  ): void {
    acknowledgeNag(this.loadBalancer, [
      {
        id: 'AwsSolutions-ELB2',
        reason:
          'Access logs need a log bucket with its own lifecycle and teardown; the course reads service logs and ' +
          'load balancer metrics instead. Enable them with `service.loadBalancer.logAccessLogs(bucket)`.',
      },
    ]);
    acknowledgeNag(loadBalancerSecurityGroup, [
      {
        id: 'AwsSolutions-EC23',
        reason:
          'The load balancer of a public website: its security group admits only HTTP(S) from anywhere; the tasks ' +
          'admit only the load balancer.',
      },
    ]);
    acknowledgeNag(this.cluster, [
      {
        id: 'AwsSolutions-ECS4',
        reason:
          'Container Insights bills custom metrics per task and service (several dollars a month for this ' +
          'service); the course uses Grafana and the free ECS service metrics.',
      },
    ]);
    const taskAcks: NagAcknowledgment[] = [
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'Only non-secret configuration is in plain environment variables (port, factory URL, database host, port ' +
          'and schema name); every secret reaches the container through Secrets Manager `secrets`.',
      },
    ];
    if (this.ownRepository) {
      taskAcks.push({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken has no resource-level permission; AWS offers nothing narrower than *.',
      });
    }
    if (props.factoryApiKeySecretName !== undefined) {
      taskAcks.push({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${props.factoryApiKeySecretName}-??????]`,
        reason:
          'The factory API key secret is referenced by name; Secrets Manager appends a random six-character suffix ' +
          'to its ARN, which the -?????? wildcard matches and nothing else.',
      });
    }
    if (props.enableExecuteCommand) {
      taskAcks.push({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ECS Exec needs ssmmessages channels, which have no resource-level permission (opt-in).',
      });
    }
    acknowledgeNag(this.taskDefinition, taskAcks);
    if (this.pushDeadLetterQueue) {
      acknowledgeNag(this.pushDeadLetterQueue, [
        {
          id: 'AwsSolutions-SQS3',
          reason:
            'This queue is itself the dead-letter queue of the image push rule and its Lambda function; nothing ' +
            'consumes it, so it needs no dead-letter queue of its own.',
        },
      ]);
    }
    if (ownJwtSecret) {
      acknowledgeNag(ownJwtSecret, [
        {
          id: 'AwsSolutions-SMG4',
          reason:
            'Rotating the JWT signing secret would log every user out and needs a rotation function; ECS reads it ' +
            'only at task start. Replace it by deploying a new secret if it leaks.',
        },
      ]);
    }
  }

  private validateProps(props: PizzaServiceProps): void {
    validatePropsShape('PizzaService', props, {
      dns: { kind: PizzaDns },
      subdomain: { kind: 'string' },
      database: { kind: PizzaDatabase },
      vpc: { kind: 'object' },
      image: { kind: 'object' },
      imageTag: { kind: 'string' },
      maxImageCount: { kind: 'number' },
      cpu: { kind: 'number' },
      memoryLimitMiB: { kind: 'number' },
      cpuArchitecture: { kind: 'object' },
      containerPort: { kind: 'number' },
      healthCheckPath: { kind: 'string' },
      logRetention: { kind: 'number' },
      enableExecuteCommand: { kind: 'boolean' },
      spot: { kind: 'boolean' },
      minCapacity: { kind: 'number' },
      maxCapacity: { kind: 'number' },
      requestsPerTarget: { kind: 'number' },
      environment: { kind: 'record' },
      secrets: { kind: 'object' },
      jwtSecret: { kind: 'object' },
      factoryUrl: { kind: 'string' },
      factoryApiKeySecretName: { kind: 'string' },
    });
    validateIntegerRange('containerPort', props.containerPort, 1, 65535);
    this.validateCpuMemory(props.cpu ?? DEFAULT_CPU, props.memoryLimitMiB ?? DEFAULT_MEMORY_MIB);
    if (props.healthCheckPath !== undefined && isConcrete(props.healthCheckPath)) {
      if (!/^\/[\x21-\x7e]{0,1023}$/.test(props.healthCheckPath)) {
        throw new Error(
          '`healthCheckPath` must be a URL path starting with "/" (up to 1024 printable characters, no spaces), ' +
            `got: ${show(props.healthCheckPath)}`,
        );
      }
    }
    validateIntegerRange('minCapacity', props.minCapacity, 0, 1000);
    validateIntegerRange('maxCapacity', props.maxCapacity, 1, 1000);
    const min = props.minCapacity ?? DEFAULT_MIN_CAPACITY;
    const max = props.maxCapacity ?? DEFAULT_MAX_CAPACITY;
    if (!Token.isUnresolved(min) && !Token.isUnresolved(max) && min > max) {
      throw new Error(`\`minCapacity\` (${min}) must not exceed \`maxCapacity\` (${max})`);
    }
    validateIntegerRange('requestsPerTarget', props.requestsPerTarget, 1, 1000000);
    validateIntegerRange('maxImageCount', props.maxImageCount, 1, 10000);
    if (props.subdomain !== undefined) {
      validateDnsLabel('subdomain', props.subdomain);
    }
    if (props.imageTag !== undefined && isConcrete(props.imageTag)) {
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(props.imageTag)) {
        throw new Error(
          '`imageTag` must be a Docker tag (letters, digits, "_", "." and "-", up to 128 characters, not starting ' +
            `with "." or "-"), got: ${show(props.imageTag)}`,
        );
      }
    }
    validateHttpUrl('factoryUrl', props.factoryUrl);
    if (props.factoryApiKeySecretName !== undefined && !Token.isUnresolved(props.factoryApiKeySecretName)) {
      if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(props.factoryApiKeySecretName)) {
        throw new Error(
          '`factoryApiKeySecretName` must be a Secrets Manager secret name such as "pizza/factory-api-key" ' +
            `(1-512 letters, digits and /_+=.@-), got: ${show(props.factoryApiKeySecretName)}`,
        );
      }
    }
    for (const [prop, given] of [
      ['environment', props.environment],
      ['secrets', props.secrets],
    ] as const) {
      for (const name of Object.keys(given ?? {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
          throw new Error(
            `\`${prop}\` has the variable name ${show(name)}: environment variable names must be letters, digits ` +
              'and "_", not starting with a digit',
          );
        }
      }
    }
    this.validatePlainEnvironment(props.environment ?? {});
    if (props.database && props.vpc && props.vpc !== props.database.vpc) {
      const given = Stack.of(this).resolve(props.vpc.vpcId);
      const databases = Stack.of(this).resolve(props.database.vpc.vpcId);
      if (typeof given !== 'string' || given !== databases) {
        throw new Error(
          `\`database\` ${props.database.node.path} is in another VPC than \`vpc\`: the service must run in its ` +
            "database's VPC (leave `vpc` unset to use it)",
        );
      }
    }
  }

  /**
   * Plain `environment` values are written into the task definition (and the template) in clear text. The contract's
   * secret variables are refused there; other names that look like secrets get a warning.
   */
  private validatePlainEnvironment(environment: { [key: string]: string }): void {
    for (const name of Object.keys(environment)) {
      if (SECRET_VARIABLES.includes(name)) {
        const from = CONTRACT_PROPS[name] ?? '`database` or `secrets`';
        throw new Error(
          `\`environment\` sets ${name}, a secret: plain environment values are written into the template and the ` +
            `task definition in clear text. Give it through ${from} (a Secrets Manager secret) instead.`,
        );
      }
      if (SECRET_LOOKING_NAME.test(name)) {
        Annotations.of(this).addWarningV2(
          'pizza-constructs:service-plain-secret',
          `\`environment\` sets ${name}, whose name looks like a secret: plain environment values are written into ` +
            'the template in clear text. Pass it in `secrets` (ecs.Secret.fromSecretsManager) if it is one.',
        );
      }
    }
  }

  private validateCpuMemory(cpu: number, memory: number): void {
    if (Token.isUnresolved(cpu) || Token.isUnresolved(memory)) {
      return;
    }
    const allowed = FARGATE_MEMORY[cpu];
    if (!allowed) {
      throw new Error(
        `\`cpu\` must be one of ${Object.keys(FARGATE_MEMORY).join(', ')} (Fargate CPU units), got: ${show(cpu)}`,
      );
    }
    if (!allowed.includes(memory)) {
      throw new Error(
        `\`memoryLimitMiB\` ${show(memory)} is not a Fargate size for \`cpu\` ${cpu}: use ` +
          `${describeSizes(allowed)} MiB`,
      );
    }
  }
}

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) {
    values.push(v);
  }
  return values;
}

function describeSizes(sizes: number[]): string {
  if (sizes.length <= 4) {
    return sizes.join(', ');
  }
  return `${sizes[0]} to ${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
}
