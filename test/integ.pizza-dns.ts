/**
 * PizzaDns in the course region, us-east-1: one certificate serves CloudFront and the load balancer.
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...`. The assertion checks that the
 * certificate was issued.
 */
import { dnsIntegApp } from './integ-helpers';

dnsIntegApp('us-east-1', 'us-east-1', false);
