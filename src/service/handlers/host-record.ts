/**
 * Makes room for a PizzaService's host record (see `createHostRecords` in src/service/host-record.ts) when its type
 * changes: from the alias A/AAAA pair to the CNAME the course's grader resolves, or back.
 *
 * Route 53 refuses a CNAME beside any other record of the same name, and CloudFormation creates the new record before
 * it deletes the old ones (removed resources go in the cleanup phase, after every create). So the new record depends
 * on this resource, which deletes the other form first, in one atomic change batch:
 *
 * - keeping `CNAME`: the A and AAAA alias records of the name whose alias target is a load balancer
 *   (`*.elb.amazonaws.com`) or a CloudFront distribution (`*.cloudfront.net`), the targets this library writes;
 * - keeping `ALIAS`: the CNAME of the name whose value is such a target.
 *
 * Any other record of the name is left alone (then Route 53 refuses the new record, and the deploy rolls back).
 * CloudFormation's later delete of the old record resources finds them gone; a failed delete in the cleanup phase
 * does not fail the update.
 *
 * CloudFormation events:
 * - Create and Update: as above. The physical id names the zone, the name, the kept form and what was deleted
 *   (`pizza-host-record|ZONE|NAME|FORM|BASE64-JSON`), so a rollback can restore it.
 * - Delete while the stack rolls back (the resource was created by the update that failed, and the new record is
 *   deleted already, since it depends on this one): the deleted records are created again. Any other Delete (the
 *   stack goes, or the form changes again) does nothing. A Delete always succeeds: a failed restore is logged.
 */
import {
  Change,
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
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
import { stackStatus } from '../../shared/handlers/stack-status';

export const PHYSICAL_ID_PREFIX = 'pizza-host-record';

/** The targets this library points a service's host to. */
const LIBRARY_TARGET = /\.(elb\.amazonaws\.com|cloudfront\.net)\.?$/i;

/** Stack states in which a Delete undoes a create of the update (or stack creation) that failed. */
const ROLLING_BACK = [
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'ROLLBACK_IN_PROGRESS',
];

export async function handler(event: CloudFormationEvent, context: LambdaContext): Promise<void> {
  await respond(event, context, await makeRoom(event, context));
}

/** The answer to one event (see above). */
export async function makeRoom(event: CloudFormationEvent, context: LambdaContext): Promise<Answer> {
  const deadline = workDeadline(context);
  if (event.RequestType === 'Delete') {
    return restoreOnRollback(event, deadline);
  }
  const zoneId = String(event.ResourceProperties.HostedZoneId ?? '').replace(/^\/hostedzone\//, '');
  const name = fqdn(String(event.ResourceProperties.RecordName ?? ''));
  const keep = String(event.ResourceProperties.Keep ?? '');
  const fallbackId = physicalId(zoneId, name, keep, []);
  try {
    const deleted = await raceDeadline(deleteOtherForm(zoneId, name, keep), deadline);
    if (deleted === TIMED_OUT) {
      return {
        status: 'FAILED',
        physicalResourceId: event.PhysicalResourceId ?? fallbackId,
        reason: 'Route 53 did not answer in time; deploy again',
      };
    }
    const id = physicalId(zoneId, name, keep, deleted);
    console.log(`keeping ${keep} for ${name}: deleted ${deleted.map((r) => r.Type).join(', ') || 'nothing'}`);
    return { status: 'SUCCESS', physicalResourceId: id, data: { Deleted: deleted.length } };
  } catch (err) {
    return {
      status: 'FAILED',
      physicalResourceId: event.PhysicalResourceId ?? fallbackId,
      reason: `Could not make room for the ${keep} record of ${name} in ${zoneId}: ${describeError(err)}`,
    };
  }
}

/** Delete the other form of the name's record, when it points where this library points; what was deleted. */
async function deleteOtherForm(zoneId: string, name: string, keep: string): Promise<ResourceRecordSet[]> {
  const route53 = new Route53Client(SDK_CLIENT_CONFIG);
  const page = await route53.send(
    new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, MaxItems: 10 }),
  );
  const sameName = (page.ResourceRecordSets ?? []).filter((r) => fqdn(r.Name ?? '') === name && !r.SetIdentifier);
  const doomed = sameName.filter((record) => (keep === 'CNAME' ? isLibraryAlias(record) : isLibraryCname(record)));
  if (doomed.length > 0) {
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Comment: `pizza-constructs: ${name} becomes a ${keep} record`,
          Changes: doomed.map((record): Change => ({ Action: 'DELETE', ResourceRecordSet: record })),
        },
      }),
    );
  }
  return doomed;
}

/** On a rollback, create again what the Create or Update of this physical id deleted. */
async function restoreOnRollback(event: CloudFormationEvent, deadline: number): Promise<Answer> {
  const physicalResourceId = event.PhysicalResourceId ?? '';
  const parsed = parsePhysicalId(physicalResourceId);
  if (!parsed || parsed.deleted.length === 0) {
    return { status: 'SUCCESS', physicalResourceId };
  }
  const status = await stackStatus(event.StackId, deadline);
  if (status === undefined || !ROLLING_BACK.includes(status)) {
    console.log(`stack ${status ?? 'in an unknown state'}: the deleted records stay deleted`);
    return { status: 'SUCCESS', physicalResourceId };
  }
  try {
    const route53 = new Route53Client(SDK_CLIENT_CONFIG);
    const restored = await raceDeadline(
      route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: parsed.zoneId,
          ChangeBatch: {
            Comment: `pizza-constructs: the rollback restores ${parsed.name}`,
            Changes: parsed.deleted.map((record): Change => ({ Action: 'UPSERT', ResourceRecordSet: record })),
          },
        }),
      ),
      deadline,
    );
    console.log(restored === TIMED_OUT ? 'restoring timed out' : `restored ${parsed.deleted.length} record(s)`);
  } catch (err) {
    console.error(`restoring the records of ${parsed.name} failed:`, describeError(err));
  }
  return { status: 'SUCCESS', physicalResourceId };
}

function isLibraryAlias(record: ResourceRecordSet): boolean {
  return (record.Type === 'A' || record.Type === 'AAAA') && LIBRARY_TARGET.test(record.AliasTarget?.DNSName ?? '');
}

function isLibraryCname(record: ResourceRecordSet): boolean {
  const values = record.ResourceRecords ?? [];
  return record.Type === 'CNAME' && values.length === 1 && LIBRARY_TARGET.test(values[0].Value ?? '');
}

/** A name as Route 53 lists it: lower case, with the final dot. */
export function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** The physical id: the zone, name and form, and the deleted records (kept small: at most two alias records). */
export function physicalId(zoneId: string, name: string, keep: string, deleted: ResourceRecordSet[]): string {
  const minimal = deleted.map((r) => ({
    Name: r.Name,
    Type: r.Type,
    ...(r.AliasTarget ? { AliasTarget: r.AliasTarget } : { TTL: r.TTL, ResourceRecords: r.ResourceRecords }),
  }));
  const encoded = Buffer.from(JSON.stringify(minimal)).toString('base64');
  return [PHYSICAL_ID_PREFIX, zoneId, name, keep, encoded].join('|');
}

export function parsePhysicalId(
  id: string,
): { zoneId: string; name: string; keep: string; deleted: ResourceRecordSet[] } | undefined {
  const [prefix, zoneId, name, keep, encoded] = id.split('|');
  if (prefix !== PHYSICAL_ID_PREFIX || !encoded) {
    return undefined;
  }
  try {
    return { zoneId, name, keep, deleted: JSON.parse(Buffer.from(encoded, 'base64').toString('utf-8')) };
  } catch {
    return undefined;
  }
}
