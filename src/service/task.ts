import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CONTRACT_PROPS, DEFAULT_CPU, DEFAULT_FACTORY_URL, DEFAULT_MEMORY_MIB, ENV } from './constants';
import type { PizzaServiceProps } from './props';
import type { PizzaDatabase } from '../database/pizza-database';

/** The container's name, as in the course's task definition. */
const CONTAINER_NAME = 'jwt-pizza-service';

/** What the task needs besides the props. */
export interface ServiceTaskOptions {
  /** The image the container runs. */
  readonly image: ecs.ContainerImage;
  /** The port the container listens on (also passed as `PORT`). */
  readonly containerPort: number;
}

/** The task definition and what it was built with. */
export interface ServiceTask {
  readonly logGroup: logs.LogGroup;
  /** The secret that signs JWTs: the given one, or `ownJwtSecret`. */
  readonly jwtSecret: secretsmanager.ISecret;
  /** The generated JWT secret, when none was given. */
  readonly ownJwtSecret?: secretsmanager.Secret;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
}

/**
 * Creates, in `scope` (the service), the container log group, the JWT secret (unless given), the Fargate task
 * definition and its container with the environment contract and the user's additions.
 */
export function createServiceTask(
  scope: Construct,
  props: PizzaServiceProps,
  options: ServiceTaskOptions,
): ServiceTask {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });

  const ownJwtSecret = props.jwtSecret
    ? undefined
    : new secretsmanager.Secret(scope, 'JwtSecret', {
        description: `JWT signing secret of the JWT Pizza service ${scope.node.path}`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: RemovalPolicy.DESTROY,
      });
  const jwtSecret = props.jwtSecret ?? ownJwtSecret!;

  const { environment, secrets } = containerConfiguration(scope, props, options.containerPort, jwtSecret);

  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: props.cpu ?? DEFAULT_CPU,
    memoryLimitMiB: props.memoryLimitMiB ?? DEFAULT_MEMORY_MIB,
    runtimePlatform: {
      cpuArchitecture: props.cpuArchitecture ?? ecs.CpuArchitecture.ARM64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    },
  });
  const container = taskDefinition.addContainer('Container', {
    containerName: CONTAINER_NAME,
    image: options.image,
    portMappings: [{ containerPort: options.containerPort, protocol: ecs.Protocol.TCP }],
    environment,
    secrets,
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'ecs' }),
  });
  return { logGroup, jwtSecret, ownJwtSecret, taskDefinition, container };
}

/** The container's configuration: the environment contract, then the user's additions. */
function containerConfiguration(
  scope: Construct,
  props: PizzaServiceProps,
  containerPort: number,
  jwtSecret: secretsmanager.ISecret,
): { environment: Record<string, string>; secrets: Record<string, ecs.Secret> } {
  const environment: Record<string, string> = {
    [ENV.PORT]: String(containerPort),
    [ENV.FACTORY_URL]: props.factoryUrl ?? DEFAULT_FACTORY_URL,
  };
  const secrets: Record<string, ecs.Secret> = {
    [ENV.JWT_SECRET]: ecs.Secret.fromSecretsManager(jwtSecret),
  };
  if (props.factoryApiKeySecretName !== undefined) {
    const factoryApiKey = secretsmanager.Secret.fromSecretNameV2(scope, 'FactoryApiKey', props.factoryApiKeySecretName);
    secrets[ENV.FACTORY_API_KEY] = ecs.Secret.fromSecretsManager(factoryApiKey);
  }
  if (props.database) {
    addDatabaseConfiguration(scope, props.database, environment, secrets);
  }
  checkNoRedefinition(environment, secrets, props);
  Object.assign(environment, props.environment ?? {});
  Object.assign(secrets, props.secrets ?? {});
  return { environment, secrets };
}

/** Adds the database's `DB_*` variables: host and port in plain text in its own stack, from its secret elsewhere. */
function addDatabaseConfiguration(
  scope: Construct,
  database: PizzaDatabase,
  environment: Record<string, string>,
  secrets: Record<string, ecs.Secret>,
): void {
  if (Stack.of(database) === Stack.of(scope)) {
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

/** Throws when `environment` or `secrets` sets a variable the construct sets, or both set the same one. */
function checkNoRedefinition(
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

/** Target tracking target for CPU. */
const CPU_TARGET_PERCENT = 60;

/**
 * Creates, in `scope`, the service's own cluster and its Fargate capacity providers. They are associated here (not
 * with `enableFargateCapacityProviders`, which adds them in an aspect) so the service can depend on the association:
 * a service created before it fails to use the capacity provider.
 */
export function createServiceCluster(
  scope: Construct,
  vpc: ec2.IVpc,
): { cluster: ecs.Cluster; capacityProviders: ecs.CfnClusterCapacityProviderAssociations } {
  const cluster = new ecs.Cluster(scope, 'Cluster', { vpc });
  const capacityProviders = new ecs.CfnClusterCapacityProviderAssociations(scope, 'CapacityProviders', {
    cluster: cluster.clusterName,
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
  });
  return { cluster, capacityProviders };
}

/** The task count's range and what it scales on. */
export interface ServiceScalingOptions {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Scale on requests per target too (needs `targetGroup`). */
  readonly requestsPerTarget?: number;
  readonly targetGroup?: elbv2.ApplicationTargetGroup;
}

/**
 * The service's task count autoscaling: on CPU, and on requests per target when asked and a target group exists;
 * no policy at all for a range of 0..0 (paused).
 */
export function createServiceScaling(
  service: ecs.FargateService,
  options: ServiceScalingOptions,
): ecs.ScalableTaskCount {
  const scaling = service.autoScaleTaskCount({ minCapacity: options.minCapacity, maxCapacity: options.maxCapacity });
  if (options.maxCapacity === 0) {
    // paused: nothing to scale, and no target-tracking alarms to pay for
    return scaling;
  }
  scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: CPU_TARGET_PERCENT });
  if (options.requestsPerTarget !== undefined && options.targetGroup) {
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: options.requestsPerTarget,
      targetGroup: options.targetGroup,
    });
  }
  return scaling;
}
