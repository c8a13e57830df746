import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { PizzaDns } from '../dns/pizza-dns';

/**
 * Properties of a `PizzaLoadBalancer`.
 */
export interface PizzaLoadBalancerProps {
  /**
   * The domain: the HTTPS listener uses its certificate (`DOMAIN` and `*.DOMAIN`), and port 80 redirects to HTTPS.
   *
   * @default - no HTTPS: the services are served over plain HTTP on port 80 (with a synth-time warning)
   */
  readonly dns?: PizzaDns;

  /**
   * The VPC. Every service on the load balancer runs in it, in its public subnets.
   *
   * @default - a new lean VPC, as `PizzaService` creates one: 2 AZs, public and isolated subnets, no NAT gateway
   */
  readonly vpc?: ec2.IVpc;
}
