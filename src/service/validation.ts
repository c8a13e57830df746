import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import {
  CONTRACT_PROPS,
  DEFAULT_CPU,
  DEFAULT_MAX_CAPACITY,
  DEFAULT_MEMORY_MIB,
  DEFAULT_MIN_CAPACITY,
  ENV,
  SECRET_VARIABLES,
} from './constants';
import { PizzaHostRecordType, PizzaServiceProps } from './props';
import { PizzaDatabase } from '../database/pizza-database';
import { PizzaDns } from '../dns/pizza-dns';
import { PizzaLoadBalancer } from '../load-balancer/pizza-load-balancer';
import {
  isConcrete,
  show,
  validateDnsLabel,
  validateHttpUrl,
  validateIntegerRange,
  validatePropsShape,
} from '../shared/validation';

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

/** Throws on props `PizzaService` cannot build (`scope` is the service: warnings and VPC tokens resolve there). */
export function validateServiceProps(scope: Construct, props: PizzaServiceProps): void {
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
    paused: { kind: 'boolean' },
    loadBalancer: { kind: PizzaLoadBalancer },
    hostRecordType: { kind: PizzaHostRecordType },
  });
  validateIntegerRange('containerPort', props.containerPort, 1, 65535);
  validateCpuMemory(props.cpu ?? DEFAULT_CPU, props.memoryLimitMiB ?? DEFAULT_MEMORY_MIB);
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
  validatePlainEnvironment(scope, props.environment ?? {});
  if (props.database && props.vpc && !sameVpc(scope, props.vpc, props.database.vpc)) {
    throw new Error(
      `\`database\` ${props.database.node.path} is in another VPC than \`vpc\`: the service must run in its ` +
        "database's VPC (leave `vpc` unset to use it)",
    );
  }
  validateSharing(scope, props);
}

/** Throws on a `paused` or `loadBalancer` the service cannot honour. */
function validateSharing(scope: Construct, props: PizzaServiceProps): void {
  if (props.paused && !props.dns) {
    throw new Error(
      '`paused` needs `dns`: a paused service answers on `subdomain`.DOMAIN from CloudFront, and without a domain ' +
        "its only address is its load balancer's name, which pausing deletes",
    );
  }
  const shared = props.loadBalancer;
  if (!shared) {
    return;
  }
  if (!props.dns) {
    throw new Error(
      `\`loadBalancer\` ${shared.node.path} routes requests by host name: give the service a \`dns\` (its host is ` +
        '`subdomain`.DOMAIN)',
    );
  }
  for (const [prop, vpc] of [
    ['vpc', props.vpc],
    ['database', props.database?.vpc],
  ] as const) {
    if (vpc && !sameVpc(scope, vpc, shared.vpc)) {
      throw new Error(
        `\`loadBalancer\` ${shared.node.path} is in another VPC than \`${prop}\`${prop === 'database' ? ` ${props.database!.node.path}` : ''}: ` +
          "a shared load balancer reaches only tasks in its own VPC (create it with `vpc` set to the service's VPC)",
      );
    }
  }
}

/** True when `a` and `b` are the same VPC (the same object, or the same id once resolved in `scope`'s stack). */
function sameVpc(scope: Construct, a: ec2.IVpc, b: ec2.IVpc): boolean {
  if (a === b) {
    return true;
  }
  const first = Stack.of(scope).resolve(a.vpcId);
  return typeof first === 'string' && first === Stack.of(scope).resolve(b.vpcId);
}

/** Warns (on `scope`) about props that are ignored, or missing where the service would not work without them. */
export function warnAboutIgnoredServiceProps(scope: Construct, props: PizzaServiceProps): void {
  const configured = { ...props.environment, ...props.secrets };
  if (props.database?.paused && !props.paused) {
    Annotations.of(scope).addWarningV2(
      'pizza-constructs:service-database-paused',
      `PizzaService runs while its \`database\` ${props.database.node.path} is paused (stopped): every request that ` +
        'needs the database fails, and with the default health check the tasks never become healthy. Pause the ' +
        'service too, or resume the database.',
    );
  }
  if (props.factoryApiKeySecretName === undefined && !(ENV.FACTORY_API_KEY in (props.secrets ?? {}))) {
    Annotations.of(scope).addWarningV2(
      'pizza-constructs:service-no-factory-key',
      'PizzaService has no `factoryApiKeySecretName`, so the service gets no FACTORY_API_KEY and pizza orders ' +
        'fail at the factory. Store your key in Secrets Manager and pass the secret name.',
    );
  }
  if (!props.dns && props.subdomain !== undefined) {
    Annotations.of(scope).addWarningV2(
      'pizza-constructs:service-subdomain-ignored',
      '`subdomain` is ignored without `dns`: the service is served on the load balancer name.',
    );
  }
  if (!props.dns && props.hostRecordType !== undefined) {
    Annotations.of(scope).addWarningV2(
      'pizza-constructs:service-host-record-ignored',
      '`hostRecordType` is ignored without `dns`: there is no host name to give a record.',
    );
  }
  if (props.image && (props.imageTag !== undefined || props.maxImageCount !== undefined)) {
    Annotations.of(scope).addWarningV2(
      'pizza-constructs:service-image-options-ignored',
      '`imageTag` and `maxImageCount` apply to the construct repository, which is not created when `image` is given.',
    );
  }
  if (!props.database && !(ENV.DB_HOST in configured)) {
    Annotations.of(scope).addWarningV2(
      'pizza-constructs:service-no-database',
      'PizzaService has no `database` and no DB_HOST in `environment` or `secrets`: the service cannot store ' +
        'anything. Pass a PizzaDatabase, or your own DB_HOST, DB_USER and DB_PASSWORD.',
    );
  }
}

/**
 * Plain `environment` values are written into the task definition (and the template) in clear text. The contract's
 * secret variables are refused there; other names that look like secrets get a warning.
 */
function validatePlainEnvironment(scope: Construct, environment: { [key: string]: string }): void {
  for (const name of Object.keys(environment)) {
    if (SECRET_VARIABLES.includes(name)) {
      const from = CONTRACT_PROPS[name] ?? '`database` or `secrets`';
      throw new Error(
        `\`environment\` sets ${name}, a secret: plain environment values are written into the template and the ` +
          `task definition in clear text. Give it through ${from} (a Secrets Manager secret) instead.`,
      );
    }
    if (SECRET_LOOKING_NAME.test(name)) {
      Annotations.of(scope).addWarningV2(
        'pizza-constructs:service-plain-secret',
        `\`environment\` sets ${name}, whose name looks like a secret: plain environment values are written into ` +
          'the template in clear text. Pass it in `secrets` (ecs.Secret.fromSecretsManager) if it is one.',
      );
    }
  }
}

/** Throws unless `memory` is a size Fargate offers for `cpu`. */
function validateCpuMemory(cpu: number, memory: number): void {
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

/** The numbers from `from` to `to` (inclusive), `step` apart. */
function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) {
    values.push(v);
  }
  return values;
}

/** Memory sizes for an error message: listed when few, else as a range. */
function describeSizes(sizes: number[]): string {
  if (sizes.length <= 4) {
    return sizes.join(', ');
  }
  return `${sizes[0]} to ${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
}
