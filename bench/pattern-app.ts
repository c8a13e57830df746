/**
 * The benchmark's baseline: the same architecture written the obvious way with aws-cdk-lib's own L2s and
 * `ApplicationLoadBalancedFargateService`, at the same task size (ARM64, 0.5 vCPU, 1 GB), with their defaults,
 * plus what the course architecture needs to tear down from code (an auto-emptied bucket and repository).
 */
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';

export function buildPatternApp(outdir: string): { app: App; stack: Stack } {
  const app = new App({ outdir });
  const stack = new Stack(app, 'JwtPizzaPattern', { env: { account: '123456789012', region: 'us-east-1' } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789ABC',
    zoneName: 'example.com',
  });
  const certificate = new acm.Certificate(stack, 'Certificate', {
    domainName: 'example.com',
    subjectAlternativeNames: ['*.example.com'],
    validation: acm.CertificateValidation.fromDns(zone),
  });

  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const database = new rds.DatabaseInstance(stack, 'Database', {
    engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    vpc,
    allocatedStorage: 20,
    credentials: rds.Credentials.fromGeneratedSecret('admin'),
  });

  const repository = new ecr.Repository(stack, 'Repository', {
    emptyOnDelete: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const service = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Service', {
    vpc,
    cpu: 512,
    memoryLimitMiB: 1024,
    runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 },
    taskImageOptions: {
      image: ecs.ContainerImage.fromEcrRepository(repository, 'latest'),
      containerPort: 80,
      secrets: {
        DB_PASSWORD: ecs.Secret.fromSecretsManager(database.secret!, 'password'),
      },
    },
    certificate,
    domainName: 'pizza-service.example.com',
    domainZone: zone,
    redirectHTTP: true,
    publicLoadBalancer: true,
  });
  database.connections.allowDefaultPortFrom(service.service);

  const bucket = new s3.Bucket(stack, 'Bucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });
  const distribution = new cloudfront.Distribution(stack, 'Distribution', {
    defaultBehavior: {
      origin: origins.S3BucketOrigin.withOriginAccessControl(bucket),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    },
    defaultRootObject: 'index.html',
    domainNames: ['pizza.example.com'],
    certificate,
    errorResponses: [403, 404].map((httpStatus) => ({
      httpStatus,
      responseHttpStatus: 200,
      responsePagePath: '/index.html',
    })),
  });
  new route53.ARecord(stack, 'SiteRecord', {
    zone,
    recordName: 'pizza',
    target: route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(distribution)),
  });
  new s3deploy.BucketDeployment(stack, 'Deploy', {
    sources: [s3deploy.Source.asset(path.join(__dirname, '..', 'examples', 'spa-dist'))],
    destinationBucket: bucket,
    distribution,
  });

  const github = new iam.Role(stack, 'GitHubRole', {
    assumedBy: new iam.WebIdentityPrincipal(
      `arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`,
      { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
    ),
  });
  bucket.grantReadWrite(github);
  distribution.grantCreateInvalidation(github);
  repository.grantPush(github);
  return { app, stack };
}
