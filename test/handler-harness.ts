/**
 * A local stand-in for the AWS APIs the custom resource handlers call (ECS and ECR over JSON, S3 and Route 53 over
 * REST/XML, CloudFormation and RDS over the query protocol) and
 * for CloudFormation's pre-signed response URL, on 127.0.0.1. The handlers run with the real AWS SDK v3 clients,
 * pointed here by `AWS_ENDPOINT_URL`.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';

/** How the fake answers an AWS call. */
export type Behaviour = 'ok' | 'throttle' | 'denied' | 'hang';

export interface FakeService {
  desiredCount: number;
  runningCount: number;
}

/** A Route 53 record set as the fake keeps it. */
export interface FakeRecord {
  readonly Name: string;
  readonly Type: string;
  readonly TTL?: number;
  readonly Values: string[];
}

export interface FakeObject {
  tags: { Key: string; Value: string }[];
}

/**
 * The one RDS DB instance. Each DescribeDBInstances reports `status`, then moves it to the next of `next` (the last
 * one stays). StopDBInstance (from `available`) makes it `stopping`, then `afterStop`; StartDBInstance (from
 * `stopped`) `starting`, then `afterStart`. From any other status they are refused with InvalidDBInstanceState.
 */
export interface FakeDbInstance {
  readonly identifier: string;
  status: string;
  next: string[];
  afterStop: string[];
  afterStart: string[];
  /** When set, each StartDBInstance takes its `afterStart` from here, in order (then `afterStart`). */
  afterStarts?: string[][];
}

/** One answer CloudFormation received. */
export interface Received {
  readonly body: any;
  readonly at: number;
}

export class FakeAws {
  /** What every AWS call does (per operation overrides in `operations`). */
  public behaviour: Behaviour = 'ok';
  public readonly operations = new Map<string, Behaviour>();
  /** The ECS service, if it exists. */
  public service?: FakeService;
  /** Whether the image tag exists in ECR. */
  public image = false;
  /** S3 objects of the one bucket, by key. */
  public readonly objects = new Map<string, FakeObject>();
  /** Objects per ListObjectsV2 page. */
  public pageSize = 1000;
  /** Statuses the response URL answers, in order; 200 once they run out. */
  public readonly responseStatuses: number[] = [];
  /** Every AWS operation called, in order. */
  public readonly calls: string[] = [];
  /** Every AWS request, as `METHOD /path?query`, in order. */
  public readonly requests: string[] = [];
  /** Every body PUT to the response URL (failed attempts included). */
  public readonly responses: Received[] = [];
  /** The bodies CloudFormation accepted. */
  public readonly accepted: Received[] = [];
  /** UpdateService inputs. */
  public readonly updates: any[] = [];
  /** The status DescribeStacks reports. */
  public stackStatus = 'UPDATE_IN_PROGRESS';
  /** The record sets of the one hosted zone (`undefined`: the zone does not exist). */
  public records?: FakeRecord[] = [];
  /** Record sets per ListResourceRecordSets page. */
  public recordPageSize = 300;
  /** ChangeResourceRecordSets bodies (XML). */
  public readonly changes: string[] = [];
  /** The RDS instance (`undefined`: it does not exist). */
  public dbInstance?: FakeDbInstance = {
    identifier: 'pizza-db',
    status: 'available',
    next: [],
    afterStop: ['stopped'],
    afterStart: ['available'],
  };
  /** RDS calls as `Operation identifier`, in order (refused ones included). */
  public readonly rdsCalls: string[] = [];

  private server?: Server;
  private readonly saved: Record<string, string | undefined> = {};

  public get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  public get responseUrl(): string {
    return `${this.url}/cloudformation-response/signed`;
  }

  /** Start listening and point the AWS SDK here (endpoint, dummy credentials, a region). */
  public async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => this.route(req, Buffer.concat(chunks).toString('utf-8'), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL: this.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
      CLUSTER: 'pizza-cluster',
      SERVICE: 'jwt-pizza-service',
      REPOSITORY: 'pizza-repository',
      IMAGE_TAG: 'latest',
      MIN_CAPACITY: '1',
      MAX_CAPACITY: '4',
      PAUSED: 'true',
      DB_INSTANCE_IDENTIFIER: 'pizza-db',
    };
    for (const [key, value] of Object.entries(env)) {
      this.saved[key] = process.env[key];
      process.env[key] = value;
    }
  }

  public async stop(): Promise<void> {
    for (const [key, value] of Object.entries(this.saved)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private route(req: IncomingMessage, body: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname.startsWith('/cloudformation-response/')) {
      const received = { body: JSON.parse(body), at: Date.now() };
      this.responses.push(received);
      const status = this.responseStatuses.shift() ?? 200;
      if (status === 200) {
        this.accepted.push(received);
      }
      res.writeHead(status).end();
      return;
    }
    const target = req.headers['x-amz-target'];
    const query = new URLSearchParams(body).get('Action');
    const route53 = url.pathname.startsWith('/2013-04-01/');
    const operation =
      typeof target === 'string'
        ? target.split('.')[1]
        : query
          ? query
          : route53
            ? route53Operation(req.method ?? '', url)
            : s3Operation(req.method ?? '', url);
    this.calls.push(operation);
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const behaviour = this.operations.get(operation) ?? this.behaviour;
    if (behaviour === 'hang') {
      return; // never answers: only the SDK's own time-outs or the handler's deadline end the wait
    }
    if (typeof target === 'string') {
      this.json(operation, behaviour, body, res);
    } else if (query && RDS_OPERATIONS.has(operation)) {
      this.rds(operation, behaviour, body, res);
    } else if (query) {
      this.cloudFormation(operation, behaviour, res);
    } else if (route53) {
      this.route53(operation, behaviour, url, body, res);
    } else {
      this.s3(operation, behaviour, url, body, res);
    }
  }

  private json(operation: string, behaviour: Behaviour, body: string, res: ServerResponse): void {
    const send = (status: number, payload: object): void => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
    };
    if (behaviour === 'throttle') {
      return send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    }
    if (behaviour === 'denied') {
      return send(400, { __type: 'AccessDeniedException', message: `not authorized to perform ${operation}` });
    }
    const input = JSON.parse(body || '{}');
    switch (operation) {
      case 'DescribeImages':
        return this.image
          ? send(200, { imageDetails: [{ imageTags: ['latest'] }] })
          : send(400, { __type: 'ImageNotFoundException', message: 'The image does not exist' });
      case 'DescribeServices':
        return send(
          200,
          this.service
            ? { services: [{ serviceName: input.services[0], status: 'ACTIVE', ...this.service }], failures: [] }
            : { services: [], failures: [{ reason: 'MISSING' }] },
        );
      case 'UpdateService':
        this.updates.push(input);
        return send(200, { service: { serviceName: input.service } });
      default:
        return send(400, { __type: 'UnknownOperationException', message: operation });
    }
  }

  private s3(operation: string, behaviour: Behaviour, url: URL, body: string, res: ServerResponse): void {
    const xml = (status: number, payload: string): void => {
      res
        .writeHead(status, { 'content-type': 'application/xml' })
        .end(`<?xml version="1.0" encoding="UTF-8"?>${payload}`);
    };
    if (behaviour === 'throttle') {
      return xml(503, '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
    }
    if (behaviour === 'denied') {
      return xml(403, '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
    }
    const key = decodeURIComponent(url.pathname.split('/').slice(2).join('/'));
    switch (operation) {
      case 'ListObjectsV2': {
        const prefix = url.searchParams.get('prefix') ?? '';
        const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
        const after = url.searchParams.get('continuation-token');
        const start = after ? keys.indexOf(after) + 1 : 0;
        const page = keys.slice(start, start + this.pageSize);
        const truncated = start + this.pageSize < keys.length;
        return xml(
          200,
          '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
            `<Name>site-bucket</Name><Prefix>${prefix}</Prefix><KeyCount>${page.length}</KeyCount>` +
            `<MaxKeys>1000</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
            (truncated ? `<NextContinuationToken>${page[page.length - 1]}</NextContinuationToken>` : '') +
            page.map((k) => `<Contents><Key>${k}</Key><Size>1</Size></Contents>`).join('') +
            '</ListBucketResult>',
        );
      }
      case 'GetObjectTagging':
        return xml(
          200,
          '<Tagging><TagSet>' +
            (this.objects.get(key)?.tags ?? [])
              .map((t) => `<Tag><Key>${t.Key}</Key><Value>${t.Value}</Value></Tag>`)
              .join('') +
            '</TagSet></Tagging>',
        );
      case 'PutObjectTagging': {
        const tags = [...body.matchAll(/<Tag><Key>([^<]*)<\/Key><Value>([^<]*)<\/Value><\/Tag>/g)].map((m) => ({
          Key: m[1],
          Value: m[2],
        }));
        this.objects.get(key)!.tags = tags;
        return xml(200, '');
      }
      case 'DeleteObjectTagging':
        this.objects.get(key)!.tags = [];
        res.writeHead(204).end();
        return;
      case 'DeleteObject':
        this.objects.delete(key);
        res.writeHead(204).end();
        return;
      default:
        return xml(400, `<Error><Code>NotImplemented</Code><Message>${operation}</Message></Error>`);
    }
  }

  private cloudFormation(operation: string, behaviour: Behaviour, res: ServerResponse): void {
    const error = (status: number, code: string, message: string) =>
      sendXml(
        res,
        status,
        `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      );
    if (behaviour === 'throttle') {
      return error(400, 'Throttling', 'Rate exceeded');
    }
    if (behaviour === 'denied') {
      return error(403, 'AccessDenied', `not authorized to perform cloudformation:${operation}`);
    }
    if (operation !== 'DescribeStacks') {
      return error(400, 'InvalidAction', operation);
    }
    sendXml(
      res,
      200,
      '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult>' +
        '<Stacks><member><StackName>Pizza</StackName>' +
        '<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/Pizza/1</StackId>' +
        `<CreationTime>2026-12-01T00:00:00Z</CreationTime><StackStatus>${this.stackStatus}</StackStatus>` +
        '</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>' +
        '</DescribeStacksResponse>',
    );
  }

  private rds(operation: string, behaviour: Behaviour, body: string, res: ServerResponse): void {
    const error = (status: number, code: string, message: string) =>
      sendXml(
        res,
        status,
        `<ErrorResponse xmlns="${RDS_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      );
    const identifier = new URLSearchParams(body).get('DBInstanceIdentifier') ?? '';
    this.rdsCalls.push(`${operation} ${identifier}`);
    if (behaviour === 'throttle') {
      return error(400, 'Throttling', 'Rate exceeded');
    }
    if (behaviour === 'denied') {
      return error(403, 'AccessDenied', `not authorized to perform rds:${operation}`);
    }
    const db = this.dbInstance;
    if (!db || db.identifier !== identifier) {
      return error(404, 'DBInstanceNotFound', `DBInstance ${identifier} not found.`);
    }
    const reported = db.status;
    if (operation === 'DescribeDBInstances') {
      if (db.next.length > 0) {
        db.status = db.next.shift()!;
      }
    } else if (operation === 'StopDBInstance' && db.status === 'available') {
      [db.status, db.next] = ['stopping', [...db.afterStop]];
    } else if (operation === 'StartDBInstance' && db.status === 'stopped') {
      [db.status, db.next] = ['starting', [...(db.afterStarts?.shift() ?? db.afterStart)]];
    } else {
      return error(400, 'InvalidDBInstanceState', `Instance ${identifier} is not in a valid state (${db.status}).`);
    }
    const instance =
      `<DBInstance><DBInstanceIdentifier>${identifier}</DBInstanceIdentifier>` +
      `<DBInstanceStatus>${operation === 'DescribeDBInstances' ? reported : db.status}</DBInstanceStatus></DBInstance>`;
    const result = operation === 'DescribeDBInstances' ? `<DBInstances>${instance}</DBInstances>` : instance;
    sendXml(
      res,
      200,
      `<${operation}Response xmlns="${RDS_NS}"><${operation}Result>${result}</${operation}Result>` +
        `<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></${operation}Response>`,
    );
  }

  private route53(operation: string, behaviour: Behaviour, url: URL, body: string, res: ServerResponse): void {
    const error = (status: number, code: string, message: string) =>
      sendXml(
        res,
        status,
        `<ErrorResponse xmlns="${ROUTE53_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      );
    if (behaviour === 'throttle') {
      return error(400, 'Throttling', 'Rate exceeded');
    }
    if (behaviour === 'denied') {
      return error(403, 'AccessDenied', `not authorized to perform route53:${operation}`);
    }
    if (!this.records) {
      return error(404, 'NoSuchHostedZone', 'No hosted zone found with ID: Z0123456789ABC');
    }
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    switch (operation) {
      case 'ListResourceRecordSets': {
        const start = url.searchParams.get('name');
        const startType = url.searchParams.get('type');
        const from = start ? this.records.findIndex((r) => r.Name === start && r.Type === startType) : 0;
        const page = this.records.slice(from, from + this.recordPageSize);
        const next = this.records[from + this.recordPageSize];
        return sendXml(
          res,
          200,
          `<ListResourceRecordSetsResponse xmlns="${ROUTE53_NS}"><ResourceRecordSets>` +
            page
              .map(
                (r) =>
                  `<ResourceRecordSet><Name>${escape(r.Name)}</Name><Type>${r.Type}</Type>` +
                  (r.TTL !== undefined ? `<TTL>${r.TTL}</TTL>` : '') +
                  '<ResourceRecords>' +
                  r.Values.map((v) => `<ResourceRecord><Value>${escape(v)}</Value></ResourceRecord>`).join('') +
                  '</ResourceRecords></ResourceRecordSet>',
              )
              .join('') +
            `</ResourceRecordSets><IsTruncated>${next !== undefined}</IsTruncated>` +
            (next
              ? `<NextRecordName>${escape(next.Name)}</NextRecordName><NextRecordType>${next.Type}</NextRecordType>`
              : '') +
            `<MaxItems>${this.recordPageSize}</MaxItems></ListResourceRecordSetsResponse>`,
        );
      }
      case 'ChangeResourceRecordSets': {
        this.changes.push(body);
        const deletes = [
          ...body.matchAll(
            /<Change><Action>DELETE<\/Action><ResourceRecordSet><Name>([^<]*)<\/Name><Type>([^<]*)<\/Type>/g,
          ),
        ];
        for (const [, name, type] of deletes) {
          const index = this.records.findIndex((r) => r.Name === name && r.Type === type);
          if (index < 0) {
            return error(
              400,
              'InvalidChangeBatch',
              `Tried to delete resource record set [name='${name}', type='${type}'] but it was not found`,
            );
          }
          this.records.splice(index, 1);
        }
        return sendXml(
          res,
          200,
          `<ChangeResourceRecordSetsResponse xmlns="${ROUTE53_NS}"><ChangeInfo><Id>/change/C1</Id>` +
            '<Status>PENDING</Status><SubmittedAt>2026-12-02T00:00:00Z</SubmittedAt></ChangeInfo>' +
            '</ChangeResourceRecordSetsResponse>',
        );
      }
      default:
        return error(400, 'InvalidInput', operation);
    }
  }
}

/** One XML answer. */
function sendXml(res: ServerResponse, status: number, payload: string): void {
  res.writeHead(status, { 'content-type': 'text/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>${payload}`);
}

const ROUTE53_NS = 'https://route53.amazonaws.com/doc/2013-04-01/';

const RDS_NS = 'http://rds.amazonaws.com/doc/2014-10-31/';
const RDS_OPERATIONS = new Set(['DescribeDBInstances', 'StopDBInstance', 'StartDBInstance']);

function route53Operation(method: string, url: URL): string {
  if (url.pathname.endsWith('/rrset') || url.pathname.endsWith('/rrset/')) {
    return method === 'GET' ? 'ListResourceRecordSets' : 'ChangeResourceRecordSets';
  }
  return `${method} ${url.pathname}`;
}

function s3Operation(method: string, url: URL): string {
  const tagging = url.searchParams.has('tagging');
  if (method === 'GET' && url.searchParams.get('list-type') === '2') {
    return 'ListObjectsV2';
  }
  if (tagging) {
    return { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' }[method] ?? method;
  }
  return method === 'DELETE' ? 'DeleteObject' : `${method} ${url.pathname}`;
}

/** A Lambda context with `remainingMs` left, counted from now. */
export function lambdaContext(remainingMs: number): { logStreamName: string; getRemainingTimeInMillis(): number } {
  const end = Date.now() + remainingMs;
  return { logStreamName: 'test-stream', getRemainingTimeInMillis: () => end - Date.now() };
}
