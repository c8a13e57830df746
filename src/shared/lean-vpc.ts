import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** VPCs this library created (dual-stack, public + isolated subnets): the load balancer can then be dual-stack. */
const leanVpcs = new WeakSet<ec2.IVpc>();

/**
 * The cheapest VPC that runs the course architecture with nothing avoidable on the bill:
 *
 * - 2 availability zones (an ALB and an RDS subnet group both need two);
 * - public subnets for the load balancer and the tasks (tasks get public IPs and reach ECR, the pizza factory and
 *   Grafana through the internet gateway), isolated subnets for the database;
 * - no NAT gateway, no Elastic IP, no interface endpoint (each would cost more per month than the tasks);
 * - dual-stack (IPv6 is free), so the load balancer can answer AAAA queries;
 * - a flow log of rejected traffic into a log group kept one month (a few cents a month), removed with the stack;
 * - the default security group left as EC2 creates it (restricting it needs a custom resource; nothing uses it).
 */
export function createLeanVpc(scope: Construct, id: string): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: 0,
    ipProtocol: ec2.IpProtocol.DUAL_STACK,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  const flowLogs = new logs.LogGroup(vpc, 'FlowLogs', {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  vpc.addFlowLog('RejectedTraffic', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
    trafficType: ec2.FlowLogTrafficType.REJECT,
  });
  leanVpcs.add(vpc);
  return vpc;
}

/** True when `vpc` was made by `createLeanVpc` (so its public subnets have IPv6). */
export function isLeanVpc(vpc: ec2.IVpc): boolean {
  return leanVpcs.has(vpc);
}
