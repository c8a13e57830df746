import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { PizzaDatabase } from '../database/pizza-database';
import { PizzaDns } from '../dns/pizza-dns';
import { PizzaLoadBalancer } from '../load-balancer/pizza-load-balancer';

/**
 * Properties for `PizzaService`.
 */
export interface PizzaServiceProps {
  /**
   * The domain to serve on: HTTPS with `dns.certificate` at `subdomain`.DOMAIN, its host record (see
   * `hostRecordType`), and port 80 redirecting to HTTPS.
   *
   * @default - no domain: plain HTTP on the load balancer's own name (a synth-time warning says so)
   */
  readonly dns?: PizzaDns;

  /**
   * The subdomain of `dns` to serve on: one DNS label. The course's graders expect `pizza-service`. DNS is
   * case-insensitive: upper-case letters are lower-cased (`Pizza-Service` serves on `pizza-service.DOMAIN`).
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

  /**
   * The kind of DNS record `subdomain`.DOMAIN gets (with `dns`).
   *
   * The course instructs a CNAME to the load balancer, and its autograder resolves one (`dns.resolveCname` must
   * answer a name ending in `elb.amazonaws.com`): an alias record fails that check. Paused, the CNAME points to the
   * distribution that answers 503. A stack deployed with alias records moves to the CNAME in one deploy (and back):
   * the old records are deleted just before the new one is created, and restored if the deploy rolls back.
   *
   * @default PizzaHostRecordType.CNAME
   */
  readonly hostRecordType?: PizzaHostRecordType;
}

/**
 * The kind of DNS record a `PizzaService` gets for its host name.
 */
export class PizzaHostRecordType {
  /**
   * A CNAME to the load balancer's DNS name (or, paused, to the distribution's), TTL 60 s: what the course instructs
   * and what its autograder checks.
   */
  public static readonly CNAME = new PizzaHostRecordType('CNAME');

  /**
   * A and AAAA alias records: no charge for queries, and the name resolves in one step; outside the course.
   */
  public static readonly ALIAS = new PizzaHostRecordType('ALIAS');

  /** @param name `CNAME` or `ALIAS` */
  private constructor(public readonly name: string) {}
}
