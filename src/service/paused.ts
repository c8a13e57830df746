import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { createHostRecords, HostRecordForm } from './host-record';
import type { PizzaDns } from '../dns/pizza-dns';
import { acknowledgeNag } from '../shared/nag';

/** What a paused service answers, as JSON: the upstream service's own error shape (`message`). */
export const PAUSED_MESSAGE = 'The JWT Pizza service is paused. Its owner can resume it with `cdk deploy`.';

/** Seconds a client is told to wait before trying again (`Retry-After`). */
const RETRY_AFTER_SECONDS = 3600;

/**
 * The viewer-request CloudFront Function (runtime cloudfront-js-2.0) of a paused service. Every request is answered
 * at the edge, none reaches the origin:
 *
 * - a CORS preflight (`OPTIONS`) gets 204 with the CORS headers, so that the browser goes on to the real request;
 * - every other request gets 503 with a JSON body `{"message": ...}` (the upstream service's error shape), the
 *   CORS headers the upstream service sends (the caller's origin, with credentials), `Retry-After` and `no-store`,
 *   so that the SPA can read and show the message.
 *
 * Kept to ES5 syntax so it runs unchanged on both CloudFront runtimes and in the unit tests.
 */
export const PAUSED_FUNCTION_CODE = `function handler(event) {
  var origin = event.request.headers.origin;
  var headers = {
    'access-control-allow-origin': { value: origin ? origin.value : '*' },
    'access-control-allow-credentials': { value: 'true' },
    'access-control-allow-methods': { value: 'GET, POST, PUT, DELETE, OPTIONS' },
    'access-control-allow-headers': { value: 'Content-Type, Authorization' },
    'cache-control': { value: 'no-store' },
    vary: { value: 'Origin' }
  };
  if (event.request.method === 'OPTIONS') {
    return { statusCode: 204, statusDescription: 'No Content', headers: headers };
  }
  headers['content-type'] = { value: 'application/json' };
  headers['retry-after'] = { value: '${RETRY_AFTER_SECONDS}' };
  return {
    statusCode: 503,
    statusDescription: 'Service Unavailable',
    headers: headers,
    body: { encoding: 'text', data: ${JSON.stringify(JSON.stringify({ message: PAUSED_MESSAGE }))} }
  };
}
`;

/**
 * Creates, in `scope`, what answers for a paused service at no idle cost: a CloudFront distribution on `hostname`
 * (the `PizzaDns` us-east-1 certificate) whose viewer-request function answers every request, and the host record
 * of `hostname` pointing to it. CloudFront bills per request; an idle distribution and function cost nothing.
 */
export function createPausedResponder(
  scope: Construct,
  dns: PizzaDns,
  hostname: string,
  hostRecordForm: HostRecordForm,
): cloudfront.Distribution {
  const answer = new cloudfront.Function(scope, 'PausedAnswer', {
    comment: 'JWT Pizza service paused: every request gets 503 with a JSON message',
    runtime: cloudfront.FunctionRuntime.JS_2_0,
    code: cloudfront.FunctionCode.fromInline(PAUSED_FUNCTION_CODE),
  });
  const distribution = new cloudfront.Distribution(scope, 'PausedDistribution', {
    comment: `JWT Pizza service paused: ${hostname}`.slice(0, 128),
    domainNames: [hostname],
    certificate: dns.cloudFrontCertificate,
    minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
    defaultBehavior: {
      // never contacted: the function answers every request before CloudFront would go to an origin
      origin: new origins.HttpOrigin(dns.domainName, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      functionAssociations: [{ function: answer, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    },
  });
  createHostRecords(scope, dns, hostname, hostRecordForm, {
    alias: route53.RecordTarget.fromAlias(new route53Targets.CloudFrontTarget(distribution)),
    domainName: distribution.distributionDomainName,
  });
  acknowledgeNag(distribution, [
    {
      id: 'AwsSolutions-CFR1',
      reason: 'The paused answer is the same for every country; there is nothing to restrict.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason: 'The distribution only answers 503 from a function and reaches no origin; a web ACL costs $5/month.',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason: 'Access logs need a log bucket with its own teardown; the paused answer carries no data worth logging.',
    },
  ]);
  return distribution;
}
