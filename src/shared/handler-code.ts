import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { CfnResource, Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/**
 * The library's custom resource handlers, each with the construct folder its source is in:
 * `src/<folder>/handlers/<name>.ts`, bundled at pre-compile into `assets/<folder>/handlers/<name>/index.js`
 * (the bundles are listed in .projenrc.ts).
 */
export const HANDLER_FOLDERS = {
  'desired-count': 'service',
  'asset-cleanup': 'frontend',
  'restore-guard': 'database',
  'validation-cleanup': 'dns',
  'database-pause': 'database',
  'oidc-provider': 'github',
  'host-record': 'service',
  'database-wake': 'database',
} as const;

/** The name of one of the library's custom resource handlers. */
export type HandlerName = keyof typeof HANDLER_FOLDERS;

const bundles = new Map<HandlerName, string>();

/**
 * The handler's bundle (`assets/<folder>/handlers/<name>/index.js`, the same path from `src/shared` and
 * `lib/shared`), inlined: no asset to upload, and the template shows what runs. The same bundle gives the same
 * template, so synth stays deterministic.
 */
export function handlerCode(name: HandlerName): lambda.Code {
  let code = bundles.get(name);
  if (code === undefined) {
    const file = join(__dirname, '..', '..', 'assets', HANDLER_FOLDERS[name], 'handlers', name, 'index.js');
    if (!existsSync(file)) {
      throw new Error(`The ${name} handler bundle is missing (${file}): run \`npx projen bundle\``);
    }
    code = readFileSync(file, 'utf-8');
    bundles.set(name, code);
  }
  return lambda.Code.fromInline(code);
}

/**
 * How long CloudFormation waits for aws-cdk-lib's own custom resources (BucketDeployment, auto-delete of bucket
 * objects, the cross-region certificate requestor) before it gives up: their handlers run for
 * at most 15 minutes, and without a `ServiceTimeout` a handler that dies without answering holds the stack an hour.
 */
export const AWS_CDK_CUSTOM_RESOURCE_TIMEOUT = Duration.minutes(15);

/**
 * Give every custom resource under `scope` that has no `ServiceTimeout` yet the one above (the library's own custom
 * resources set a shorter one themselves).
 */
export function boundCustomResources(scope: IConstruct, timeout: Duration = AWS_CDK_CUSTOM_RESOURCE_TIMEOUT): void {
  for (const child of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(child)) {
      continue;
    }
    const type = child.cfnResourceType;
    if (!type.startsWith('Custom::') && type !== 'AWS::CloudFormation::CustomResource') {
      continue;
    }
    const current = (child as unknown as { _cfnProperties?: Record<string, unknown> })._cfnProperties?.ServiceTimeout;
    if (current === undefined || Token.isUnresolved(current)) {
      child.addPropertyOverride('ServiceTimeout', timeout.toSeconds());
    }
  }
}
