/**
 * The one price table of `PizzaCostReport`: AWS on-demand list prices in US East (N. Virginia), in USD.
 *
 * Every idle-cost number the library prints comes from this file. When AWS changes a price, change it here, move
 * `PRICES_AS_OF`, and the unit tests (which compute their expectations from these constants) follow.
 * Sources: the public AWS pricing pages of each service, read for us-east-1 as best known at `PRICES_AS_OF`.
 * Free tiers and account discounts are deliberately not applied: these are list prices.
 */

/** When the prices below were last checked (year-month). */
export const PRICES_AS_OF = '2026-11';

/** The region the prices are for. Other regions are typically 0-30 % dearer. */
export const PRICE_REGION = 'us-east-1';

/** Hours in the average month, as AWS's own pricing calculator uses (8,760 h / 12). */
export const HOURS_PER_MONTH = 730;

/** Hourly and monthly list prices, USD, us-east-1. */
export const PRICES = {
  // ---- Elastic Load Balancing --------------------------------------------------------------------------------
  /** Application Load Balancer, per load balancer-hour (LCUs are traffic-priced and excluded). */
  albHour: 0.0225,
  /** Network Load Balancer, per load balancer-hour (NLCUs are traffic-priced and excluded). */
  nlbHour: 0.0225,

  // ---- Public IPv4 (VPC) ---------------------------------------------------------------------------------------
  /**
   * One public IPv4 address, per hour, in use or idle (since February 2024). Applies to each internet-facing
   * load balancer node (one per AZ at idle: 2 AZs -> 2 addresses), each Fargate task with a public IP, each
   * Elastic IP (including a NAT gateway's).
   */
  publicIpv4Hour: 0.005,

  // ---- AWS Fargate (ECS) ---------------------------------------------------------------------------------------
  /** Fargate Linux/ARM64 (Graviton), per vCPU-hour. */
  fargateArmVcpuHour: 0.03238,
  /** Fargate Linux/ARM64 (Graviton), per GB of memory-hour. */
  fargateArmGbHour: 0.00356,
  /** Fargate Linux/x86_64, per vCPU-hour. */
  fargateX86VcpuHour: 0.04048,
  /** Fargate Linux/x86_64, per GB of memory-hour. */
  fargateX86GbHour: 0.004445,
  /** Fargate ephemeral storage above the 20 GB every task gets free, per GB-hour. */
  fargateEphemeralGbHour: 0.000111,
  /**
   * Fargate Spot discount off the on-demand price. Spot prices float; AWS advertises "up to 70 %" and us-east-1
   * has sat near that, so the estimate takes 70 % (a task costs 30 % of on-demand).
   */
  fargateSpotDiscount: 0.7,

  // ---- Amazon RDS (MySQL/MariaDB, single-AZ) -----------------------------------------------------------------
  /** Multi-AZ (one standby) doubles both instance-hours and storage. */
  rdsMultiAzFactor: 2,
  /** RDS General Purpose SSD (gp2) storage, single-AZ, per GB-month. */
  rdsGp2GbMonth: 0.115,
  /** RDS General Purpose SSD (gp3) storage, single-AZ, per GB-month (3,000 IOPS / 125 MB/s included). */
  rdsGp3GbMonth: 0.115,
  /** RDS Provisioned IOPS SSD (io1/io2) storage, single-AZ, per GB-month. */
  rdsIo1GbMonth: 0.125,
  /** RDS Provisioned IOPS (io1/io2), per provisioned IOPS-month. */
  rdsIo1IopsMonth: 0.1,
  /** RDS magnetic (standard) storage, single-AZ, per GB-month. */
  rdsMagneticGbMonth: 0.1,

  // ---- VPC -----------------------------------------------------------------------------------------------------
  /** NAT gateway, per gateway-hour (per-GB processing is traffic-priced and excluded; its EIP is priced apart). */
  natGatewayHour: 0.045,
  /** Interface VPC endpoint (PrivateLink), per endpoint per AZ-hour (per-GB processing excluded). */
  interfaceEndpointAzHour: 0.01,

  // ---- Amazon CloudFront ---------------------------------------------------------------------------------------
  /**
   * CloudFront distribution, per distribution-month, on pay-as-you-go pricing (the default): no monthly charge.
   * Requests and data transfer are traffic-priced (excluded); each alternate domain name (alias, e.g. `pizza.DOMAIN`
   * and `stage-pizza.DOMAIN` on one distribution) costs nothing more, and Route 53 alias records to a distribution,
   * and the queries they answer, are free.
   */
  cloudFrontDistributionMonth: 0,
  /**
   * CloudFront KeyValueStore, per store-month: no storage or idle charge. Only its use is billed, at the two prices
   * below (the CloudFront pricing page, KeyValueStore section), which are usage-priced and so in no total.
   */
  keyValueStoreMonth: 0,
  /** CloudFront KeyValueStore reads by CloudFront Functions, per million reads. */
  keyValueStoreReadsPerMillion: 0.03,
  /**
   * CloudFront KeyValueStore API calls (DescribeKeyValueStore, GetKey, PutKey, ListKeys, ...), per 1,000 calls. A
   * PizzaFrontend release through the example workflows makes about 3 (release.yml: get, describe, put).
   */
  keyValueStoreApiCallsPerThousand: 1,

  // ---- Monthly-priced resources --------------------------------------------------------------------------------
  /** Secrets Manager, per secret-month (each replica region counts as one more secret; API calls excluded). */
  secretMonth: 0.4,
  /** Route 53 hosted zone, per zone-month (first 25 zones; queries excluded). */
  hostedZoneMonth: 0.5,
  /** AWS WAF, per web ACL-month. */
  wafWebAclMonth: 5,
  /** AWS WAF, per rule (or rule group reference) in a web ACL, per month. */
  wafRuleMonth: 1,
  /** AWS KMS, per customer managed key-month (replica keys too; requests excluded). */
  kmsKeyMonth: 1,
  /** CloudWatch dashboard, per dashboard-month (the account's first three are free, not subtracted here). */
  dashboardMonth: 3,
  /** AWS Budgets, per budget-month of a budget without actions: $0.00 per budget-day. */
  budgetMonth: 0,
  /** CloudWatch standard-resolution alarm, per alarm metric-month (the account's 10 free alarms not applied). */
  alarmMetricMonth: 0.1,
  /** CloudWatch high-resolution alarm (period under 60 s), per alarm metric-month. */
  alarmHighResMetricMonth: 0.3,
  /** CloudWatch composite alarm, per alarm-month. */
  compositeAlarmMonth: 0.5,
} as const;

/**
 * RDS on-demand instance-hours per DB instance class, single-AZ, MySQL/MariaDB (PostgreSQL's T4g prices are the
 * same; its T3 prices are a few percent higher). Multi-AZ: times `rdsMultiAzFactor`.
 */
export const RDS_INSTANCE_HOUR: Readonly<Record<string, number>> = {
  /** db.t4g.micro: 2 vCPU (Graviton2, burstable), 1 GiB. The course's class. */
  'db.t4g.micro': 0.016,
  /** db.t4g.small: 2 vCPU (Graviton2, burstable), 2 GiB. */
  'db.t4g.small': 0.032,
  /** db.t4g.medium: 2 vCPU (Graviton2, burstable), 4 GiB. */
  'db.t4g.medium': 0.065,
  /** db.t3.micro: 2 vCPU (Intel, burstable), 1 GiB. */
  'db.t3.micro': 0.017,
  /** db.t3.small: 2 vCPU (Intel, burstable), 2 GiB. */
  'db.t3.small': 0.034,
  /** db.t3.medium: 2 vCPU (Intel, burstable), 4 GiB. */
  'db.t3.medium': 0.068,
};

/** Costs this report does not estimate because they depend on traffic or usage, not on what is deployed. */
export const EXCLUDED_COSTS: readonly string[] = [
  'Data transfer out to the internet and across Availability Zones or regions',
  'Load balancer capacity units (ALB LCUs, NLB NLCUs)',
  'CloudFront requests and data transfer beyond the always-free tier (1 TB and 10 million requests a month)',
  'CloudFront Functions invocations, and CloudFront KeyValueStore reads and API calls',
  'S3 storage and requests',
  'CloudWatch Logs ingestion and storage; custom metrics and dashboards',
  'ECR image storage beyond the free tier',
  'Route 53 DNS queries',
  'NAT gateway and interface endpoint data processing (per GB)',
  'Secrets Manager, KMS and WAF requests',
  'RDS backup storage beyond the size of the database, snapshots, and T4g/T3 CPU credits above baseline',
  'Lambda, Step Functions and CodeBuild runs (custom resources and deploy-time jobs)',
  'AWS Free Tier and any account discounts (Savings Plans, reserved instances, credits)',
];
