import { Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, IConstruct } from 'constructs';
import { ASSETS_DIRECTORY } from './deployment';
import { acknowledgeNag, NagAcknowledgment, nagResourceText } from '../shared/nag';

/** Findings already acknowledged on each stack-level handler (aws-cdk-lib singletons shared by all frontends). */
const acknowledgedOnHandler = new WeakMap<IConstruct, Set<string>>();

/** The frontend's resources whose cdk-nag findings it acknowledges. */
export interface FrontendNagTargets {
  readonly bucket: s3.IBucket;
  readonly distribution: cloudfront.Distribution;
  readonly hasCustomDomain: boolean;
  readonly assetCleanupFunction?: lambda.Function;
  readonly assetDeployment?: s3deploy.BucketDeployment;
  readonly deployment?: s3deploy.BucketDeployment;
}

/** Acknowledge the cdk-nag findings the frontend accepts, with the reasons, on its resources and the stack's. */
export function acknowledgeFrontendNag(scope: Construct, targets: FrontendNagTargets): void {
  acknowledgeNag(targets.bucket.node.defaultChild!, [
    {
      id: 'AwsSolutions-S1',
      reason:
        'The bucket is private and read only by CloudFront through origin access control; a server access log ' +
        'bucket would only repeat what CloudFront metrics already show, for a second bucket per site.',
    },
  ]);
  acknowledgeNag(targets.distribution.node.defaultChild!, [
    {
      id: 'AwsSolutions-CFR1',
      reason: 'JWT Pizza is a public site for everyone; there is no country to block.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason:
        'A static SPA from a private bucket has no server-side attack surface a WAF rule would protect, and a ' +
        'web ACL costs money every month (the course deliberately runs without one).',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason:
        'Standard access logs need an extra ACL-enabled log bucket; CloudFront metrics cover what this site needs.',
    },
    ...(targets.hasCustomDomain
      ? []
      : [
          {
            id: 'AwsSolutions-CFR4',
            reason:
              'Without `dns` the site is served on the *.cloudfront.net name, whose CloudFront default certificate ' +
              'fixes the TLS policy; give the frontend a PizzaDns to serve TLSv1.2_2021 on its own certificate.',
          },
        ]),
  ]);
  const bucketObjects = nagResourceText(scope, targets.bucket.arnForObjects('*'));
  const assetObjects = nagResourceText(scope, targets.bucket.arnForObjects(`${ASSETS_DIRECTORY}/*`));
  const cleanupRole = targets.assetCleanupFunction?.role;
  if (cleanupRole && assetObjects) {
    acknowledgeNag(cleanupRole, [
      {
        id: `AwsSolutions-IAM5[Resource::${assetObjects}]`,
        reason:
          'The cleanup reads, tags and deletes files under assets/, whose content-hashed names are not known ' +
          'before the build; it is limited to that prefix.',
      },
    ]);
  }
  const deployments = [targets.assetDeployment, targets.deployment].filter((d) => d !== undefined);
  if (deployments.length > 0) {
    acknowledgeDeploymentHandler(scope, deployments, bucketObjects);
  }
}

/**
 * aws-cdk-lib's BucketDeployment handler is one Lambda function per stack (a singleton at the stack's top, whose id
 * starts with `Custom::CDKBucketDeployment`); its role gets aws-cdk-lib's grants for each deployment.
 */
function acknowledgeDeploymentHandler(
  scope: Construct,
  deployments: s3deploy.BucketDeployment[],
  bucketObjects?: string,
): void {
  const stack = Stack.of(scope);
  const handlers = stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  // the files come from the CDK asset bucket (the stack synthesizer's), named after account, region and qualifier
  const sourceObjects = new Set<string>();
  for (const asset of deployments.flatMap((d) => d.node.findAll()).filter((c) => c instanceof s3assets.Asset)) {
    // the ARN as aws-cdk-lib builds it for the imported asset bucket (the partition may be literal, e.g. "aws")
    const bucketArn = stack.formatArn({
      service: 's3',
      region: '',
      account: '',
      resource: (asset as s3assets.Asset).s3BucketName,
    });
    const text = nagResourceText(scope, `${bucketArn}/*`);
    if (text) {
      sourceObjects.add(text);
    }
  }
  const perFrontend: NagAcknowledgment[] = [
    ...(bucketObjects
      ? [
          {
            id: `AwsSolutions-IAM5[Resource::${bucketObjects}]`,
            reason:
              "aws-cdk-lib's BucketDeployment handler syncs the whole site into this frontend's bucket, whose " +
              'file names are only known at build time.',
          },
        ]
      : []),
    ...[...sourceObjects].map((objects) => ({
      id: `AwsSolutions-IAM5[Resource::${objects}]`,
      reason:
        "aws-cdk-lib's BucketDeployment handler reads the zipped site from the CDK asset bucket, where asset " +
        'object names are content hashes.',
    })),
  ];
  const perStack: NagAcknowledgment[] = [
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "The deployment handler is aws-cdk-lib's own custom resource; the managed policy only lets it log.",
    },
    {
      id: 'AwsSolutions-L1',
      reason: "The runtime of aws-cdk-lib's BucketDeployment handler is chosen by aws-cdk-lib, not here.",
    },
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason:
        "aws-cdk-lib's BucketDeployment grants its handler the bucket's standard read/write action groups; it " +
        'needs them to sync and prune, and the grant is scoped to the asset bucket and the frontend bucket.',
    })),
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "aws-cdk-lib's BucketDeployment grants its handler cloudfront:CreateInvalidation and GetInvalidation on " +
        '"*" (the only wildcard resource in its policy), to invalidate the distribution after an upload.',
    },
  ];
  for (const handler of handlers) {
    const done = acknowledgedOnHandler.get(handler) ?? new Set<string>();
    acknowledgedOnHandler.set(handler, done);
    const fresh = [...perFrontend, ...perStack].filter((a) => !done.has(a.id));
    fresh.forEach((a) => done.add(a.id));
    acknowledgeNag(handler, fresh);
  }
}
