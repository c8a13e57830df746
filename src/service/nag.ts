import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { acknowledgeLoadBalancerNag } from '../shared/load-balancer';
import { acknowledgeNag, NagAcknowledgment } from '../shared/nag';

/** The resources of a `PizzaService` that carry accepted cdk-nag findings, and the props that add findings. */
export interface ServiceNagTargets {
  /** The service's own load balancer and its security group (none when paused or shared). */
  readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
  readonly loadBalancerSecurityGroup?: ec2.SecurityGroup;
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** True when the service has its own ECR repository (its task role may get an ECR authorization token). */
  readonly hasOwnRepository: boolean;
  readonly factoryApiKeySecretName?: string;
  readonly enableExecuteCommand?: boolean;
  readonly pushDeadLetterQueue?: sqs.IQueue;
  /** The generated JWT secret, when none was given. */
  readonly ownJwtSecret?: secretsmanager.Secret;
}

/** Acknowledges, with their reasons, the cdk-nag findings a `PizzaService` accepts on its own resources. */
export function acknowledgeServiceNagFindings(targets: ServiceNagTargets): void {
  if (targets.loadBalancer && targets.loadBalancerSecurityGroup) {
    acknowledgeLoadBalancerNag(targets.loadBalancer, targets.loadBalancerSecurityGroup);
  }
  acknowledgeNag(targets.cluster, [
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
  if (targets.hasOwnRepository) {
    taskAcks.push({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource-level permission; AWS offers nothing narrower than *.',
    });
  }
  if (targets.factoryApiKeySecretName !== undefined) {
    taskAcks.push({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${targets.factoryApiKeySecretName}-??????]`,
      reason:
        'The factory API key secret is referenced by name; Secrets Manager appends a random six-character suffix ' +
        'to its ARN, which the -?????? wildcard matches and nothing else.',
    });
  }
  if (targets.enableExecuteCommand) {
    taskAcks.push({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ECS Exec needs ssmmessages channels, which have no resource-level permission (opt-in).',
    });
  }
  acknowledgeNag(targets.taskDefinition, taskAcks);
  if (targets.pushDeadLetterQueue) {
    acknowledgeNag(targets.pushDeadLetterQueue, [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself the dead-letter queue of the image push rule and its Lambda function; nothing ' +
          'consumes it, so it needs no dead-letter queue of its own.',
      },
    ]);
  }
  if (targets.ownJwtSecret) {
    acknowledgeNag(targets.ownJwtSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotating the JWT signing secret would log every user out and needs a rotation function; ECS reads it ' +
          'only at task start. Replace it by deploying a new secret if it leaks.',
      },
    ]);
  }
}
