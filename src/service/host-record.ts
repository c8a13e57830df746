import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import type { PizzaDns } from '../dns/pizza-dns';
import { LibraryHandler } from '../shared/library-handler';
import { lowerCaseDnsName } from '../shared/validation';

/** The form of a service's host record: `CNAME` (the course's) or `ALIAS` (an A and an AAAA alias record). */
export type HostRecordForm = 'CNAME' | 'ALIAS';

/** A CNAME follows a pause or resume within a minute. */
const CNAME_TTL = Duration.minutes(1);

/** Where the host points: an alias target, and the DNS name a CNAME points to. */
export interface HostTarget {
  readonly alias: route53.RecordTarget;
  readonly domainName: string;
}

/**
 * Creates, in `scope`, the service's host record in `form`, and the custom resource it depends on, which deletes
 * the other form of the library's record of `hostname` first (see `src/service/handlers/host-record.ts`): Route 53
 * refuses a CNAME beside an A or AAAA record of the same name, and CloudFormation creates new records before it
 * deletes removed ones. Logical ids: `HostRecord` (the CNAME) or `AliasRecord` and `AliasRecordIpv6` (the alias
 * pair, as before), and `CnameRoom` or `AliasRoom`: a change of form is always a new room resource, whose Delete in
 * a rollback restores what it deleted.
 */
export function createHostRecords(
  scope: Construct,
  dns: PizzaDns,
  hostname: string,
  form: HostRecordForm,
  target: HostTarget,
): route53.RecordSet[] {
  const room = makeRoom(scope, dns, hostname, form);
  const records =
    form === 'CNAME'
      ? [
          new route53.CnameRecord(scope, 'HostRecord', {
            zone: dns.hostedZone,
            recordName: hostname,
            domainName: target.domainName,
            ttl: CNAME_TTL,
          }),
        ]
      : [
          new route53.ARecord(scope, 'AliasRecord', {
            zone: dns.hostedZone,
            recordName: hostname,
            target: target.alias,
          }),
          new route53.AaaaRecord(scope, 'AliasRecordIpv6', {
            zone: dns.hostedZone,
            recordName: hostname,
            target: target.alias,
          }),
        ];
  for (const record of records) {
    record.node.addDependency(room);
  }
  return records;
}

function makeRoom(scope: Construct, dns: PizzaDns, hostname: string, form: HostRecordForm): Construct {
  // a token (a domain from a CfnParameter) is left as it is: lower-casing its text would break it; the IAM condition
  // below then needs the deployed domain in lower case, as Route 53 normalizes the names it compares
  const name = lowerCaseDnsName(hostname).replace(/\.$/, '');
  const handler = new LibraryHandler(scope, form === 'CNAME' ? 'CnameRoom' : 'AliasRoom', {
    handler: 'host-record',
    description: `pizza-constructs: makes room for the ${form} record of the service host`,
    resourceType: 'Custom::PizzaHostRecordRoom',
    properties: { HostedZoneId: dns.hostedZone.hostedZoneId, RecordName: name, Keep: form },
    statements: [
      new iam.PolicyStatement({
        actions: ['route53:ListResourceRecordSets'],
        resources: [dns.hostedZone.hostedZoneArn],
      }),
      new iam.PolicyStatement({
        // only this name, only the record types it swaps
        actions: ['route53:ChangeResourceRecordSets'],
        resources: [dns.hostedZone.hostedZoneArn],
        conditions: {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': [name],
            'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'],
          },
        },
      }),
      new iam.PolicyStatement({
        actions: ['cloudformation:DescribeStacks'],
        resources: [Stack.of(scope).stackId],
      }),
    ],
  });
  return handler;
}
