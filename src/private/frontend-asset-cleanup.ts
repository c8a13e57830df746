/** The object tag that records when a hashed asset stopped being part of the deployed build. */
export const ASSET_RETIRED_TAG = 'pizza-constructs:retired-at';

/**
 * Source of the Lambda function (Node.js, inline) behind `PizzaFrontend`'s asset cleanup custom resource.
 *
 * On every create or update (that is, every deploy whose build changed) it walks the objects under `Prefix`:
 * - a key of the current build (`CurrentKeys`) is left alone (a retirement tag left from an older build is removed);
 * - any other key is a previous build's file: the first time it is seen it is tagged with the time it was retired;
 *   once it has been retired for `RetentionDays` days it is deleted.
 * So a previous build's files stay at least `RetentionDays` after the deploy that replaced them, and go at the first
 * deploy after that. A sweep that runs short of time stops and answers; the next deploy goes on. The sweep is best effort: an error is logged and reported as data, never as a failed deploy
 * (a failure here must not roll back the site or wedge a rollback); the next deploy sweeps again. Delete does
 * nothing: the bucket's own removal policy decides what happens to the files.
 *
 * It answers CloudFormation itself (PUT to the pre-signed `ResponseURL`), so it needs no provider framework.
 */
export const ASSET_CLEANUP_FUNCTION_CODE = `'use strict';
const s3sdk = require('@aws-sdk/client-s3');
const TAG = '${ASSET_RETIRED_TAG}';
const DAY_MS = 24 * 60 * 60 * 1000;
const s3 = new s3sdk.S3Client({});

async function setTags(bucket, key, tags) {
  if (tags.length === 0) {
    await s3.send(new s3sdk.DeleteObjectTaggingCommand({ Bucket: bucket, Key: key }));
  } else {
    await s3.send(new s3sdk.PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: tags } }));
  }
}

async function sweep(props, now, deadline) {
  const bucket = props.BucketName;
  const retentionMs = Number(props.RetentionDays) * DAY_MS;
  const current = new Set(props.CurrentKeys || []);
  const result = { Kept: 0, Retired: 0, Deleted: 0 };
  let token;
  do {
    const page = await s3.send(
      new s3sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: props.Prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents || []) {
      if (Date.now() > deadline) {
        // out of time: answer CloudFormation now; the next deploy carries on where this one stopped
        result.Stopped = true;
        return result;
      }
      const key = object.Key;
      const tagging = await s3.send(new s3sdk.GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      const tags = tagging.TagSet || [];
      const mark = tags.find((t) => t.Key === TAG);
      const others = tags.filter((t) => t.Key !== TAG);
      const retiredAt = mark ? Date.parse(mark.Value) : NaN;
      if (current.has(key)) {
        result.Kept++;
        if (mark) {
          await setTags(bucket, key, others);
        }
      } else if (Number.isNaN(retiredAt)) {
        result.Retired++;
        await setTags(bucket, key, others.concat([{ Key: TAG, Value: new Date(now).toISOString() }]));
      } else if (now - retiredAt >= retentionMs) {
        result.Deleted++;
        await s3.send(new s3sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }));
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return result;
}

exports.handler = async function (event, context) {
  let data = {};
  if (event.RequestType === 'Create' || event.RequestType === 'Update') {
    try {
      // keep 30 s to answer CloudFormation before the function times out
      const remaining = context && context.getRemainingTimeInMillis ? context.getRemainingTimeInMillis() : 60000;
      data = await sweep(event.ResourceProperties, Date.now(), Date.now() + remaining - 30000);
      console.log('asset cleanup', JSON.stringify(data));
    } catch (err) {
      console.error('asset cleanup failed, the next deploy retries', err);
      data = { Error: String((err && err.message) || err) };
    }
  }
  const body = JSON.stringify({
    Status: 'SUCCESS',
    Reason: 'See CloudWatch Logs: ' + (context && context.logStreamName),
    PhysicalResourceId: event.PhysicalResourceId || 'pizza-frontend-asset-cleanup',
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  await fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body });
};
`;
