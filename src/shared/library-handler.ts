import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HandlerName, handlerCode } from './handler-code';

/** A handler that makes a few AWS calls answers in seconds; the rest of the minute is for answering CloudFormation. */
const HANDLER_TIMEOUT = Duration.minutes(1);

/** CloudFormation gives up on such a resource after this (its default is an hour). */
const SERVICE_TIMEOUT = Duration.minutes(5);

export interface LibraryHandlerProps {
  /** The bundled handler (`src/<construct>/handlers/<handler>.ts`, see `HANDLER_FOLDERS`). */
  readonly handler: HandlerName;
  /** The function's description. */
  readonly description: string;
  /** The custom resource's type, `Custom::...`. */
  readonly resourceType: string;
  /** The custom resource's properties. */
  readonly properties: Record<string, unknown>;
  /** What the handler may do, beyond writing its own logs. */
  readonly statements: iam.PolicyStatement[];
  /**
   * The function's timeout.
   *
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;
  /**
   * How long CloudFormation waits for the custom resource's answer (the library keeps every one at 15 minutes or
   * less).
   *
   * @default Duration.minutes(5)
   */
  readonly serviceTimeout?: Duration;
  /**
   * The function's environment variables.
   *
   * @default - none
   */
  readonly environment?: Record<string, string>;
}

/**
 * One custom resource of the library backed by its own small function: an inlined handler, a role that may do only
 * `statements`, and a log group that goes with the stack.
 */
export class LibraryHandler extends Construct {
  public readonly function: lambda.Function;
  public readonly resource: CustomResource;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LibraryHandlerProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(role);
    for (const statement of props.statements) {
      role.addToPrincipalPolicy(statement);
    }
    this.function = new lambda.Function(this, 'Handler', {
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: handlerCode(props.handler),
      timeout: props.timeout ?? HANDLER_TIMEOUT,
      memorySize: 256,
      role,
      environment: props.environment,
      logGroup: this.logGroup,
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: props.resourceType,
      serviceTimeout: props.serviceTimeout ?? SERVICE_TIMEOUT,
      properties: props.properties,
    });
  }
}
