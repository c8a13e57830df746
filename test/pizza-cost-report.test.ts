import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, CfnParameter, Duration, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { IConstruct } from 'constructs';
import {
  PizzaBudget,
  PizzaCostEstimate,
  PizzaCostLineItem,
  PizzaCostReport,
  PizzaDatabase,
  PizzaDns,
  PizzaService,
} from '../src';
import { EXCLUDED_COSTS, HOURS_PER_MONTH, PRICES, RDS_INSTANCE_HOUR } from '../src/cost-report/price-list';

const ENV = { account: '123456789012', region: 'us-east-1' };
const H = HOURS_PER_MONTH;

/** Monthly price of something billed per hour. */
const monthly = (hourly: number) => hourly * H;

function newStack(app: App = new App(), id = 'Test', region = ENV.region): Stack {
  return new Stack(app, id, { env: { account: ENV.account, region } });
}

/** Two AZs, public and isolated subnets, no NAT gateway (the course's lean network). */
function leanVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

function items(stack: Stack, resourceType: string): PizzaCostLineItem[] {
  return PizzaCostReport.estimate(stack).items.filter((item) => item.resourceType === resourceType);
}

function sum(list: PizzaCostLineItem[]): number {
  return list.reduce((total, item) => total + item.monthlyUsd, 0);
}

interface ServiceOptions {
  readonly arm?: boolean;
  readonly cpu?: number;
  readonly memoryLimitMiB?: number;
  readonly desiredCount?: number;
  readonly assignPublicIp?: boolean;
  readonly capacityProviderStrategies?: ecs.CapacityProviderStrategy[];
}

function fargateService(stack: Stack, options: ServiceOptions = {}): ecs.FargateService {
  const vpc = leanVpc(stack);
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, enableFargateCapacityProviders: true });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task', {
    cpu: options.cpu ?? 512,
    memoryLimitMiB: options.memoryLimitMiB ?? 1024,
    runtimePlatform: {
      cpuArchitecture: options.arm === false ? ecs.CpuArchitecture.X86_64 : ecs.CpuArchitecture.ARM64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    },
  });
  taskDefinition.addContainer('App', {
    image: ecs.ContainerImage.fromRegistry('nginx'),
    portMappings: [{ containerPort: 80 }],
  });
  return new ecs.FargateService(stack, 'Service', {
    cluster,
    taskDefinition,
    desiredCount: options.desiredCount,
    assignPublicIp: options.assignPublicIp ?? false,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    capacityProviderStrategies: options.capacityProviderStrategies,
  });
}

function mysqlInstance(stack: Stack, props: Partial<rds.DatabaseInstanceProps> = {}): rds.DatabaseInstance {
  return new rds.DatabaseInstance(stack, 'Db', {
    engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.BURSTABLE4_GRAVITON, ec2.InstanceSize.MICRO),
    vpc: leanVpc(stack),
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    allocatedStorage: 20,
    ...props,
  });
}

describe('PizzaCostReport.estimate', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = newStack();
  });

  describe('load balancers', () => {
    test('prices an internet-facing ALB in 2 AZs at its hourly rate plus 2 public IPv4 addresses', () => {
      new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc: leanVpc(stack), internetFacing: true });
      const lb = items(stack, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
      expect(lb.map((i) => [i.kind, i.quantity])).toEqual([
        ['Application Load Balancer', 1],
        ['Public IPv4 addresses of the load balancer', 2],
      ]);
      expect(sum(lb)).toBeCloseTo(monthly(PRICES.albHour) + 2 * monthly(PRICES.publicIpv4Hour), 6);
      // by hand: $0.0225/h and 2 × $0.005/h over 730 h
      expect(sum(lb)).toBeCloseTo(16.425 + 7.3, 6);
    });

    test('an internal ALB has no public IPv4 addresses', () => {
      new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc: leanVpc(stack), internetFacing: false });
      const lb = items(stack, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
      expect(lb.map((i) => i.kind)).toEqual(['Application Load Balancer']);
      expect(sum(lb)).toBeCloseTo(monthly(PRICES.albHour), 6);
    });

    test('prices an internet-facing NLB the same way', () => {
      new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc: leanVpc(stack), internetFacing: true });
      const lb = items(stack, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
      expect(lb.map((i) => [i.kind, i.quantity])).toEqual([
        ['Network Load Balancer', 1],
        ['Public IPv4 addresses of the load balancer', 2],
      ]);
      expect(sum(lb)).toBeCloseTo(monthly(PRICES.nlbHour) + 2 * monthly(PRICES.publicIpv4Hour), 6);
    });

    test('a dual-stack ALB without public IPv4 has no address line', () => {
      new elbv2.CfnLoadBalancer(stack, 'Lb', {
        type: 'application',
        ipAddressType: 'dualstack-without-public-ipv4',
        subnets: ['subnet-1', 'subnet-2'],
      });
      expect(items(stack, 'AWS::ElasticLoadBalancingV2::LoadBalancer').map((i) => i.kind)).toEqual([
        'Application Load Balancer',
      ]);
    });

    test('counts one address per subnet and assumes 2 AZs when the subnets are a token', () => {
      new elbv2.CfnLoadBalancer(stack, 'Three', { type: 'application', subnets: ['subnet-1', 'subnet-2', 'subnet-3'] });
      const subnets = new CfnParameter(stack, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' });
      new elbv2.CfnLoadBalancer(stack, 'Unknown', { type: 'application', subnets: subnets.valueAsList });
      const addresses = items(stack, 'AWS::ElasticLoadBalancingV2::LoadBalancer').filter((i) => i.unit === 'address');
      const three = addresses.find((i) => i.logicalId === 'Three')!;
      const unknown = addresses.find((i) => i.logicalId === 'Unknown')!;
      expect(three.quantity).toBe(3);
      expect(unknown.quantity).toBe(2);
      expect(unknown.assumption).toMatch(/subnets are not known at synth: assumed 2 Availability Zones/);
    });
  });

  describe('Fargate services', () => {
    const armTask = (vcpu: number, gb: number) =>
      monthly(vcpu * PRICES.fargateArmVcpuHour + gb * PRICES.fargateArmGbHour);
    const x86Task = (vcpu: number, gb: number) =>
      monthly(vcpu * PRICES.fargateX86VcpuHour + gb * PRICES.fargateX86GbHour);

    test('prices one ARM64 0.5 vCPU / 1 GB task and its public IPv4 address', () => {
      fargateService(stack, { arm: true, desiredCount: 1, assignPublicIp: true });
      const service = items(stack, 'AWS::ECS::Service');
      expect(service.map((i) => [i.kind, i.quantity])).toEqual([
        ['Fargate task (Linux/ARM64, 0.5 vCPU, 1 GB)', 1],
        ['Public IPv4 addresses of the tasks', 1],
      ]);
      expect(service[0].monthlyUsd).toBeCloseTo(armTask(0.5, 1), 6);
      expect(service[1].monthlyUsd).toBeCloseTo(monthly(PRICES.publicIpv4Hour), 6);
      // by hand: (0.5 × $0.03238 + 1 × $0.00356) × 730 = $14.4175
      expect(service[0].monthlyUsd).toBeCloseTo(14.4175, 4);
    });

    test('prices x86_64 tasks at the x86 rates, times the desired count, without public IPs', () => {
      fargateService(stack, { arm: false, cpu: 1024, memoryLimitMiB: 2048, desiredCount: 2 });
      const service = items(stack, 'AWS::ECS::Service');
      expect(service.map((i) => [i.kind, i.quantity])).toEqual([['Fargate task (Linux/x86_64, 1 vCPU, 2 GB)', 2]]);
      expect(service[0].monthlyUsd).toBeCloseTo(2 * x86Task(1, 2), 6);
    });

    test('prices Fargate Spot tasks at the Spot discount', () => {
      fargateService(stack, {
        arm: false,
        desiredCount: 1,
        capacityProviderStrategies: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      });
      const service = items(stack, 'AWS::ECS::Service');
      expect(service.map((i) => [i.kind, i.quantity])).toEqual([
        ['Fargate Spot task (Linux/x86_64, 0.5 vCPU, 1 GB)', 1],
      ]);
      expect(service[0].monthlyUsd).toBeCloseTo(x86Task(0.5, 1) * (1 - PRICES.fargateSpotDiscount), 6);
      expect(service[0].assumption).toMatch(/Spot priced at 70 % off on-demand/);
    });

    test('splits tasks between FARGATE and FARGATE_SPOT by base, then weight', () => {
      fargateService(stack, {
        arm: true,
        desiredCount: 3,
        capacityProviderStrategies: [
          { capacityProvider: 'FARGATE', base: 1, weight: 1 },
          { capacityProvider: 'FARGATE_SPOT', weight: 1 },
        ],
      });
      const service = items(stack, 'AWS::ECS::Service');
      const onDemand = service.find((i) => i.kind.startsWith('Fargate task'))!;
      const spot = service.find((i) => i.kind.startsWith('Fargate Spot task'))!;
      expect(onDemand.quantity).toBe(2);
      expect(spot.quantity).toBe(1);
      expect(sum(service)).toBeCloseTo(armTask(0.5, 1) * (2 + (1 - PRICES.fargateSpotDiscount)), 6);
    });

    test('uses the auto scaling minimum when it is above the desired count', () => {
      const service = fargateService(stack, { desiredCount: 1 });
      service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 4 });
      const task = items(stack, 'AWS::ECS::Service')[0];
      expect(task.quantity).toBe(2);
      expect(task.assumption).toMatch(/auto scaling keeps at least 2 task\(s\)/);
    });

    test('counts 1 task when the desired count is 0 and the auto scaling minimum is 1', () => {
      const service = fargateService(stack, { desiredCount: 0, assignPublicIp: true });
      service.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 2 });
      const service_ = items(stack, 'AWS::ECS::Service');
      expect(service_.map((i) => i.quantity)).toEqual([1, 1]);
    });

    test('counts no task for a desired count of 0 without auto scaling, and says so', () => {
      fargateService(stack, { desiredCount: 0, assignPublicIp: true });
      const service = items(stack, 'AWS::ECS::Service');
      expect(service).toHaveLength(1);
      expect(service[0].quantity).toBe(0);
      expect(service[0].monthlyUsd).toBe(0);
      expect(service[0].assumption).toMatch(/no task runs when idle/);
    });

    test('assumes 1 task when the desired count is a token', () => {
      const service = fargateService(stack);
      const count = new CfnParameter(stack, 'Count', { type: 'Number' });
      (service.node.defaultChild as ecs.CfnService).desiredCount = count.valueAsNumber;
      const task = items(stack, 'AWS::ECS::Service')[0];
      expect(task.quantity).toBe(1);
      expect(task.assumption).toMatch(/DesiredCount is not known at synth: assumed 1 task/);
    });

    test('counts the two alarms of a target-tracking scaling policy', () => {
      const service = fargateService(stack, { desiredCount: 1 });
      service.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 2 }).scaleOnCpuUtilization('Cpu', {
        targetUtilizationPercent: 50,
      });
      const policy = items(stack, 'AWS::ApplicationAutoScaling::ScalingPolicy');
      expect(policy.map((i) => i.quantity)).toEqual([2]);
      expect(sum(policy)).toBeCloseTo(2 * PRICES.alarmMetricMonth, 6);
    });

    test('reads task sizes written as "1 vCPU" / "2 GB" and prices a service without a launch type as Fargate', () => {
      const task = new ecs.CfnTaskDefinition(stack, 'Task', { cpu: '1 vCPU', memory: '2 GB' });
      new ecs.CfnService(stack, 'Service', { taskDefinition: task.ref, desiredCount: 1 });
      const service = items(stack, 'AWS::ECS::Service');
      expect(service.map((i) => i.kind)).toEqual(['Fargate task (Linux/x86_64, 1 vCPU, 2 GB)']);
      expect(service[0].monthlyUsd).toBeCloseTo(x86Task(1, 2), 6);
      expect(service[0].assumption).toMatch(/no launch type or capacity provider: priced as Fargate/);
    });

    test('prices a task definition from outside the stack at the Fargate minimum, and says so', () => {
      new ecs.CfnService(stack, 'Service', {
        launchType: 'FARGATE',
        taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/pizza:1',
        desiredCount: 1,
      });
      const task = items(stack, 'AWS::ECS::Service')[0];
      expect(task.monthlyUsd).toBeCloseTo(x86Task(0.25, 0.5), 6);
      expect(task.assumption).toMatch(/the task definition is not in this stack: priced at the Fargate minimum/);
    });

    test('does not price a service on an EC2 capacity provider', () => {
      new ecs.CfnService(stack, 'Service', {
        capacityProviderStrategy: [{ capacityProvider: 'MyAsgProvider', weight: 1 }],
        desiredCount: 2,
      });
      const service = items(stack, 'AWS::ECS::Service');
      expect(service.map((i) => i.monthlyUsd)).toEqual([0]);
      expect(service[0].assumption).toMatch(/capacity provider "MyAsgProvider" runs on EC2 instances/);
    });

    test('does not price an ECS service on the EC2 launch type', () => {
      new ecs.CfnService(stack, 'Ec2Service', { launchType: 'EC2', desiredCount: 3 });
      const service = items(stack, 'AWS::ECS::Service');
      expect(service.map((i) => i.monthlyUsd)).toEqual([0]);
      expect(service[0].assumption).toMatch(/launch type "EC2"/);
    });
  });

  describe('RDS instances', () => {
    test('prices a single-AZ db.t4g.micro with 20 GB of gp2', () => {
      mysqlInstance(stack);
      const db = items(stack, 'AWS::RDS::DBInstance');
      expect(db.map((i) => [i.kind, i.quantity])).toEqual([
        ['RDS instance db.t4g.micro (single-AZ)', 1],
        ['RDS storage (gp2, single-AZ)', 20],
      ]);
      expect(db[0].monthlyUsd).toBeCloseTo(monthly(RDS_INSTANCE_HOUR['db.t4g.micro']), 6);
      expect(db[1].monthlyUsd).toBeCloseTo(20 * PRICES.rdsGp2GbMonth, 6);
      // by hand: $0.016/h × 730 = $11.68; 20 GB × $0.115 = $2.30
      expect(sum(db)).toBeCloseTo(13.98, 6);
    });

    test('doubles instance and storage for Multi-AZ', () => {
      mysqlInstance(stack, {
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.BURSTABLE3, ec2.InstanceSize.SMALL),
        multiAz: true,
        allocatedStorage: 100,
        storageType: rds.StorageType.GP3,
      });
      const db = items(stack, 'AWS::RDS::DBInstance');
      expect(db.map((i) => i.kind)).toEqual(['RDS instance db.t3.small (Multi-AZ)', 'RDS storage (gp3, Multi-AZ)']);
      expect(db[0].monthlyUsd).toBeCloseTo(2 * monthly(RDS_INSTANCE_HOUR['db.t3.small']), 6);
      expect(db[1].monthlyUsd).toBeCloseTo(2 * 100 * PRICES.rdsGp3GbMonth, 6);
    });

    test('prices io1 storage per GB and per provisioned IOPS', () => {
      new rds.CfnDBInstance(stack, 'Db', {
        dbInstanceClass: 'db.t3.medium',
        engine: 'mysql',
        allocatedStorage: '100',
        storageType: 'io1',
        iops: 1000,
      });
      const db = items(stack, 'AWS::RDS::DBInstance');
      expect(db.map((i) => [i.kind, i.quantity])).toEqual([
        ['RDS provisioned IOPS', 1000],
        ['RDS instance db.t3.medium (single-AZ)', 1],
        ['RDS storage (io1, single-AZ)', 100],
      ]);
      expect(sum(db)).toBeCloseTo(
        monthly(RDS_INSTANCE_HOUR['db.t3.medium']) + 100 * PRICES.rdsIo1GbMonth + 1000 * PRICES.rdsIo1IopsMonth,
        6,
      );
    });

    test('lists an Aurora cluster member at zero, and says so', () => {
      new rds.CfnDBInstance(stack, 'Member', {
        dbInstanceClass: 'db.t4g.medium',
        engine: 'aurora-mysql',
        dbClusterIdentifier: 'c',
      });
      const db = items(stack, 'AWS::RDS::DBInstance');
      expect(db.map((i) => i.monthlyUsd)).toEqual([0]);
      expect(db[0].assumption).toMatch(/Aurora/);
    });

    test('lists a class missing from the price table at zero, and says so', () => {
      mysqlInstance(stack, { instanceType: ec2.InstanceType.of(ec2.InstanceClass.M5, ec2.InstanceSize.LARGE) });
      const instance = items(stack, 'AWS::RDS::DBInstance').find((i) => i.unit === 'instance')!;
      expect(instance.monthlyUsd).toBe(0);
      expect(instance.assumption).toMatch(/instance class "db.m5.large" is not in the price table/);
    });

    test('prices a class that is a token as db.t4g.micro, and says so', () => {
      const instanceClass = new CfnParameter(stack, 'Class', { type: 'String' });
      new rds.CfnDBInstance(stack, 'Db', {
        dbInstanceClass: instanceClass.valueAsString,
        engine: 'mysql',
        allocatedStorage: '20',
        storageType: 'gp2',
      });
      const instance = items(stack, 'AWS::RDS::DBInstance').find((i) => i.unit === 'instance')!;
      expect(instance.monthlyUsd).toBeCloseTo(monthly(RDS_INSTANCE_HOUR['db.t4g.micro']), 6);
      expect(instance.assumption).toMatch(/DBInstanceClass is not known at synth: priced as db.t4g.micro/);
    });
  });

  describe('network', () => {
    test('prices the NAT gateway of a VPC with natGateways: 1 and its Elastic IP', () => {
      new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      const nat = items(stack, 'AWS::EC2::NatGateway');
      expect(nat.map((i) => i.quantity)).toEqual([1]);
      expect(nat[0].monthlyUsd).toBeCloseTo(monthly(PRICES.natGatewayHour), 6);
      // by hand: $0.045/h × 730 = $32.85
      expect(nat[0].monthlyUsd).toBe(32.85);
      expect(sum(items(stack, 'AWS::EC2::EIP'))).toBe(3.65);
    });

    test('prices an Elastic IP as one public IPv4 address', () => {
      new ec2.CfnEIP(stack, 'Eip', { domain: 'vpc' });
      const eip = items(stack, 'AWS::EC2::EIP');
      expect(eip.map((i) => i.kind)).toEqual(['Elastic IP (public IPv4)']);
      expect(eip[0].monthlyUsd).toBeCloseTo(monthly(PRICES.publicIpv4Hour), 6);
    });

    test('prices an interface endpoint per AZ and a gateway endpoint not at all', () => {
      const vpc = leanVpc(stack);
      vpc.addInterfaceEndpoint('Ecr', {
        service: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      });
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const endpoints = items(stack, 'AWS::EC2::VPCEndpoint');
      expect(endpoints.map((i) => [i.kind, i.quantity])).toEqual([['Interface VPC endpoint', 2]]);
      expect(endpoints[0].monthlyUsd).toBeCloseTo(2 * monthly(PRICES.interfaceEndpointAzHour), 6);
      expect(endpoints[0].monthlyUsd).toBeCloseTo(14.6, 6);
    });
  });

  describe('monthly-priced resources', () => {
    test('prices a secret, and a replicated secret once per region', () => {
      new secretsmanager.Secret(stack, 'Secret');
      new secretsmanager.Secret(stack, 'Replicated', { replicaRegions: [{ region: 'us-west-2' }] });
      const secrets = items(stack, 'AWS::SecretsManager::Secret');
      expect(secrets.find((i) => i.constructPath === 'Test/Secret/Resource')!.monthlyUsd).toBe(PRICES.secretMonth);
      expect(secrets.find((i) => i.constructPath === 'Test/Replicated/Resource')!.monthlyUsd).toBeCloseTo(
        2 * PRICES.secretMonth,
        6,
      );
    });

    test('lists a notify-only budget at zero, saying why', () => {
      new PizzaBudget(stack, 'Budget', { monthlyUsd: 75, email: 'student@example.com' });
      const [budget] = items(stack, 'AWS::Budgets::Budget');
      expect(budget).toMatchObject({ kind: 'AWS Budgets budget', quantity: 1, monthlyUsd: 0 });
      expect(budget.assumption).toContain('a budget that only notifies is free');
    });

    test('prices a hosted zone', () => {
      new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
      expect(items(stack, 'AWS::Route53::HostedZone').map((i) => i.monthlyUsd)).toEqual([PRICES.hostedZoneMonth]);
    });

    test('prices a WAF web ACL and each of its rules', () => {
      const rule = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
        name,
        priority,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
      });
      new wafv2.CfnWebACL(stack, 'Acl', {
        scope: 'REGIONAL',
        defaultAction: { allow: {} },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
        rules: [rule('AWSManagedRulesCommonRuleSet', 1), rule('AWSManagedRulesKnownBadInputsRuleSet', 2)],
      });
      const waf = items(stack, 'AWS::WAFv2::WebACL');
      expect(waf.map((i) => [i.kind, i.quantity])).toEqual([
        ['WAF web ACL', 1],
        ['WAF rules', 2],
      ]);
      expect(sum(waf)).toBeCloseTo(PRICES.wafWebAclMonth + 2 * PRICES.wafRuleMonth, 6);
    });

    test('prices a KMS customer managed key', () => {
      new kms.Key(stack, 'Key');
      expect(items(stack, 'AWS::KMS::Key').map((i) => i.monthlyUsd)).toEqual([PRICES.kmsKeyMonth]);
    });

    test('prices alarms per metric, high-resolution ones at the high-resolution rate', () => {
      const metric = (metricName: string, period = Duration.minutes(1)) =>
        new cloudwatch.Metric({ namespace: 'Pizza', metricName, period });
      new cloudwatch.Alarm(stack, 'Standard', { metric: metric('Orders'), threshold: 1, evaluationPeriods: 1 });
      new cloudwatch.Alarm(stack, 'Fast', {
        metric: metric('Orders', Duration.seconds(10)),
        threshold: 1,
        evaluationPeriods: 1,
      });
      new cloudwatch.Alarm(stack, 'Math', {
        metric: new cloudwatch.MathExpression({
          expression: 'a + b',
          usingMetrics: { a: metric('Orders'), b: metric('Refunds') },
        }),
        threshold: 1,
        evaluationPeriods: 1,
      });
      const alarms = items(stack, 'AWS::CloudWatch::Alarm');
      const byPath = (p: string) => alarms.find((i) => i.constructPath === `Test/${p}/Resource`)!;
      expect(byPath('Standard').monthlyUsd).toBe(PRICES.alarmMetricMonth);
      expect(byPath('Fast').monthlyUsd).toBe(PRICES.alarmHighResMetricMonth);
      expect(byPath('Fast').kind).toBe('CloudWatch alarm (high resolution)');
      expect(byPath('Math').quantity).toBe(2);
      expect(byPath('Math').monthlyUsd).toBeCloseTo(2 * PRICES.alarmMetricMonth, 6);
    });

    test('prices a composite alarm', () => {
      const alarm = new cloudwatch.Alarm(stack, 'Alarm', {
        metric: new cloudwatch.Metric({ namespace: 'Pizza', metricName: 'Orders' }),
        threshold: 1,
        evaluationPeriods: 1,
      });
      new cloudwatch.CompositeAlarm(stack, 'Composite', {
        alarmRule: cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.ALARM),
      });
      expect(items(stack, 'AWS::CloudWatch::CompositeAlarm').map((i) => i.monthlyUsd)).toEqual([
        PRICES.compositeAlarmMonth,
      ]);
    });
  });

  describe('paused and shared', () => {
    /** The quick start (dns, database, service), paused or running. */
    function quickStart(paused: boolean): Stack {
      const s = newStack();
      const dns = new PizzaDns(s, 'Dns', { domainName: 'example.com', hostedZoneId: 'Z0123456789ABC' });
      const database = new PizzaDatabase(s, 'Database', { paused });
      new PizzaService(s, 'Service', { dns, database, paused, factoryApiKeySecretName: 'pizza/factory-api-key' });
      return s;
    }

    test('a paused database costs its storage and secret only: the stopped instance has no hours', () => {
      const paused = items(quickStart(true), 'AWS::RDS::DBInstance');
      const instance = paused.find((i) => i.kind.startsWith('RDS instance'))!;
      expect(instance.monthlyUsd).toBe(0);
      expect(instance.assumption).toContain('stopped (a paused PizzaDatabase)');
      expect(sum(paused)).toBeCloseTo(20 * PRICES.rdsGp3GbMonth, 6);
      expect(sum(items(quickStart(false), 'AWS::RDS::DBInstance'))).toBeCloseTo(
        RDS_INSTANCE_HOUR['db.t4g.micro'] * HOURS_PER_MONTH + 20 * PRICES.rdsGp3GbMonth,
        6,
      );
    });

    test('the paused quick start idles under $5 a month (no load balancer, no task, no scaling alarm)', () => {
      const estimate = PizzaCostReport.estimate(quickStart(true));
      expect(estimate.monthlyUsd).toBeLessThanOrEqual(5);
      expect(
        estimate.items
          .filter((i) => i.monthlyUsd > 0)
          .map((i) => i.resourceType)
          .sort(),
      ).toEqual(['AWS::RDS::DBInstance', 'AWS::SecretsManager::Secret', 'AWS::SecretsManager::Secret']);
      expect(PizzaCostReport.estimate(quickStart(false)).monthlyUsd).toBeGreaterThan(50);
    });
  });

  describe('the estimate', () => {
    test('is zero with no items for a stack with nothing billable at idle', () => {
      leanVpc(stack);
      const estimate = PizzaCostReport.estimate(stack);
      expect(estimate.monthlyUsd).toBe(0);
      expect(estimate.items).toEqual([]);
    });

    test("totals the course's architecture: ALB in 2 AZs, one ARM task with a public IP, MySQL t4g.micro, 2 secrets", () => {
      const service = fargateService(stack, { arm: true, desiredCount: 1, assignPublicIp: true });
      const vpc = service.cluster.vpc;
      const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true });
      lb.addListener('Http', { port: 80 }).addTargets('Service', { port: 80, targets: [service] });
      new secretsmanager.Secret(stack, 'JwtSecret');
      new rds.DatabaseInstance(stack, 'Db', {
        engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 }),
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.BURSTABLE4_GRAVITON, ec2.InstanceSize.MICRO),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        allocatedStorage: 20,
      });
      const estimate = PizzaCostReport.estimate(stack);
      const expected =
        monthly(PRICES.albHour) +
        2 * monthly(PRICES.publicIpv4Hour) +
        monthly(0.5 * PRICES.fargateArmVcpuHour + 1 * PRICES.fargateArmGbHour) +
        monthly(PRICES.publicIpv4Hour) +
        2 * PRICES.secretMonth +
        monthly(RDS_INSTANCE_HOUR['db.t4g.micro']) +
        20 * PRICES.rdsGp2GbMonth;
      expect(estimate.monthlyUsd).toBeCloseTo(expected, 6);
      expect(estimate.monthlyUsd).toBeCloseTo(56.5725, 4);
      expect(items(stack, 'AWS::SecretsManager::Secret')).toHaveLength(2);
    });

    test('sorts the items largest first and totals them', () => {
      new ec2.CfnEIP(stack, 'Eip');
      new kms.Key(stack, 'Key');
      new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
      const estimate = PizzaCostReport.estimate(stack);
      expect(estimate.items.map((i) => i.resourceType)).toEqual([
        'AWS::EC2::EIP',
        'AWS::KMS::Key',
        'AWS::Route53::HostedZone',
      ]);
      expect(estimate.monthlyUsd).toBeCloseTo(sum(estimate.items), 6);
    });

    test('names each item by logical id and construct path', () => {
      new ec2.CfnEIP(stack, 'Eip');
      expect(PizzaCostReport.estimate(stack).items[0]).toEqual({
        logicalId: 'Eip',
        constructPath: 'Test/Eip',
        resourceType: 'AWS::EC2::EIP',
        kind: 'Elastic IP (public IPv4)',
        quantity: 1,
        unit: 'address',
        unitMonthlyUsd: 3.65,
        monthlyUsd: 3.65,
        assumption: undefined,
      });
    });

    test('lists resource types it does not price at zero, with a note', () => {
      new ec2.CfnInstance(stack, 'Instance', { imageId: 'ami-12345678', instanceType: 't4g.micro' });
      const item = items(stack, 'AWS::EC2::Instance')[0];
      expect(item.monthlyUsd).toBe(0);
      expect(item.assumption).toMatch(/does not estimate/);
    });

    test('dates the prices, names the region and lists the traffic-priced costs it excludes', () => {
      const estimate: PizzaCostEstimate = PizzaCostReport.estimate(stack);
      expect(estimate.pricesAsOf).toBe('2026-11');
      expect(estimate.pricesAsOf).toBe(PizzaCostReport.PRICES_AS_OF);
      expect(PizzaCostReport.PRICES_AS_OF).toMatch(/^\d{4}-\d{2}$/);
      expect(estimate.priceRegion).toBe('us-east-1');
      expect(estimate.hoursPerMonth).toBe(730);
      expect(estimate.stackName).toBe('Test');
      expect(estimate.regionNote).toBe("Prices are us-east-1 list prices, the stack's own region.");
      expect(estimate.excluded).toEqual(EXCLUDED_COSTS);
      const excluded = estimate.excluded.join('\n');
      for (const word of [
        'Data transfer',
        'LCU',
        'CloudFront',
        'S3',
        'CloudWatch Logs',
        'ECR',
        'Route 53 DNS queries',
      ]) {
        expect(excluded).toContain(word);
      }
    });

    test('says when the stack is in another region or has none', () => {
      expect(PizzaCostReport.estimate(newStack(new App(), 'Ireland', 'eu-west-1')).regionNote).toBe(
        'Prices are us-east-1 list prices; the stack deploys to eu-west-1, where most prices are 0-30 % higher.',
      );
      expect(PizzaCostReport.estimate(new Stack(new App(), 'Agnostic')).regionNote).toMatch(/environment-agnostic/);
    });

    test('values match the price table: $0.045/h NAT, $0.005/h IPv4, 730 h', () => {
      expect(PRICES.natGatewayHour).toBe(0.045);
      expect(PRICES.publicIpv4Hour).toBe(0.005);
      expect(HOURS_PER_MONTH).toBe(730);
      expect(RDS_INSTANCE_HOUR['db.t4g.micro']).toBe(0.016);
    });
  });
});

describe('PizzaCostReport.of', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pizza-cost-report-'));
  });
  afterEach(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  function readReport(dir: string): any {
    return JSON.parse(fs.readFileSync(path.join(dir, PizzaCostReport.FILE_NAME), 'utf-8'));
  }

  test('adds an info annotation with the total and the largest items to each stack', () => {
    const app = new App();
    PizzaCostReport.of(app);
    const stack = newStack(app);
    new ec2.CfnEIP(stack, 'Eip');
    new kms.Key(stack, 'Key');
    Annotations.fromStack(stack).hasInfo(
      '/Test',
      Match.stringLikeRegexp(
        '^Idle cost estimate: \\$4\\.65/month at us-east-1 list prices of 2026-11 \\(730 h/month\\); largest: ' +
          'Elastic IP \\(public IPv4\\) \\$3\\.65, KMS customer managed key \\$1\\.00\\. .*excluded',
      ),
    );
  });

  test('writes pizza-cost-report.json into the cloud assembly, one entry per stack', () => {
    const app = new App({ outdir });
    PizzaCostReport.of(app);
    new ec2.CfnEIP(newStack(app, 'Network'), 'Eip');
    new secretsmanager.Secret(newStack(app, 'Secrets'), 'Secret');
    app.synth();

    const report = readReport(outdir);
    expect(report.pricesAsOf).toBe('2026-11');
    expect(report.priceRegion).toBe('us-east-1');
    expect(report.hoursPerMonth).toBe(730);
    expect(report.excluded.join('\n')).toMatch(/Data transfer/);
    expect(report.excluded.join('\n')).toMatch(/capacity units/);
    expect(report.excluded.join('\n')).toMatch(/CloudFront/);
    expect(report.excluded.join('\n')).toMatch(/CloudWatch Logs/);
    expect(report.totalMonthlyUsd).toBeCloseTo(monthly(PRICES.publicIpv4Hour) + PRICES.secretMonth, 6);
    expect(report.stacks.map((s: any) => [s.stackName, s.monthlyUsd])).toEqual([
      ['Network', 3.65],
      ['Secrets', 0.4],
    ]);
    expect(report.stacks[0].items).toEqual([
      expect.objectContaining({ logicalId: 'Eip', kind: 'Elastic IP (public IPv4)', quantity: 1, monthlyUsd: 3.65 }),
    ]);
    expect(report.stacks[0].regionNote).toMatch(/us-east-1/);
  });

  test('covers stacks created after the call and stages that exist at the call', () => {
    const app = new App({ outdir });
    const stage = new Stage(app, 'Prod');
    PizzaCostReport.of(app);
    new ec2.CfnEIP(newStack(app as App, 'Later'), 'Eip');
    new kms.Key(new Stack(stage, 'InStage', { env: ENV }), 'Key');
    app.synth();

    expect(readReport(outdir).stacks.map((s: any) => s.stackName)).toEqual(['Later']);
    expect(readReport(stage.outdir).stacks.map((s: any) => [s.stackName, s.monthlyUsd])).toEqual([
      ['Prod-InStage', PRICES.kmsKeyMonth],
    ]);
  });

  test('on a stack, reports that stack only', () => {
    const app = new App({ outdir });
    const reported = newStack(app, 'Reported');
    const other = newStack(app, 'Other');
    new ec2.CfnEIP(reported, 'Eip');
    new ec2.CfnEIP(other, 'Eip');
    PizzaCostReport.of(reported);
    app.synth();

    expect(readReport(outdir).stacks.map((s: any) => s.stackName)).toEqual(['Reported']);
    expect(Annotations.fromStack(other).findInfo('*', Match.anyValue())).toEqual([]);
  });

  test('adds one annotation however often it is called or the app is synthesized', () => {
    const app = new App({ outdir });
    PizzaCostReport.of(app);
    PizzaCostReport.of(app);
    const stack = newStack(app);
    PizzaCostReport.of(stack);
    new ec2.CfnEIP(stack, 'Eip');
    app.synth();
    app.synth({ force: true });
    expect(Annotations.fromStack(stack).findInfo('/Test', Match.stringLikeRegexp('Idle cost'))).toHaveLength(1);
  });

  test('leaves the templates unchanged', () => {
    const build = (report: boolean) => {
      const app = new App();
      const stack = newStack(app);
      if (report) {
        PizzaCostReport.of(app);
      }
      mysqlInstance(stack);
      return Template.fromStack(stack).toJSON();
    };
    expect(build(true)).toEqual(build(false));
  });

  test('reports a stack without billable resources at zero', () => {
    const app = new App({ outdir });
    PizzaCostReport.of(app);
    const empty = newStack(app, 'Empty');
    app.synth();
    expect(readReport(outdir).stacks).toEqual([
      expect.objectContaining({ stackName: 'Empty', monthlyUsd: 0, items: [] }),
    ]);
    Annotations.fromStack(empty).hasInfo('/Empty', Match.stringLikeRegexp('^Idle cost estimate: \\$0\\.00/month'));
  });

  test('includes resources that aspects add at synth', () => {
    const app = new App({ outdir });
    PizzaCostReport.of(app);
    const stack = newStack(app);
    Aspects.of(stack).add({
      visit(node: IConstruct) {
        if (node === stack && !stack.node.tryFindChild('AddedByAspect')) {
          new ec2.CfnEIP(stack, 'AddedByAspect');
        }
      },
    });
    expect(PizzaCostReport.estimate(stack).items).toEqual([]);
    app.synth();
    expect(readReport(outdir).stacks[0].items.map((i: any) => i.logicalId)).toEqual(['AddedByAspect']);
  });

  test('reports a nested stack on its own, not in its parent', () => {
    const app = new App({ outdir });
    PizzaCostReport.of(app);
    const parent = newStack(app, 'Parent');
    new kms.Key(parent, 'Key');
    const nested = new NestedStack(parent, 'Nested');
    new ec2.CfnEIP(nested, 'Eip');
    app.synth();
    const stacks = readReport(outdir).stacks.map((s: any) => [s.constructPath, s.monthlyUsd]);
    expect(stacks).toEqual([
      ['Parent', PRICES.kmsKeyMonth],
      ['Parent/Nested', 3.65],
    ]);
  });

  test('fails for a construct that is neither an App, a Stage nor a Stack', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    expect(() => PizzaCostReport.of(key)).toThrow(
      '`PizzaCostReport.of` takes an App, a Stage or a Stack, got: "Test/Key" ' +
        '(for a construct inside a stack, pass `Stack.of(construct)`)',
    );
  });
});
