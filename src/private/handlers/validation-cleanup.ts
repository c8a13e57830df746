/**
 * Empties a hosted zone that PizzaDns created of the DNS validation records ACM's certificates left in it, when the
 * zone goes (see dns-validation-cleanup.ts).
 *
 * CloudFormation's certificate writes its validation CNAME into the zone and never deletes it, and Route 53 refuses to
 * delete a zone that holds records other than its NS and SOA (HostedZoneNotEmpty): `cdk destroy`, and the rollback of
 * a failed first deploy, would stop there. The certificates depend on this resource, so CloudFormation deletes them
 * first, then this resource (which deletes the records), then the zone.
 *
 * CloudFormation events:
 * - Create and Update do nothing. The physical id names the zone, so a new zone is a new resource, and the old zone's
 *   resource gets its Delete when the old zone goes.
 * - Delete deletes every CNAME whose value is an ACM validation target (`*.acm-validations.aws.`) and nothing else:
 *   the alias records of the frontend and the service are CloudFormation's to delete. It always succeeds: when the
 *   records cannot be deleted, the zone's own deletion then fails with a clear error, and a retry runs this again.
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
} from './cfn-response';

/** The domain of the CNAME targets ACM asks DNS validation records to point to. */
const ACM_VALIDATION_TARGET = /\.acm-validations\.aws\.?$/i;

export async function handler(event: CloudFormationEvent, context: LambdaContext): Promise<void> {
  await respond(event, context, await cleanup(event, context));
}

/** The answer to one event (see above): always SUCCESS, with the records deleted (or the error) as data. */
export async function cleanup(event: CloudFormationEvent, context: LambdaContext): Promise<Answer> {
  const zoneId = String(event.ResourceProperties.HostedZoneId ?? '').replace(/^\/hostedzone\//, '');
  const physicalResourceId =
    event.RequestType === 'Create' ? `validation-cleanup-${zoneId}` : event.PhysicalResourceId!;
  if (event.RequestType !== 'Delete') {
    return { status: 'SUCCESS', physicalResourceId };
  }
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
