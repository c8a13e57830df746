import { RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Creates, in `scope`, the ECR repository CI pushes to: scanned on push, keeping the `maxImageCount` newest images. */
export function createServiceRepository(scope: Construct, maxImageCount: number): ecr.Repository {
  return new ecr.Repository(scope, 'Repository', {
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
}

/** Grants `grantee` the service roll, and with a `repository` the image push: see `PizzaService.grantDeploy`. */
export function grantServiceDeploy(
  grantee: iam.IGrantable,
  service: ecs.FargateService,
  repository: ecr.Repository | undefined,
): iam.Grant {
  let grant = iam.Grant.addToPrincipal({
    grantee,
    actions: ['ecs:UpdateService', 'ecs:DescribeServices'],
    resourceArns: [service.serviceArn],
  });
  if (repository) {
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
          resourceArns: [repository.repositoryArn],
        }),
      )
      .combine(iam.Grant.addToPrincipal({ grantee, actions: ['ecr:GetAuthorizationToken'], resourceArns: ['*'] }));
  }
  return grant;
}
