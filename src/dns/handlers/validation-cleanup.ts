/**
 * Empties a hosted zone that PizzaDns created of the DNS validation records ACM's certificates left in it, when the
 * zone goes (see `cleanUpValidationRecords` in pizza-dns.ts).
 *
 * CloudFormation's certificate writes its validation CNAME into the zone and never deletes it, and Route 53 refuses to
 * delete a zone that holds records other than its NS and SOA (HostedZoneNotEmpty): `cdk destroy`, and the rollback of
 * a failed first deploy, would stop there. The certificates depend on this resource, so CloudFormation deletes them
 * first, then this resource (which deletes the records), then the zone.
 *
 * CloudFormation events:
 * - Create and Update do nothing but name the zone in the physical id (`validation-cleanup-<zone id>`). A new zone
 *   (a new domain name) thus gives a new physical id, and CloudFormation sends the old one a Delete in its cleanup
 *   phase, after the old certificates and before the old zone.
 * - Delete takes the zone from the physical id and deletes every CNAME whose value is an ACM validation target
 *   (`*.acm-validations.aws.`), and nothing else: the alias records of the frontend and the service are
 *   CloudFormation's to delete. It always succeeds, as a Delete must on a transient error: when the records cannot be
 *   deleted (the error is logged and reported), the zone's own deletion fails with HostedZoneNotEmpty, and the
 *   records are then deleted by hand (see the README, "Teardown and keeping data").
 */
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  ListResourceRecordSetsCommandOutput,
  ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  Answer,
  CloudFormationEvent,
  describeError,
  LambdaContext,
  raceDeadline,
  respond,
  SDK_CLIENT_CONFIG,
  TIMED_OUT,
  workDeadline,
} from '../../shared/handlers/cfn-response';

/** The physical id of a cleanup resource: this, then the id of its zone. */
export const PHYSICAL_ID_PREFIX = 'validation-cleanup-';

/** The domain of the CNAME targets ACM asks DNS validation records to point to. */
const ACM_VALIDATION_TARGET = /\.acm-validations\.aws\.?$/i;

export async function handler(event: CloudFormationEvent, context: LambdaContext): Promise<void> {
  await respond(event, context, await cleanup(event, context));
}

/** The answer to one event (see above): always SUCCESS, with the records deleted (or the error) as data. */
export async function cleanup(event: CloudFormationEvent, context: LambdaContext): Promise<Answer> {
  const propertyZone = String(event.ResourceProperties.HostedZoneId ?? '').replace(/^\/hostedzone\//, '');
  if (event.RequestType !== 'Delete') {
    return { status: 'SUCCESS', physicalResourceId: `${PHYSICAL_ID_PREFIX}${propertyZone}` };
  }
  // the zone this resource was created or last updated for, whichever properties the Delete carries
  const physicalResourceId = event.PhysicalResourceId ?? '';
  const zoneId = physicalResourceId.startsWith(PHYSICAL_ID_PREFIX)
    ? physicalResourceId.slice(PHYSICAL_ID_PREFIX.length)
    : propertyZone;
  const deadline = workDeadline(context);
  try {
    const deleted = await raceDeadline(deleteValidationRecords(zoneId), deadline);
    if (deleted === TIMED_OUT) {
      console.error(`deleting the validation records of ${zoneId} timed out`);
      return { status: 'SUCCESS', physicalResourceId, data: { Error: 'timed out' } };
    }
    console.log(`deleted ${deleted.length} validation record(s) from ${zoneId}: ${deleted.join(', ')}`);
    return { status: 'SUCCESS', physicalResourceId, data: { Deleted: deleted.length } };
  } catch (err) {
    // NoSuchHostedZone: the zone is gone already, nothing is left to do
    console.error(`deleting the validation records of ${zoneId} failed:`, describeError(err));
    return { status: 'SUCCESS', physicalResourceId, data: { Error: describeError(err) } };
  }
}

/** Delete the zone's ACM validation CNAMEs in one change; their names. */
async function deleteValidationRecords(zoneId: string): Promise<string[]> {
  const route53 = new Route53Client(SDK_CLIENT_CONFIG);
  const found: ResourceRecordSet[] = [];
  let page: ListResourceRecordSetsCommandOutput | undefined;
  do {
    page = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: page?.NextRecordName,
        StartRecordType: page?.NextRecordType,
        StartRecordIdentifier: page?.NextRecordIdentifier,
      }),
    );
    found.push(...(page.ResourceRecordSets ?? []).filter(isValidationRecord));
  } while (page.IsTruncated);
  if (found.length > 0) {
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Comment: 'pizza-constructs: the ACM validation records of a hosted zone that is being deleted',
          Changes: found.map((record) => ({ Action: 'DELETE', ResourceRecordSet: record })),
        },
      }),
    );
  }
  return found.map((record) => record.Name ?? '');
}

function isValidationRecord(record: ResourceRecordSet): boolean {
  const values = record.ResourceRecords ?? [];
  return (
    record.Type === 'CNAME' &&
    values.length === 1 &&
    ACM_VALIDATION_TARGET.test(values[0].Value ?? '') &&
    (record.Name ?? '').startsWith('_')
  );
}
