import { App, CfnParameter, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { nagFindings } from './nag';
import {
  PizzaDatabase,
  PizzaDns,
  PizzaFrontend,
  PizzaHostRecordType,
  PizzaLoadBalancer,
  PizzaService,
  PizzaServiceProps,
} from '../src';

const ENV = { account: '123456789012', region: 'us-east-1' };

function newStack(id = 'Test', app = new App()): Stack {
  return new Stack(app, id, { env: ENV });
}

function newDns(stack: Stack): PizzaDns {
  return new PizzaDns(stack, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
}

/** The single resource of `type`, with its logical id. */
function only(template: Template, type: string): { id: string; resource: any } {
  const found = template.findResources(type);
  const ids = Object.keys(found);
  expect(ids).toHaveLength(1);
  return { id: ids[0], resource: found[ids[0]] };
}

function container(template: Template): any {
  return only(template, 'AWS::ECS::TaskDefinition').resource.Properties.ContainerDefinitions[0];
}

function environmentOf(template: Template): Record<string, unknown> {
  return Object.fromEntries((container(template).Environment ?? []).map((e: any) => [e.Name, e.Value]));
}

function secretsOf(template: Template): Record<string, unknown> {
  return Object.fromEntries((container(template).Secrets ?? []).map((e: any) => [e.Name, e.ValueFrom]));
}

describe('PizzaService', () => {
  describe('with no props', () => {
    let stack: Stack;
    let service: PizzaService;
    let template: Template;
    beforeAll(() => {
      stack = newStack();
      service = new PizzaService(stack, 'Service');
      template = Template.fromStack(stack);
    });

    test('creates a lean VPC: 2 AZs, public and isolated subnets, no NAT gateway, EIP or endpoint', () => {
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.resourceCountIs('AWS::EC2::Subnet', 4);
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.resourceCountIs('AWS::EC2::EIP', 0);
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
      template.resourceCountIs('AWS::EC2::InternetGateway', 1);
      const subnets = Object.values(template.findResources('AWS::EC2::Subnet'));
      const kinds = subnets.map((s: any) => s.Properties.Tags.find((t: any) => t.Key === 'aws-cdk:subnet-type').Value);
      expect(kinds.sort()).toEqual(['Isolated', 'Isolated', 'Public', 'Public']);
      expect(new Set(subnets.map((s: any) => s.Properties.AvailabilityZone)).size).toBe(2);
    });

    test('logs rejected VPC traffic for a month and removes the log with the stack', () => {
      template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', ResourceType: 'VPC' });
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 30 },
        DeletionPolicy: 'Delete',
      });
    });

    test('creates a repository that keeps the last 10 images, scans on push and is emptied on delete', () => {
      const { resource } = only(template, 'AWS::ECR::Repository');
      expect(resource.DeletionPolicy).toBe('Delete');
      expect(resource.Properties.EmptyOnDelete).toBe(true);
      expect(resource.Properties.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
      expect(resource.Properties.RepositoryName).toBeUndefined();
      expect(JSON.parse(resource.Properties.LifecyclePolicy.LifecyclePolicyText)).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: 'Keep the 10 most recent images',
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 },
            action: { type: 'expire' },
          },
        ],
      });
      expect(service.repository).toBeDefined();
      expect(service.hasRepository).toBe(true);
    });

    test('keeps a stable logical id for the repository', () => {
      expect(only(template, 'AWS::ECR::Repository').id).toBe('ServiceRepositoryB5DB2931');
    });

    test('runs the repository image at :latest on ARM64 with 512 CPU units and 1024 MiB', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '512',
        Memory: '1024',
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      });
      const c = container(template);
      expect(c.Name).toBe('jwt-pizza-service');
      expect(c.PortMappings).toEqual([{ ContainerPort: 80, Protocol: 'tcp' }]);
      expect(JSON.stringify(c.Image)).toContain(only(template, 'AWS::ECR::Repository').id);
      expect(JSON.stringify(c.Image)).toContain(':latest');
      expect(c.LogConfiguration.LogDriver).toBe('awslogs');
    });

    test('logs the container for one month into a log group removed with the stack', () => {
      const c = container(template);
      const logGroupId = c.LogConfiguration.Options['awslogs-group'].Ref;
      const logGroup = template.toJSON().Resources[logGroupId];
      expect(logGroup.Properties.RetentionInDays).toBe(30);
      expect(logGroup.DeletionPolicy).toBe('Delete');
    });

    test('deploys with a circuit breaker that rolls back, 100 % minimum and 200 % maximum healthy', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
        }),
        CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
        EnableExecuteCommand: false,
      });
    });

    test('runs the tasks in the public subnets', () => {
      const subnets = only(template, 'AWS::ECS::Service').resource.Properties.NetworkConfiguration.AwsvpcConfiguration
        .Subnets;
      expect(subnets.map((s: any) => s.Ref)).toEqual([
        expect.stringMatching(/^ServiceVpcPublicSubnet1/),
        expect.stringMatching(/^ServiceVpcPublicSubnet2/),
      ]);
    });

    test('creates the service after the cluster accepts the Fargate capacity providers', () => {
      const association = only(template, 'AWS::ECS::ClusterCapacityProviderAssociations');
      expect(association.resource.Properties.CapacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT']);
      expect(only(template, 'AWS::ECS::Service').resource.DependsOn).toContain(association.id);
    });

    test('takes its desired count from a custom resource, so a first deploy with an empty repository completes', () => {
      const cr = only(template, 'Custom::PizzaServiceDesiredCount');
      expect(only(template, 'AWS::ECS::Service').resource.Properties.DesiredCount).toEqual({
        'Fn::GetAtt': [cr.id, 'DesiredCount'],
      });
      expect(Object.keys(cr.resource.Properties).sort()).toEqual(['Service', 'ServiceTimeout', 'ServiceToken']);
      expect(cr.resource.Properties.ServiceTimeout).toBe('300');
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Environment: {
          Variables: Match.objectLike({ SERVICE: 'jwt-pizza-service', IMAGE_TAG: 'latest', MIN_CAPACITY: '1' }),
        },
      });
    });

    test('reads the desired count again on every deploy that changes the service: it carries all its properties', () => {
      // whatever CloudFormation would change on the service (a replaced secret gives a new task definition revision,
      // a restore a new DB_HOST, stack tags new Tags) changes this resource's properties first, resolved by
      // CloudFormation itself, so the count is read again exactly when the service is updated
      const carried = (build: (stack: Stack) => void) => {
        const app = new App();
        const s = new Stack(app, 'Watched', { env: { account: '123456789012', region: 'us-east-1' } });
        build(s);
        const t = Template.fromStack(s);
        const serviceProperties = { ...only(t, 'AWS::ECS::Service').resource.Properties };
        delete serviceProperties.DesiredCount;
        const properties = only(t, 'Custom::PizzaServiceDesiredCount').resource.Properties;
        expect(properties.Service).toEqual(serviceProperties);
        return properties;
      };
      const jwtSecret = (s: Stack, id: string) => new secretsmanager.Secret(s, id);
      const base = carried((s) => new PizzaService(s, 'Service', { jwtSecret: jwtSecret(s, 'Jwt') }));
      expect(base.Service.TaskDefinition).toEqual({ Ref: expect.stringMatching(/^ServiceTaskDefinition/) });
      expect(base.Service.LoadBalancers).toHaveLength(1);
      // the same app twice: the same template (synth stays deterministic)
      expect(carried((s) => new PizzaService(s, 'Service', { jwtSecret: jwtSecret(s, 'Jwt') }))).toEqual(base);
      // stack tags, from the stack or from Tags.of(app): on the service, and on this resource
      const tagged = carried((s) => {
        Tags.of(s).add('course', 'cs329');
        new PizzaService(s, 'Service');
      });
      expect(tagged.Service.Tags).toEqual([{ Key: 'course', Value: 'cs329' }]);
      expect(tagged.StackTags).toEqual([{ Key: 'course', Value: 'cs329' }]);
      // an escape-hatch override on the service changes it too
      const overridden = carried((s) => {
        const pizza = new PizzaService(s, 'Service');
        (pizza.service.node.defaultChild as ecs.CfnService).addPropertyOverride('EnableECSManagedTags', true);
        (pizza.service.node.defaultChild as ecs.CfnService).addPropertyOverride(
          'DeploymentConfiguration.BakeTimeInMinutes',
          0,
        );
      });
      expect(overridden.Service.EnableECSManagedTags).toBe(true);
      expect(overridden.Service.DeploymentConfiguration.BakeTimeInMinutes).toBe(0);
      expect(overridden.Service.DeploymentConfiguration.MinimumHealthyPercent).toBe(100);
      // a database in the same stack: a restore replaces it, and DB_HOST comes from its endpoint
      carried((s) => new PizzaService(s, 'Service', { database: new PizzaDatabase(s, 'Database') }));
      // a database (and so the VPC and subnets) in another stack: the references are imports here as well
      const imported = carried((s) => {
        const data = new Stack(s.node.root as App, 'Data', { env: { account: '123456789012', region: 'us-east-1' } });
        new PizzaService(s, 'Service', { database: new PizzaDatabase(data, 'Database') });
      });
      expect(imported.Service.NetworkConfiguration.AwsvpcConfiguration.Subnets[0]).toEqual({
        'Fn::ImportValue': expect.stringMatching(/^Data:ExportsOutputRefDatabaseVpcPublicSubnet1/),
      });
    });

    test('lets autoscaling raise the service to its minimum, on CPU between 1 and 4 tasks', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 1,
        MaxCapacity: 4,
        ScalableDimension: 'ecs:service:DesiredCount',
      });
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 1);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 60,
        }),
      });
    });

    test('starts the service on the first push of its tag', () => {
      const rule = only(template, 'AWS::Events::Rule').resource.Properties;
      expect(rule.EventPattern).toEqual({
        source: ['aws.ecr'],
        'detail-type': ['ECR Image Action'],
        detail: {
          'action-type': ['PUSH'],
          result: ['SUCCESS'],
          'repository-name': [{ Ref: only(template, 'AWS::ECR::Repository').id }],
          'image-tag': ['latest'],
        },
      });
      expect(rule.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [only(template, 'AWS::Lambda::Function').id, 'Arn'] });
    });

    test('keeps a push whose start failed every retry in a dead-letter queue, not in the void', () => {
      const queue = only(template, 'AWS::SQS::Queue');
      expect(queue.resource.Properties).toMatchObject({ MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true });
      expect(stack.resolve(service.pushDeadLetterQueue!.queueArn)).toEqual({ 'Fn::GetAtt': [queue.id, 'Arn'] });
      const target = only(template, 'AWS::Events::Rule').resource.Properties.Targets[0];
      expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 });
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queue.id, 'Arn'] } });
      // a start that fails inside the function (Lambda's own two retries) ends up there too
      expect(only(template, 'AWS::Lambda::Function').resource.Properties.DeadLetterConfig).toEqual({
        TargetArn: { 'Fn::GetAtt': [queue.id, 'Arn'] },
      });
    });

    test('runs the bundled handler inline, and gives every custom resource a service timeout of minutes', () => {
      const code = only(template, 'AWS::Lambda::Function').resource.Properties.Code.ZipFile;
      expect(code).toContain('// src/private/handlers/desired-count.ts');
      expect(code).toContain('handler: () => handler');
      const customResources = Object.values(template.toJSON().Resources as Record<string, any>).filter(
        (r) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource',
      );
      // the desired count (the repository empties itself on delete: ECR's own EmptyOnDelete)
      expect(customResources.map((r) => r.Type)).toEqual(['Custom::PizzaServiceDesiredCount']);
      expect(only(template, 'AWS::ECR::Repository').resource.Properties.EmptyOnDelete).toBe(true);
      for (const r of customResources) {
        expect(Number(r.Properties.ServiceTimeout)).toBeLessThanOrEqual(900);
      }
    });

    test('lets the desired-count function read and update only its service and read only its repository', () => {
      const fn = only(template, 'AWS::Lambda::Function').resource;
      const roleId = fn.Properties.Role['Fn::GetAtt'][0];
      const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
        p.Properties.Roles.some((r: any) => r.Ref === roleId),
      );
      expect(policies).toHaveLength(1);
      const statements = (policies[0] as any).Properties.PolicyDocument.Statement;
      expect(statements).toEqual([
        { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: expect.anything() },
        {
          Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
          Effect: 'Allow',
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':ecs:us-east-1:123456789012:service/',
                { Ref: only(template, 'AWS::ECS::Cluster').id },
                '/jwt-pizza-service',
              ],
            ],
          },
        },
        {
          Action: 'ecr:DescribeImages',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [only(template, 'AWS::ECR::Repository').id, 'Arn'] },
        },
        // Lambda puts a push event whose start failed into the dead-letter queue
        {
          Action: 'sqs:SendMessage',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [only(template, 'AWS::SQS::Queue').id, 'Arn'] },
        },
      ]);
      const role = template.toJSON().Resources[roleId];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });

    test('serves HTTP on the load balancer name, and warns that there is no HTTPS', () => {
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [
          { Type: 'forward', TargetGroupArn: { Ref: only(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').id } },
        ],
      });
      template.resourceCountIs('AWS::Route53::RecordSet', 0);
      expect(stack.resolve(service.url)).toEqual({
        'Fn::Join': [
          '',
          ['http://', { 'Fn::GetAtt': [only(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').id, 'DNSName'] }],
        ],
      });
      Annotations.fromStack(stack).hasWarning('/Test/Service', Match.stringLikeRegexp('plain HTTP'));
    });

    test('runs an internet-facing, dual-stack load balancer that drops invalid header fields', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        IpAddressType: 'dualstack',
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        ]),
      });
    });

    test('health-checks / every 5 s, healthy after 2 checks, and drains for 10 s: 20 s of rollout overhead', () => {
      const tg = only(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').resource.Properties;
      expect(tg).toMatchObject({
        TargetType: 'ip',
        Protocol: 'HTTP',
        Port: 80,
        HealthCheckPath: '/',
        HealthCheckIntervalSeconds: 5,
        HealthCheckTimeoutSeconds: 4,
        HealthyThresholdCount: 2,
        Matcher: { HttpCode: '200' },
      });
      const drain = Number(
        tg.TargetGroupAttributes.find((a: any) => a.Key === 'deregistration_delay.timeout_seconds').Value,
      );
      const overhead = tg.HealthCheckIntervalSeconds * tg.HealthyThresholdCount + drain;
      expect(tg.HealthCheckIntervalSeconds).toBeLessThanOrEqual(10);
      expect(drain).toBeLessThanOrEqual(30);
      expect(overhead).toBe(20);
    });

    test('chains the security groups: world → load balancer (80) → tasks (container port) only', () => {
      const groups = template.findResources('AWS::EC2::SecurityGroup');
      const lbSg = Object.keys(groups).find((id) => id.startsWith('ServiceLoadBalancerSecurityGroup'))!;
      const taskSg = Object.keys(groups).find((id) => id.startsWith('ServiceServiceSecurityGroup'))!;
      expect(groups[lbSg].Properties.SecurityGroupIngress).toEqual([
        expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80, IpProtocol: 'tcp' }),
        expect.objectContaining({ CidrIpv6: '::/0', FromPort: 80, ToPort: 80, IpProtocol: 'tcp' }),
      ]);
      expect(groups[taskSg].Properties.SecurityGroupIngress).toBeUndefined();
      const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'));
      expect(ingress).toHaveLength(1);
      expect((ingress[0] as any).Properties).toMatchObject({
        GroupId: { 'Fn::GetAtt': [taskSg, 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [lbSg, 'GroupId'] },
        FromPort: 80,
        ToPort: 80,
      });
      const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'));
      expect(egress).toHaveLength(1);
      expect((egress[0] as any).Properties).toMatchObject({
        GroupId: { 'Fn::GetAtt': [lbSg, 'GroupId'] },
        DestinationSecurityGroupId: { 'Fn::GetAtt': [taskSg, 'GroupId'] },
        FromPort: 80,
      });
    });

    test('passes PORT and FACTORY_URL as environment and JWT_SECRET from a generated secret', () => {
      expect(environmentOf(template)).toEqual({ PORT: '80', FACTORY_URL: 'https://pizza-factory.cs329.click' });
      const secret = only(template, 'AWS::SecretsManager::Secret');
      expect(secretsOf(template)).toEqual({ JWT_SECRET: { Ref: secret.id } });
      expect(secret.resource.Properties.GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true });
      expect(secret.resource.DeletionPolicy).toBe('Delete');
      expect(stack.resolve(service.jwtSecret.secretArn)).toEqual({ Ref: secret.id });
    });

    test('puts no secret value in the template', () => {
      const json = JSON.stringify(template.toJSON());
      expect(json).not.toMatch(/SecretString"\s*:\s*"/);
      for (const name of Object.keys(environmentOf(template))) {
        expect(['PORT', 'FACTORY_URL']).toContain(name);
      }
    });

    test('warns that there is no factory API key and no database', () => {
      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/Test/Service', Match.stringLikeRegexp('no `factoryApiKeySecretName`'));
      annotations.hasWarning('/Test/Service', Match.stringLikeRegexp('no `database`'));
    });

    test('implements IConnectable with the tasks', () => {
      expect(service.connections.securityGroups).toHaveLength(1);
    });

    test('is clean under cdk-nag AwsSolutions', () => {
      expect(nagFindings(stack)).toEqual([]);
    });
  });

  describe('with dns', () => {
    let stack: Stack;
    let service: PizzaService;
    let template: Template;
    beforeAll(() => {
      stack = newStack();
      service = new PizzaService(stack, 'Service', { dns: newDns(stack), factoryApiKeySecretName: 'pizza/key' });
      template = Template.fromStack(stack);
    });

    test('serves HTTPS on 443 with the domain certificate and ELBSecurityPolicy-TLS13-1-2-2021-06', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: { Ref: only(template, 'AWS::CertificateManager::Certificate').id } }],
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        DefaultActions: [Match.objectLike({ Type: 'forward' })],
      });
    });

    test('answers HTTP on 80 with a permanent redirect to HTTPS', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
      });
      expect(service.redirectListener).toBeDefined();
    });

    test('points a CNAME pizza-service.example.com at the load balancer (what the course grader resolves)', () => {
      const records = template.findResources('AWS::Route53::RecordSet', {
        Properties: { Name: 'pizza-service.example.com.' },
      });
      expect(Object.values(records).map((r: any) => r.Properties)).toEqual([
        {
          Name: 'pizza-service.example.com.',
          Type: 'CNAME',
          HostedZoneId: 'Z0123456789ABC',
          TTL: '60',
          ResourceRecords: [{ 'Fn::GetAtt': [expect.stringMatching(/^ServiceLoadBalancer/), 'DNSName'] }],
        },
      ]);
      expect(Object.keys(records)).toEqual([expect.stringMatching(/^ServiceHostRecord/)]);
      expect(service.url).toBe('https://pizza-service.example.com');
      expect(service.domainName).toBe('pizza-service.example.com');
    });

    test('the CNAME is created after the room-maker, which may delete only this name, in this zone', () => {
      const [roomId] = Object.keys(template.findResources('Custom::PizzaHostRecordRoom'));
      template.hasResourceProperties('Custom::PizzaHostRecordRoom', {
        HostedZoneId: 'Z0123456789ABC',
        RecordName: 'pizza-service.example.com',
        Keep: 'CNAME',
      });
      const [record] = Object.values(
        template.findResources('AWS::Route53::RecordSet', { Properties: { Name: 'pizza-service.example.com.' } }),
      ) as any[];
      expect(record.DependsOn).toContain(roomId);
      const change = Object.values(template.findResources('AWS::IAM::Policy'))
        .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
        .find((st: any) => st.Action === 'route53:ChangeResourceRecordSets');
      expect(change.Condition).toEqual({
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['pizza-service.example.com'],
          'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'],
        },
      });
    });

    test('a domain from a CfnParameter reaches the room-maker and its IAM condition as the token it is', () => {
      const tokenStack = newStack();
      const domain = new CfnParameter(tokenStack, 'Domain', { type: 'String' }).valueAsString;
      const dns = new PizzaDns(tokenStack, 'Dns', { domainName: domain, hostedZoneId: 'Z0123456789ABC' });
      new PizzaService(tokenStack, 'Service', { dns, factoryApiKeySecretName: 'pizza/key' });
      const tokenTemplate = Template.fromStack(tokenStack);
      const expected = { 'Fn::Join': ['', ['pizza-service.', { Ref: 'Domain' }]] };
      tokenTemplate.hasResourceProperties('Custom::PizzaHostRecordRoom', { RecordName: expected });
      const change = Object.values(tokenTemplate.findResources('AWS::IAM::Policy'))
        .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
        .find((st: any) => st.Action === 'route53:ChangeResourceRecordSets');
      expect(
        change.Condition['ForAllValues:StringEquals']['route53:ChangeResourceRecordSetsNormalizedRecordNames'],
      ).toEqual([expected]);
    });

    test('hostRecordType ALIAS: A and AAAA alias records (the logical ids of earlier releases), after their own room-maker', () => {
      const aliasStack = newStack();
      new PizzaService(aliasStack, 'Service', {
        dns: newDns(aliasStack),
        factoryApiKeySecretName: 'pizza/key',
        hostRecordType: PizzaHostRecordType.ALIAS,
      });
      const aliasTemplate = Template.fromStack(aliasStack);
      const records = aliasTemplate.findResources('AWS::Route53::RecordSet', {
        Properties: { Name: 'pizza-service.example.com.' },
      });
      expect(Object.keys(records).sort()).toEqual([
        expect.stringMatching(/^ServiceAliasRecord[0-9A-F]{8}$/),
        expect.stringMatching(/^ServiceAliasRecordIpv6/),
      ]);
      for (const record of Object.values(records) as any[]) {
        expect(['A', 'AAAA']).toContain(record.Properties.Type);
        expect(record.Properties.AliasTarget.DNSName['Fn::Join'][1]).toContain('dualstack.');
      }
      aliasTemplate.hasResourceProperties('Custom::PizzaHostRecordRoom', { Keep: 'ALIAS' });
      aliasTemplate.resourceCountIs('Custom::PizzaHostRecordRoom', 1);
    });

    test('admits 443 and 80 from anywhere on the load balancer', () => {
      const groups = template.findResources('AWS::EC2::SecurityGroup');
      const lbSg = Object.keys(groups).find((id) => id.startsWith('ServiceLoadBalancerSecurityGroup'))!;
      const ports = groups[lbSg].Properties.SecurityGroupIngress.map(
        (r: any) => `${r.CidrIp ?? r.CidrIpv6}:${r.FromPort}`,
      );
      expect(ports.sort()).toEqual(['0.0.0.0/0:443', '0.0.0.0/0:80', '::/0:443', '::/0:80']);
    });

    test('passes FACTORY_API_KEY from the named secret, never as plain text', () => {
      expect(secretsOf(template).FACTORY_API_KEY).toEqual({
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:us-east-1:123456789012:secret:pizza/key'],
        ],
      });
      expect(environmentOf(template).FACTORY_API_KEY).toBeUndefined();
      Annotations.fromStack(stack).hasNoWarning('/Test/Service', Match.stringLikeRegexp('factoryApiKeySecretName'));
    });

    test('is clean under cdk-nag AwsSolutions', () => {
      expect(nagFindings(stack)).toEqual([]);
    });

    test('lower-cases an upper-case subdomain: host name, record, certificate and URL', () => {
      const s = newStack();
      const svc = new PizzaService(s, 'Service', { dns: newDns(s), subdomain: 'Stage-Pizza-SERVICE' });
      expect(svc.domainName).toBe('stage-pizza-service.example.com');
      expect(svc.url).toBe('https://stage-pizza-service.example.com');
      const synthesized = Template.fromStack(s);
      synthesized.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'stage-pizza-service.example.com.' });
      synthesized.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'example.com',
        SubjectAlternativeNames: ['*.example.com'],
      });
      expect(JSON.stringify(template.toJSON())).not.toMatch(/Stage-Pizza|SERVICE\.example/);
    });

    test('on a shared load balancer, an upper-case subdomain is the lower-case host', () => {
      const s = newStack();
      const dns = newDns(s);
      const loadBalancer = new PizzaLoadBalancer(s, 'LoadBalancer', { dns });
      const svc = new PizzaService(s, 'Staging', { dns, loadBalancer, subdomain: 'Stage-Pizza-Service' });
      expect(svc.url).toBe('https://stage-pizza-service.example.com');
      Template.fromStack(s).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['stage-pizza-service.example.com'] } }],
      });
      expect(() => new PizzaService(s, 'Again', { dns, loadBalancer, subdomain: 'stage-pizza-service' })).toThrow(
        '`subdomain` "stage-pizza-service" (stage-pizza-service.example.com) is already used by Test/Staging on this PizzaDns; Test/Again needs another subdomain (e.g. "stage-stage-pizza-service")',
      );
    });

    test('uses another subdomain when asked', () => {
      const s = newStack();
      const svc = new PizzaService(s, 'Service', { dns: newDns(s), subdomain: 'stage-pizza-service' });
      expect(svc.url).toBe('https://stage-pizza-service.example.com');
      Template.fromStack(s).hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'stage-pizza-service.example.com.',
      });
    });
  });

  describe('with a database in the same stack', () => {
    let stack: Stack;
    let database: PizzaDatabase;
    let template: Template;
    beforeAll(() => {
      stack = newStack();
      database = new PizzaDatabase(stack, 'Database');
      new PizzaService(stack, 'Service', { database });
      template = Template.fromStack(stack);
    });

    test('health-checks the menu, which reads the database: a task whose database never initialised is replaced', () => {
      expect(only(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').resource.Properties).toMatchObject({
        HealthCheckPath: '/api/order/menu',
        Matcher: { HttpCode: '200' },
      });
    });

    test("runs in the database's VPC", () => {
      template.resourceCountIs('AWS::EC2::VPC', 1);
      expect(only(template, 'AWS::EC2::VPC').id).toMatch(/^DatabaseVpc/);
    });

    test('passes DB_HOST, DB_PORT and DB_NAME as environment and DB_USER, DB_PASSWORD as secrets', () => {
      const instance = only(template, 'AWS::RDS::DBInstance').id;
      expect(environmentOf(template)).toMatchObject({
        DB_HOST: { 'Fn::GetAtt': [instance, 'Endpoint.Address'] },
        DB_PORT: '3306',
        DB_NAME: 'pizza',
      });
      const attachment = only(template, 'AWS::SecretsManager::SecretTargetAttachment').id;
      expect(secretsOf(template)).toMatchObject({
        DB_USER: { 'Fn::Join': ['', [{ Ref: attachment }, ':username::']] },
        DB_PASSWORD: { 'Fn::Join': ['', [{ Ref: attachment }, ':password::']] },
      });
      expect(JSON.stringify(environmentOf(template))).not.toMatch(/password/i);
    });

    test('opens the database port to the tasks only', () => {
      const dbSg = only(template, 'AWS::RDS::DBInstance').resource.Properties.VPCSecurityGroups[0]['Fn::GetAtt'][0];
      const rules = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
        .map((r: any) => r.Properties)
        .filter((p: any) => p.GroupId['Fn::GetAtt']?.[0] === dbSg);
      expect(rules).toEqual([
        expect.objectContaining({
          FromPort: 3306,
          ToPort: 3306,
          SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^ServiceServiceSecurityGroup/), 'GroupId'] },
        }),
      ]);
      const group = template.toJSON().Resources[dbSg].Properties;
      expect(group.SecurityGroupIngress).toBeUndefined();
    });

    test('does not warn about a missing database', () => {
      Annotations.fromStack(stack).hasNoWarning('/Test/Service', Match.stringLikeRegexp('no `database`'));
    });

    test('is clean under cdk-nag AwsSolutions', () => {
      expect(nagFindings(stack)).toEqual([]);
    });

    test('uses the port the database was given', () => {
      const s = newStack();
      const db = new PizzaDatabase(s, 'Database', { port: 3307 });
      new PizzaService(s, 'Service', { database: db });
      const t = Template.fromStack(s);
      expect(environmentOf(t).DB_PORT).toBe('3307');
      t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 3307, ToPort: 3307 });
    });
  });

  describe('with the database in its own stack', () => {
    let app: App;
    let data: Stack;
    let compute: Stack;
    beforeAll(() => {
      app = new App();
      data = newStack('Data', app);
      compute = newStack('Compute', app);
      const database = new PizzaDatabase(data, 'Database');
      new PizzaService(compute, 'Service', { database });
    });

    test('makes the service stack depend on the data stack, never the other way', () => {
      const assembly = app.synth();
      const deps = (name: string) => assembly.getStackByName(name).dependencies.map((d) => d.id);
      expect(deps('Compute')).toContain('Data');
      expect(deps('Data')).not.toContain('Compute');
      expect(JSON.stringify(Template.fromStack(data).toJSON())).not.toContain('Fn::ImportValue');
    });

    test('keeps every stateful resource in the data stack: destroying the service stack leaves the data', () => {
      const dataTemplate = Template.fromStack(data);
      const computeTemplate = Template.fromStack(compute);
      dataTemplate.resourceCountIs('AWS::RDS::DBInstance', 1);
      computeTemplate.resourceCountIs('AWS::RDS::DBInstance', 0);
      computeTemplate.resourceCountIs('AWS::EC2::VPC', 0);
      dataTemplate.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot' });
    });

    test('creates the database ingress rule in the service stack', () => {
      const rules = Object.values(Template.fromStack(compute).findResources('AWS::EC2::SecurityGroupIngress')).map(
        (r: any) => r.Properties,
      );
      expect(rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ FromPort: 3306, GroupId: { 'Fn::ImportValue': expect.stringContaining('Data:') } }),
        ]),
      );
      Template.fromStack(data).resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    test('reads DB_HOST and DB_PORT from the database secret, so no endpoint export blocks a restore', () => {
      const secrets = secretsOf(Template.fromStack(compute));
      expect(Object.keys(secrets).sort()).toEqual(['DB_HOST', 'DB_PASSWORD', 'DB_PORT', 'DB_USER', 'JWT_SECRET']);
      expect(JSON.stringify(secrets.DB_HOST)).toContain(':host::');
      expect(JSON.stringify(secrets.DB_PORT)).toContain(':port::');
      const outputs = JSON.stringify(Template.fromStack(data).toJSON().Outputs);
      expect(outputs).not.toContain('Endpoint');
      expect(environmentOf(Template.fromStack(compute)).DB_NAME).toBe('pizza');
    });

    test('is clean under cdk-nag AwsSolutions', () => {
      expect(nagFindings(data)).toEqual([]);
      expect(nagFindings(compute)).toEqual([]);
    });
  });

  describe('options', () => {
    test('runs a given image with no repository and no desired-count resource, at minCapacity tasks', () => {
      const stack = newStack();
      const service = new PizzaService(stack, 'Service', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine'),
      });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ECR::Repository', 0);
      template.resourceCountIs('Custom::PizzaServiceDesiredCount', 0);
      template.resourceCountIs('AWS::Lambda::Function', 0);
      // rendered, so that a resume (from DesiredCount 0) starts the tasks within the deploy
      expect(only(template, 'AWS::ECS::Service').resource.Properties.DesiredCount).toBe(1);
      expect(container(template).Image).toBe('public.ecr.aws/nginx/nginx:stable-alpine');
      expect(service.hasRepository).toBe(false);
      expect(() => service.repository).toThrow(
        'PizzaService Test/Service has no repository: it runs the `image` it was given. Leave `image` unset for a repository that CI pushes to.',
      );
      expect(nagFindings(stack)).toEqual([]);
    });

    test('paused with its database in another stack: a note gives the two deploys that pause in the right order', () => {
      const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
      const data = newStack('Data', app);
      const compute = newStack('Compute', app);
      const database = new PizzaDatabase(data, 'Database', { paused: true });
      new PizzaService(compute, 'Service', { dns: newDns(compute), database, paused: true });
      Annotations.fromStack(compute).hasInfo(
        '/Compute/Service/Service',
        Match.stringLikeRegexp('deploys Data first.*`cdk deploy Compute --exclusively` with the service paused'),
      );
      // running, or in one stack, the order is right by itself: no note
      const app2 = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
      const data2 = newStack('Data', app2);
      const compute2 = newStack('Compute', app2);
      new PizzaService(compute2, 'Service', { dns: newDns(compute2), database: new PizzaDatabase(data2, 'Database') });
      Annotations.fromStack(compute2).hasNoInfo('/Compute/Service/Service', Match.anyValue());
    });

    test('a resumed image service renders DesiredCount minCapacity (paused renders 0)', () => {
      const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine');
      const count = (paused: boolean) => {
        const stack = newStack();
        new PizzaService(stack, 'Service', { dns: newDns(stack), image, paused, minCapacity: 2 });
        return only(Template.fromStack(stack), 'AWS::ECS::Service').resource.Properties.DesiredCount;
      };
      expect(count(true)).toBe(0);
      expect(count(false)).toBe(2);
    });

    test('warns that imageTag and maxImageCount are ignored with an image', () => {
      const stack = newStack();
      new PizzaService(stack, 'Service', { image: ecs.ContainerImage.fromRegistry('nginx'), imageTag: 'v1' });
      Annotations.fromStack(stack).hasWarning(
        '/Test/Service',
        Match.stringLikeRegexp('`imageTag` and `maxImageCount`'),
      );
    });

    test('uses the given tag and image count', () => {
      const stack = newStack();
      new PizzaService(stack, 'Service', { imageTag: 'v2', maxImageCount: 3 });
      const template = Template.fromStack(stack);
      expect(JSON.stringify(container(template).Image)).toContain(':v2');
      const policy = JSON.parse(
        only(template, 'AWS::ECR::Repository').resource.Properties.LifecyclePolicy.LifecyclePolicyText,
      );
      expect(policy.rules[0].selection.countNumber).toBe(3);
      expect(only(template, 'AWS::Events::Rule').resource.Properties.EventPattern.detail['image-tag']).toEqual(['v2']);
    });

    test('sizes and places the task as asked', () => {
      const stack = newStack();
      new PizzaService(stack, 'Service', {
        cpu: 1024,
        memoryLimitMiB: 3072,
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        containerPort: 3000,
        healthCheckPath: '/api/docs',
        logRetention: logs.RetentionDays.ONE_WEEK,
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '1024',
        Memory: '3072',
        RuntimePlatform: Match.objectLike({ CpuArchitecture: 'X86_64' }),
      });
      expect(container(template).PortMappings).toEqual([{ ContainerPort: 3000, Protocol: 'tcp' }]);
      expect(environmentOf(template).PORT).toBe('3000');
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: 3000,
        HealthCheckPath: '/api/docs',
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 3000, ToPort: 3000 });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    });

    test.each([ecs.CpuArchitecture.ARM64, ecs.CpuArchitecture.X86_64])(
      'runs on Fargate Spot when asked (%s)',
      (arch) => {
        const stack = newStack();
        new PizzaService(stack, 'Service', { spot: true, cpuArchitecture: arch });
        const template = Template.fromStack(stack);
        template.hasResourceProperties('AWS::ECS::Service', {
          CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
        });
        template.hasResourceProperties('AWS::ECS::TaskDefinition', {
          RuntimePlatform: { CpuArchitecture: arch._cpuArchitecture, OperatingSystemFamily: 'LINUX' },
        });
      },
    );

    test('enables ECS Exec when asked, still nag-clean', () => {
      const stack = newStack();
      new PizzaService(stack, 'Service', { enableExecuteCommand: true });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: Match.arrayWith(['ssmmessages:CreateControlChannel']) }),
          ]),
        },
      });
      expect(nagFindings(stack)).toEqual([]);
    });

    test('scales between the given capacities, and on requests per target when asked', () => {
      const stack = newStack();
      new PizzaService(stack, 'Service', { minCapacity: 2, maxCapacity: 6, requestsPerTarget: 500 });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 6 });
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 2);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
          TargetValue: 500,
        }),
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ MIN_CAPACITY: '2', MAX_CAPACITY: '6' }) },
      });
    });

    test('passes the given environment, secrets, JWT secret and factory URL', () => {
      const stack = newStack();
      const grafana = secretsmanager.Secret.fromSecretNameV2(stack, 'Grafana', 'pizza/grafana');
      const jwtSecret = secretsmanager.Secret.fromSecretNameV2(stack, 'Jwt', 'pizza/jwt');
      new PizzaService(stack, 'Service', {
        environment: { METRICS_SOURCE: 'jwt-pizza-service' },
        secrets: {
          METRICS_API_KEY: ecs.Secret.fromSecretsManager(grafana),
          FACTORY_API_KEY: ecs.Secret.fromSecretsManager(grafana, 'factory'),
        },
        jwtSecret,
        factoryUrl: 'https://factory.example.com',
      });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
      expect(environmentOf(template)).toEqual({
        PORT: '80',
        FACTORY_URL: 'https://factory.example.com',
        METRICS_SOURCE: 'jwt-pizza-service',
      });
      expect(Object.keys(secretsOf(template)).sort()).toEqual(['FACTORY_API_KEY', 'JWT_SECRET', 'METRICS_API_KEY']);
      Annotations.fromStack(stack).hasNoWarning('/Test/Service', Match.stringLikeRegexp('factoryApiKeySecretName'));
      expect(JSON.stringify(secretsOf(template).JWT_SECRET)).toContain('secret:pizza/jwt');
    });

    test('runs in a given VPC with an IPv4 load balancer', () => {
      const stack = newStack();
      const vpc = new ec2.Vpc(stack, 'MyVpc', {
        natGateways: 0,
        subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }],
      });
      const service = new PizzaService(stack, 'Service', { vpc });
      const template = Template.fromStack(stack);
      expect(service.vpc).toBe(vpc);
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { IpAddressType: 'ipv4' });
      const groups = template.findResources('AWS::EC2::SecurityGroup');
      const lbSg = Object.keys(groups).find((id) => id.startsWith('ServiceLoadBalancerSecurityGroup'))!;
      expect(groups[lbSg].Properties.SecurityGroupIngress).toHaveLength(1);
    });

    test('lets two services live in one stack without a name collision', () => {
      const stack = newStack();
      const dns = newDns(stack);
      new PizzaService(stack, 'Production', { dns });
      new PizzaService(stack, 'Staging', { dns, subdomain: 'stage-pizza-service' });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ECS::Cluster', 2);
      template.resourceCountIs('AWS::ECR::Repository', 2);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 2);
      template.resourceCountIs('Custom::PizzaServiceDesiredCount', 2);
      const named = (type: string, prop: string) =>
        Object.values(template.findResources(type)).filter((r: any) => r.Properties?.[prop] !== undefined);
      expect(named('AWS::ECS::Cluster', 'ClusterName')).toEqual([]);
      expect(named('AWS::ECR::Repository', 'RepositoryName')).toEqual([]);
      expect(named('AWS::ElasticLoadBalancingV2::LoadBalancer', 'Name')).toEqual([]);
      expect(named('AWS::ElasticLoadBalancingV2::TargetGroup', 'Name')).toEqual([]);
      expect(named('AWS::Logs::LogGroup', 'LogGroupName')).toEqual([]);
      expect(named('AWS::SecretsManager::Secret', 'Name')).toEqual([]);
      expect(nagFindings(stack)).toEqual([]);
    });
  });

  describe('grantDeploy', () => {
    /** Grant deploy to a new role and return the statements of that role's policy. */
    function deployStatements(props: PizzaServiceProps): { template: Template; statements: any[]; success: boolean } {
      const stack = newStack();
      const service = new PizzaService(stack, 'Service', props);
      const role = new iam.Role(stack, 'Ci', { assumedBy: new iam.AccountRootPrincipal() });
      const grant = service.grantDeploy(role);
      const template = Template.fromStack(stack);
      const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
      const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: any) =>
        p.Properties.Roles.some((r: any) => r.Ref === roleId),
      ) as any;
      return { template, statements: policy.Properties.PolicyDocument.Statement, success: grant.success };
    }

    test('grants push to the repository and the roll of the service, statement by statement, nothing more', () => {
      const { template, statements, success } = deployStatements({});
      expect(success).toBe(true);
      expect(statements).toEqual([
        {
          Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
          Effect: 'Allow',
          Resource: { Ref: only(template, 'AWS::ECS::Service').id },
        },
        {
          Action: [
            'ecr:BatchCheckLayerAvailability',
            'ecr:BatchGetImage',
            'ecr:CompleteLayerUpload',
            'ecr:InitiateLayerUpload',
            'ecr:PutImage',
            'ecr:UploadLayerPart',
          ],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [only(template, 'AWS::ECR::Repository').id, 'Arn'] },
        },
        { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
      ]);
    });

    test('grants only the roll of the service when it runs a given image', () => {
      const { template, statements } = deployStatements({ image: ecs.ContainerImage.fromRegistry('nginx') });
      expect(statements).toEqual([
        {
          Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
          Effect: 'Allow',
          Resource: { Ref: only(template, 'AWS::ECS::Service').id },
        },
      ]);
    });
  });

  describe('bad input', () => {
    function build(props: PizzaServiceProps, stack = newStack()): PizzaService {
      return new PizzaService(stack, 'Service', props);
    }

    test.each([0, 65536, 80.5, -1])('a containerPort of %p', (containerPort) => {
      expect(() => build({ containerPort })).toThrow(
        `\`containerPort\` must be an integer from 1 to 65535, got: ${containerPort}`,
      );
    });

    test('a cpu Fargate does not offer', () => {
      expect(() => build({ cpu: 300 })).toThrow(
        '`cpu` must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (Fargate CPU units), got: 300',
      );
    });

    test('a memory size Fargate does not offer for the cpu', () => {
      expect(() => build({ cpu: 512, memoryLimitMiB: 512 })).toThrow(
        '`memoryLimitMiB` 512 is not a Fargate size for `cpu` 512: use 1024, 2048, 3072, 4096 MiB',
      );
      expect(() => build({ cpu: 1024, memoryLimitMiB: 1024 })).toThrow(
        '`memoryLimitMiB` 1024 is not a Fargate size for `cpu` 1024: use 2048 to 8192 in steps of 1024 MiB',
      );
    });

    test.each(['health', '', 'http://x/', '/with space'])('a healthCheckPath of %j', (healthCheckPath) => {
      expect(() => build({ healthCheckPath })).toThrow(
        `\`healthCheckPath\` must be a URL path starting with "/" (up to 1024 printable characters, no spaces), got: ${JSON.stringify(healthCheckPath)}`,
      );
    });

    test('a negative minCapacity', () => {
      expect(() => build({ minCapacity: -1 })).toThrow('`minCapacity` must be an integer from 0 to 1000, got: -1');
    });

    test('a maxCapacity below 1', () => {
      expect(() => build({ maxCapacity: 0 })).toThrow('`maxCapacity` must be an integer from 1 to 1000, got: 0');
    });

    test('a minCapacity above maxCapacity', () => {
      expect(() => build({ minCapacity: 5, maxCapacity: 2 })).toThrow(
        '`minCapacity` (5) must not exceed `maxCapacity` (2)',
      );
    });

    test.each(['Pizza.Service', 'Pizza_Service', '-Pizza-Service', 'Pizza Service', 'P'.repeat(64), ''])(
      'an invalid subdomain %j',
      (subdomain) => {
        const stack = newStack();
        expect(() => build({ dns: newDns(stack), subdomain }, stack)).toThrow(
          `\`subdomain\` must be a single DNS label (letters, digits and hyphens, 1-63 characters, no leading or trailing hyphen, no dots; upper case is lower-cased), got: ${JSON.stringify(subdomain)}`,
        );
      },
    );

    test('an empty factoryApiKeySecretName', () => {
      expect(() => build({ factoryApiKeySecretName: '' })).toThrow(
        '`factoryApiKeySecretName` must be a Secrets Manager secret name such as "pizza/factory-api-key" (1-512 letters, digits and /_+=.@-), got: ""',
      );
    });

    test('a hostname already claimed in another case on the same PizzaDns', () => {
      const stack = newStack();
      const dns = newDns(stack);
      new PizzaService(stack, 'Production', { dns, subdomain: 'PIZZA-SERVICE' });
      expect(() => new PizzaService(stack, 'Staging', { dns })).toThrow(
        '`subdomain` "pizza-service" (pizza-service.example.com) is already used by Test/Production on this PizzaDns; Test/Staging needs another subdomain (e.g. "stage-pizza-service")',
      );
      expect(() => new PizzaFrontend(stack, 'Frontend', { dns, subdomain: 'Pizza-Service' })).toThrow(
        '`subdomain` "Pizza-Service" (pizza-service.example.com) is already used by Test/Production on this PizzaDns; Test/Frontend needs another subdomain (e.g. "stage-pizza-service")',
      );
    });

    test('a hostname already claimed on the same PizzaDns', () => {
      const stack = newStack();
      const dns = newDns(stack);
      new PizzaService(stack, 'Production', { dns });
      expect(() => new PizzaService(stack, 'Staging', { dns })).toThrow(
        '`subdomain` "pizza-service" (pizza-service.example.com) is already used by Test/Production on this PizzaDns; Test/Staging needs another subdomain (e.g. "stage-pizza-service")',
      );
    });

    test('a database in one VPC and another vpc', () => {
      const stack = newStack();
      const database = new PizzaDatabase(stack, 'Database');
      const vpc = new ec2.Vpc(stack, 'Other', { natGateways: 0 });
      expect(() => build({ database, vpc }, stack)).toThrow(
        "`database` Test/Database is in another VPC than `vpc`: the service must run in its database's VPC (leave `vpc` unset to use it)",
      );
    });

    test('a database with the same vpc passed again is fine', () => {
      const stack = newStack();
      const database = new PizzaDatabase(stack, 'Database');
      expect(() => build({ database, vpc: database.vpc }, stack)).not.toThrow();
    });

    test('a vpc without public subnets', () => {
      const stack = newStack();
      const vpc = new ec2.Vpc(stack, 'Private', {
        natGateways: 0,
        subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      expect(() => build({ vpc }, stack)).toThrow(
        '`vpc` has no public subnets: PizzaService puts its load balancer and its tasks (with public IPs, as no NAT gateway is used) in public subnets',
      );
    });

    test('an invalid imageTag', () => {
      expect(() => build({ imageTag: '-bad' })).toThrow(
        '`imageTag` must be a Docker tag (letters, digits, "_", "." and "-", up to 128 characters, not starting with "." or "-"), got: "-bad"',
      );
    });

    test('a maxImageCount of 0', () => {
      expect(() => build({ maxImageCount: 0 })).toThrow('`maxImageCount` must be an integer from 1 to 10000, got: 0');
    });

    test('a requestsPerTarget of 0', () => {
      expect(() => build({ requestsPerTarget: 0 })).toThrow(
        '`requestsPerTarget` must be an integer from 1 to 1000000, got: 0',
      );
    });

    test('a factoryUrl that is not a URL', () => {
      expect(() => build({ factoryUrl: 'pizza-factory' })).toThrow(
        '`factoryUrl` must be an absolute http:// or https:// URL, got: "pizza-factory"',
      );
    });

    test('an environment variable the construct sets', () => {
      expect(() => build({ environment: { PORT: '8080' } })).toThrow(
        '`environment` sets PORT, which PizzaService already sets from `containerPort`; set it there instead',
      );
      const stack = newStack();
      const database = new PizzaDatabase(stack, 'Database');
      expect(() => build({ database, environment: { DB_HOST: 'x' } }, stack)).toThrow(
        '`environment` sets DB_HOST, which PizzaService already sets from `database`; set it there instead',
      );
    });

    test('a variable in both environment and secrets', () => {
      const stack = newStack();
      const s = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'x');
      expect(() =>
        build({ environment: { API_KEY: 'a' }, secrets: { API_KEY: ecs.Secret.fromSecretsManager(s) } }, stack),
      ).toThrow('API_KEY is in both `environment` and `secrets`; give it in one of them');
    });

    test.each([
      ['environment', { environment: { '1BAD': 'x' } }],
      [
        'secrets',
        {
          secrets: {
            'BAD-NAME': ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(newStack(), 'S', 'x')),
          },
        },
      ],
    ])('an invalid variable name in %s', (prop, props) => {
      const name = Object.keys((props as any)[prop])[0];
      expect(() => build(props as PizzaServiceProps)).toThrow(
        `\`${prop}\` has the variable name ${JSON.stringify(name)}: environment variable names must be letters, digits and "_", not starting with a digit`,
      );
    });

    test.each([
      ['FACTORY_API_KEY', '`factoryApiKeySecretName`'],
      ['JWT_SECRET', '`jwtSecret`'],
      ['DB_PASSWORD', '`database` or `secrets`'],
    ])('a secret of the contract (%s) in plain environment', (name, from) => {
      expect(() => build({ environment: { [name]: 'hunter2' } })).toThrow(
        `\`environment\` sets ${name}, a secret: plain environment values are written into the template and the task definition in clear text. Give it through ${from} (a Secrets Manager secret) instead.`,
      );
    });

    test('a secret given in plain environment never reaches the template, nor the error message', () => {
      let message = '';
      try {
        build({ environment: { FACTORY_API_KEY: 'sk-live-1234' } });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain('FACTORY_API_KEY');
      expect(message).not.toContain('sk-live-1234');
    });

    test.each(['METRICS_API_KEY', 'GRAFANA_TOKEN', 'LOGGING_PASSWORD', 'MY_SECRET'])(
      'warns about a secret-looking name (%s) in plain environment',
      (name) => {
        const stack = newStack();
        new PizzaService(stack, 'Service', { environment: { [name]: 'x' } });
        Annotations.fromStack(stack).hasWarning(
          '/Test/Service',
          Match.stringLikeRegexp(`\`environment\` sets ${name}, whose name looks like a secret`),
        );
      },
    );

    test('the factory key as a secret silences the no-factory-key warning; a plain name never could', () => {
      const stack = newStack();
      const key = secretsmanager.Secret.fromSecretNameV2(stack, 'Key', 'pizza/factory-api-key');
      new PizzaService(stack, 'Service', { secrets: { FACTORY_API_KEY: ecs.Secret.fromSecretsManager(key) } });
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('no `factoryApiKeySecretName`'));
    });
  });
});

describe('PizzaService paused', () => {
  /** The quick start's service, paused or not, in a fresh app. */
  function build(paused?: boolean) {
    const stack = newStack();
    const dns = newDns(stack);
    const service = new PizzaService(stack, 'Service', {
      dns,
      factoryApiKeySecretName: 'pizza/factory-api-key',
      ...(paused === undefined ? {} : { paused }),
    });
    return { stack, service, template: Template.fromStack(stack) };
  }
  let paused: ReturnType<typeof build>;
  let running: ReturnType<typeof build>;
  beforeAll(() => {
    paused = build(true);
    running = build();
  });

  test('no load balancer, listener, target group or their security group', () => {
    const { template } = paused;
    for (const type of [
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::ElasticLoadBalancingV2::Listener',
      'AWS::ElasticLoadBalancingV2::TargetGroup',
    ]) {
      template.resourceCountIs(type, 0);
    }
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup')) as any[];
    expect(groups.map((g) => g.Properties.GroupDescription)).toEqual([
      'JWT Pizza service tasks: the container port from the load balancer only',
    ]);
    expect(Object.keys(template.findOutputs('*')).some((id) => id.includes('LoadBalancerDnsName'))).toBe(false);
  });

  test('no task: the service stays at zero tasks, unattached, and autoscaling cannot raise it', () => {
    const { template } = paused;
    const service = only(template, 'AWS::ECS::Service').resource.Properties;
    expect(service.DesiredCount).toBe(0);
    // an empty list (not an absent one): CloudFormation then detaches the live service from its target group
    expect(service.LoadBalancers).toEqual([]);
    expect(service.HealthCheckGracePeriodSeconds).toBeUndefined();
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 0 });
    // a push while paused leaves it at zero: the push handler's range is 0..0
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MIN_CAPACITY: '0', MAX_CAPACITY: '0' }) },
    });
  });

  test('the host answers from a CloudFront distribution on the us-east-1 certificate, with a viewer-request function', () => {
    const { stack, service, template } = paused;
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['pizza-service.example.com'],
        ViewerCertificate: Match.objectLike({
          AcmCertificateArn: { Ref: Match.stringLikeRegexp('^DnsCertificate') },
          SslSupportMethod: 'sni-only',
          MinimumProtocolVersion: 'TLSv1.2_2021',
        }),
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          FunctionAssociations: [
            {
              EventType: 'viewer-request',
              FunctionARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('PausedAnswer'), 'FunctionARN'] },
            },
          ],
        }),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      AutoPublish: true,
    });
    // the same CNAME resource as when running, now pointing at the distribution
    const records = template.findResources('AWS::Route53::RecordSet', {
      Properties: { Name: 'pizza-service.example.com.' },
    });
    expect(Object.keys(records)).toEqual([expect.stringMatching(/^ServiceHostRecord/)]);
    expect((Object.values(records)[0] as any).Properties).toMatchObject({
      Type: 'CNAME',
      ResourceRecords: [{ 'Fn::GetAtt': [expect.stringMatching(/PausedDistribution/), 'DomainName'] }],
    });
    expect(service.url).toBe('https://pizza-service.example.com');
    expect(service.pausedDistribution).toBeDefined();
    expect(service.paused).toBe(true);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('the function answers 503 with a JSON message the SPA can read, and lets CORS preflights through', () => {
    const code = Object.values(paused.template.findResources('AWS::CloudFront::Function'))[0] as any;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const handler = new Function(`${code.Properties.FunctionCode}; return handler;`)();
    const request = (method: string, origin?: string) => ({
      request: { method, uri: '/api/order/menu', headers: origin ? { origin: { value: origin } } : {} },
    });
    const answer = handler(request('GET', 'https://pizza.example.com'));
    expect(answer.statusCode).toBe(503);
    expect(JSON.parse(answer.body.data)).toEqual({
      message: 'The JWT Pizza service is paused. Its owner can resume it with `cdk deploy`.',
    });
    expect(answer.body.encoding).toBe('text');
    expect(answer.headers['content-type']).toEqual({ value: 'application/json' });
    expect(answer.headers['access-control-allow-origin']).toEqual({ value: 'https://pizza.example.com' });
    expect(answer.headers['access-control-allow-credentials']).toEqual({ value: 'true' });
    expect(answer.headers['retry-after']).toEqual({ value: '3600' });
    expect(answer.headers['cache-control']).toEqual({ value: 'no-store' });
    expect(handler(request('POST')).headers['access-control-allow-origin']).toEqual({ value: '*' });
    const preflight = handler(request('OPTIONS', 'https://pizza.example.com'));
    expect(preflight.statusCode).toBe(204);
    expect(preflight.body).toBeUndefined();
  });

  test('resumed (paused: false) is the never-paused template; pausing keeps every stateful logical id', () => {
    expect(build(false).template.toJSON()).toEqual(running.template.toJSON());
    const ids = (template: Template, type: string) => Object.keys(template.findResources(type)).sort();
    for (const type of [
      'AWS::ECR::Repository',
      'AWS::ECS::Service',
      'AWS::ECS::Cluster',
      'AWS::ECS::TaskDefinition',
      'AWS::Logs::LogGroup',
      'AWS::SecretsManager::Secret',
      'AWS::EC2::VPC',
      'AWS::Route53::RecordSet',
    ]) {
      expect(ids(paused.template, type)).toEqual(ids(running.template, type));
    }
  });

  test('the load balancer members say it is paused; paused needs dns', () => {
    expect(() => paused.service.loadBalancer).toThrow(
      'PizzaService Test/Service is paused: it has no `loadBalancer` until it is resumed (`paused: false`).',
    );
    expect(() => paused.service.listener).toThrow('it has no `listener`');
    expect(() => paused.service.targetGroup).toThrow('it has no `targetGroup`');
    expect(paused.service.redirectListener).toBeUndefined();
    expect(() => new PizzaService(newStack(), 'Service', { paused: true })).toThrow(
      "`paused` needs `dns`: a paused service answers on `subdomain`.DOMAIN from CloudFront, and without a domain its only address is its load balancer's name, which pausing deletes",
    );
    expect(() => new PizzaService(newStack(), 'Service', { paused: 'yes' as any })).toThrow(
      'PizzaService: `paused` must be true or false, got: string "yes"',
    );
  });

  test('pausing stops the tasks before the database; resuming starts the database before the tasks', () => {
    const order = (pause: boolean) => {
      const stack = newStack();
      const dns = newDns(stack);
      const database = new PizzaDatabase(stack, 'Database', { paused: pause });
      const service = new PizzaService(stack, 'Service', { dns, database, paused: pause });
      const template = Template.fromStack(stack);
      const serviceId = stack.getLogicalId(service.service.node.defaultChild as any);
      const pauseId = only(template, 'Custom::PizzaDatabasePause').id;
      const resources = template.toJSON().Resources;
      return {
        serviceAfterDatabase: (resources[serviceId].DependsOn ?? []).includes(pauseId),
        databaseAfterService: (resources[pauseId].DependsOn ?? []).includes(serviceId),
      };
    };
    expect(order(true)).toEqual({ serviceAfterDatabase: false, databaseAfterService: true });
    expect(order(false)).toEqual({ serviceAfterDatabase: true, databaseAfterService: false });
  });

  test('a paused service on a shared load balancer drops only its rule, target group and records', () => {
    const stack = newStack();
    const dns = newDns(stack);
    const loadBalancer = new PizzaLoadBalancer(stack, 'LoadBalancer', { dns });
    new PizzaService(stack, 'Production', { dns, loadBalancer });
    new PizzaService(stack, 'Staging', { dns, loadBalancer, subdomain: 'stage-pizza-service', paused: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
  });
});
