/**
 * PizzaDns outside us-east-1: a regional certificate, plus a us-east-1 one for CloudFront that the construct's custom
 * resource requests (kept when the stack goes).
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...`. The assertion checks that the
 * regional certificate was issued; the stack completes only once the us-east-1 one is.
 */
import { dnsIntegApp } from './integ-helpers';

dnsIntegApp('us-east-2', 'us-east-2', false);
