/**
 * PizzaDns creating its own hosted zone, outside us-east-1: `created.DOMAIN`, delegated from your zone so that both
 * certificates validate. Its destroy shows the lifecycle of a created zone: the validation records are deleted
 * before the zone, so the zone goes with the stack.
 *
 * Deploy against your own zone: `-c domainName=example.com -c hostedZoneId=Z...`.
 */
import { dnsIntegApp } from './integ-helpers';

dnsIntegApp('created-zone', 'us-east-2', true);
