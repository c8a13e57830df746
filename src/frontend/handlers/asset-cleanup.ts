/**
 * `PizzaFrontend`'s asset cleanup (see pizza-frontend.ts).
 *
 * On every Create and Update (every deploy whose build changed) it walks the objects under `Prefix`:
 * - a key of the current build (`CurrentKeys`) is left alone (a retirement tag left from an older build is removed);
 * - any other key is a previous build's file: the first time it is seen it is tagged with the time it was retired;
 *   once it has been retired for `RetentionDays` days it is deleted.
 * So a previous build's files stay at least `RetentionDays` after the deploy that replaced them, and go at the first
 * deploy after that.
 *
 * Best effort, and it always answers SUCCESS before the Lambda function times out: a sweep that runs short of time
 * (or meets a call that never returns) stops and answers, and an error is logged and reported as data; the next
 * deploy sweeps again. A failure here must never roll back the site or wedge a rollback. Delete does nothing: the
 * bucket's removal policy decides what happens to the files.
 */
import {
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  PutObjectTaggingCommand,
  S3Client,
  Tag,
} from '@aws-sdk/client-s3';
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

/** The object tag that records when a hashed asset stopped being part of the deployed build. */
export const ASSET_RETIRED_TAG = 'pizza-constructs:retired-at';

/** The physical id of every cleanup resource: it has nothing of its own to identify. */
export const CLEANUP_PHYSICAL_ID = 'pizza-frontend-asset-cleanup';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a sweep did. */
export interface SweepResult {
  Kept: number;
  Retired: number;
  Deleted: number;
  Stopped?: boolean;
  Error?: string;
}

export async function handler(event: CloudFormationEvent, context: LambdaContext): Promise<void> {
  await respond(event, context, await cleanup(event, context, Date.now()));
}

/** Always SUCCESS; the sweep's counts (or its error) as data. */
export async function cleanup(event: CloudFormationEvent, context: LambdaContext, now: number): Promise<Answer> {
  const physicalResourceId = event.PhysicalResourceId ?? CLEANUP_PHYSICAL_ID;
  if (event.RequestType === 'Delete') {
    return { status: 'SUCCESS', physicalResourceId };
  }
  const result: SweepResult = { Kept: 0, Retired: 0, Deleted: 0 };
  const deadline = workDeadline(context);
  try {
    const swept = await raceDeadline(sweep(event.ResourceProperties, now, deadline, result), deadline);
    if (swept === TIMED_OUT) {
      result.Stopped = true;
    }
    console.log('asset cleanup', JSON.stringify(result));
  } catch (err) {
    result.Error = describeError(err);
    console.error('asset cleanup failed, the next deploy sweeps again:', result.Error);
  }
  return { status: 'SUCCESS', physicalResourceId, data: { ...result } };
}

async function sweep(props: Record<string, any>, now: number, deadline: number, result: SweepResult): Promise<void> {
  const s3 = new S3Client(SDK_CLIENT_CONFIG);
  const bucket = String(props.BucketName);
  const retentionMs = Number(props.RetentionDays) * DAY_MS;
  const current = new Set<string>(props.CurrentKeys ?? []);
  const setTags = async (key: string, tags: Tag[]): Promise<void> => {
    if (tags.length === 0) {
      await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: key }));
    } else {
      await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: tags } }));
    }
  };
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: props.Prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (Date.now() > deadline) {
        // out of time: answer CloudFormation now; the next deploy carries on where this one stopped
        result.Stopped = true;
        return;
      }
      const key = object.Key!;
      const tagging = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      const tags = tagging.TagSet ?? [];
      const mark = tags.find((t) => t.Key === ASSET_RETIRED_TAG);
      const others = tags.filter((t) => t.Key !== ASSET_RETIRED_TAG);
      const retiredAt = mark?.Value ? Date.parse(mark.Value) : NaN;
      if (current.has(key)) {
        result.Kept++;
        if (mark) {
          await setTags(key, others);
        }
      } else if (Number.isNaN(retiredAt)) {
        result.Retired++;
        await setTags(key, [...others, { Key: ASSET_RETIRED_TAG, Value: new Date(now).toISOString() }]);
      } else if (now - retiredAt >= retentionMs) {
        result.Deleted++;
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}
