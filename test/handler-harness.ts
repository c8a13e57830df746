/**
 * A local stand-in for the AWS APIs the custom resource handlers call (ECS and ECR over JSON, S3 and Route 53 over
 * REST/XML, CloudFormation, RDS and IAM over the query protocol) and
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

/** A Route 53 record set as the fake keeps it: values and a TTL, or (with `Values` empty) an alias target. */
export interface FakeRecord {
  readonly Name: string;
  readonly Type: string;
  readonly TTL?: number;
  readonly Values: string[];
  readonly Alias?: { HostedZoneId: string; DNSName: string; EvaluateTargetHealth: boolean };
}

/** The account's IAM OIDC provider for GitHub, as the fake keeps it. */
export interface FakeOidcProvider {
  clientIds: string[];
}

export interface FakeObject {
  tags: { Key: string; Value: string }[];
}

/**
 * An RDS DB instance. Each DescribeDBInstances reports `status`, then moves it to the next of `next` (the last
 * one stays). StopDBInstance (from `available`) makes it `stopping`, then `afterStop`; StartDBInstance (from
 * `stopped`) `starting`, then `afterStart`; ModifyDBInstance (from `available`) `modifying`, then `afterModify`.
 * From any other status they are refused with InvalidDBInstanceState, as RDS does. DeleteDBInstance with a final
 * snapshot (SkipFinalSnapshot false, RDS's default) is refused the same way unless the instance is `available` (RDS
 * takes a final snapshot only of an available instance); a delete RDS accepts removes the instance (DBInstanceNotFound
 * afterwards) and records the final snapshot in `dbSnapshots`.
 */
export interface FakeDbInstance {
  readonly identifier: string;
  status: string;
  next: string[];
  afterStop: string[];
  afterStart: string[];
  /** When set, each StartDBInstance takes its `afterStart` from here, in order (then `afterStart`). */
  afterStarts?: string[][];
  /** The statuses after `modifying` (default: one more poll `modifying`, then `available`). */
  afterModify?: string[];
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
  /** Run just before the fake answers an operation (not for 'hang'), to change its state under the caller. */
  public readonly before = new Map<string, () => void>();
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
  /** Record sets per ListResourceRecordSets page (fewer when the call asks for fewer). */
  public recordPageSize = 300;
  /** ChangeResourceRecordSets bodies (XML), refused ones included. */
  public readonly changes: string[] = [];
  /** The GitHub OIDC provider (`undefined`: the account has none). */
  public oidcProvider?: FakeOidcProvider;
  /** IAM calls with their query parameters (Action and Version left out), in order (refused ones included). */
  public readonly iamCalls: { operation: string; params: Record<string, string> }[] = [];
  /** The RDS instance (`undefined`: it does not exist). */
  public dbInstance?: FakeDbInstance = {
    identifier: 'pizza-db',
    status: 'available',
    next: [],
    afterStop: ['stopped'],
    afterStart: ['available'],
  };
  /** Further RDS instances beside `dbInstance` (the new one of a replacement, beside the old). */
  public readonly moreDbInstances: FakeDbInstance[] = [];
  /** RDS calls as `Operation identifier`, in order (refused ones included). */
  public readonly rdsCalls: string[] = [];
  /** The final snapshots RDS took (DeleteDBInstance with SkipFinalSnapshot false), by their identifiers. */
  public readonly dbSnapshots: string[] = [];
  /**
   * The stack's resources DescribeStackResource knows: logical id → physical id. A logical id missing here is a
   * resource CloudFormation has not created (ValidationError "Resource X does not exist for stack Y").
   */
  public readonly stackResources = new Map<string, string>();

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
    this.before.get(operation)?.();
    if (typeof target === 'string') {
      this.json(operation, behaviour, body, res);
    } else if (query && RDS_OPERATIONS.has(operation)) {
      this.rds(operation, behaviour, body, res);
    } else if (query && IAM_OPERATIONS.has(operation)) {
      this.iam(operation, behaviour, body, res);
    } else if (query) {
      this.cloudFormation(operation, behaviour, body, res);
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

  private cloudFormation(operation: string, behaviour: Behaviour, body: string, res: ServerResponse): void {
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
    if (operation === 'DescribeStackResource') {
      const params = new URLSearchParams(body);
      const logicalId = params.get('LogicalResourceId') ?? '';
      const stackName = params.get('StackName') ?? '';
      const physicalId = this.stackResources.get(logicalId);
      if (physicalId === undefined) {
        return error(400, 'ValidationError', `Resource ${logicalId} does not exist for stack ${stackName}`);
      }
      return sendXml(
        res,
        200,
        `<DescribeStackResourceResponse xmlns="${CLOUDFORMATION_NS}"><DescribeStackResourceResult>` +
          '<StackResourceDetail><StackName>Pizza</StackName>' +
          '<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/Pizza/1</StackId>' +
          `<LogicalResourceId>${escapeXml(logicalId)}</LogicalResourceId>` +
          `<PhysicalResourceId>${escapeXml(physicalId)}</PhysicalResourceId>` +
          '<ResourceType>AWS::RDS::DBInstance</ResourceType>' +
          '<LastUpdatedTimestamp>2026-12-01T00:00:00Z</LastUpdatedTimestamp>' +
          '<ResourceStatus>UPDATE_COMPLETE</ResourceStatus></StackResourceDetail>' +
          '</DescribeStackResourceResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>' +
          '</DescribeStackResourceResponse>',
      );
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
    const params = new URLSearchParams(body);
    const identifier = params.get('DBInstanceIdentifier') ?? '';
    this.rdsCalls.push(`${operation} ${identifier}`);
    if (behaviour === 'throttle') {
      return error(400, 'Throttling', 'Rate exceeded');
    }
    if (behaviour === 'denied') {
      return error(403, 'AccessDenied', `not authorized to perform rds:${operation}`);
    }
    const db = [this.dbInstance, ...this.moreDbInstances].find((i) => i?.identifier === identifier);
    if (!db) {
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
    } else if (operation === 'ModifyDBInstance' && db.status === 'available') {
      [db.status, db.next] = ['modifying', [...(db.afterModify ?? ['modifying', 'available'])]];
    } else if (operation === 'ModifyDBInstance') {
      return error(400, 'InvalidDBInstanceState', 'Database instance is not in available state.');
    } else if (operation === 'DeleteDBInstance') {
      const finalSnapshot = params.get('SkipFinalSnapshot') !== 'true';
      if (finalSnapshot && db.status !== 'available') {
        return error(
          400,
          'InvalidDBInstanceState',
          `Instance ${identifier} is not in available state (${db.status}): a final snapshot cannot be created.`,
        );
      }
      if (finalSnapshot) {
        this.dbSnapshots.push(params.get('FinalDBSnapshotIdentifier') ?? '');
      }
      db.status = 'deleting';
      if (db === this.dbInstance) {
        this.dbInstance = undefined;
      } else {
        this.moreDbInstances.splice(this.moreDbInstances.indexOf(db), 1);
      }
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

  private iam(operation: string, behaviour: Behaviour, body: string, res: ServerResponse): void {
    const error = (status: number, code: string, message: string) =>
      sendXml(
        res,
        status,
        `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      );
    const params = Object.fromEntries(
      [...new URLSearchParams(body)].filter(([key]) => key !== 'Action' && key !== 'Version'),
    );
    this.iamCalls.push({ operation, params });
    if (behaviour === 'throttle') {
      return error(400, 'Throttling', 'Rate exceeded');
    }
    if (behaviour === 'denied') {
      return error(
        403,
        'AccessDenied',
        `User: arn:aws:sts::123456789012:assumed-role/cdk-deploy/session is not authorized to perform: iam:${operation}`,
      );
    }
    const members = (prefix: string) =>
      Object.entries(params)
        .filter(([key]) => key.startsWith(`${prefix}.member.`))
        .sort(([a], [b]) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
        .map(([, value]) => value);
    const provider = this.oidcProvider;
    const arn = params.OpenIDConnectProviderArn ?? OIDC_PROVIDER_ARN;
    const missing = () => error(404, 'NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`);
    let result = '';
    switch (operation) {
      case 'GetOpenIDConnectProvider':
        if (!provider) {
          return missing();
        }
        result =
          '<Url>token.actions.githubusercontent.com</Url>' +
          `<ClientIDList>${provider.clientIds.map((id) => `<member>${id}</member>`).join('')}</ClientIDList>` +
          '<ThumbprintList/><CreateDate>2026-12-01T00:00:00Z</CreateDate>';
        break;
      case 'CreateOpenIDConnectProvider':
        if (provider) {
          return error(409, 'EntityAlreadyExists', `Provider with url ${params.Url} already exists.`);
        }
        this.oidcProvider = { clientIds: members('ClientIDList') };
        result = `<OpenIDConnectProviderArn>${OIDC_PROVIDER_ARN}</OpenIDConnectProviderArn>`;
        break;
      case 'AddClientIDToOpenIDConnectProvider':
        if (!provider) {
          return missing();
        }
        if (!provider.clientIds.includes(params.ClientID)) {
          provider.clientIds.push(params.ClientID);
        }
        break;
      case 'RemoveClientIDFromOpenIDConnectProvider':
        if (!provider) {
          return missing();
        }
        provider.clientIds = provider.clientIds.filter((id) => id !== params.ClientID);
        break;
      case 'DeleteOpenIDConnectProvider':
        if (!provider) {
          return missing();
        }
        this.oidcProvider = undefined;
        break;
      default:
        return error(400, 'InvalidAction', operation);
    }
    sendXml(
      res,
      200,
      `<${operation}Response xmlns="${IAM_NS}">` +
        (result ? `<${operation}Result>${result}</${operation}Result>` : '') +
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
    switch (operation) {
      case 'ListResourceRecordSets': {
        // Route 53 lists in order of name (labels reversed: com.example.pizza), then type, and starts at the first
        // record set at or after the name (and type) asked for
        const records = [...this.records].sort(compareRecords);
        const start = url.searchParams.get('name');
        const startType = url.searchParams.get('type') ?? '';
        const from = start
          ? records.findIndex((r) => compareRecords(r, { Name: fqdn(start), Type: startType }) >= 0)
          : 0;
        const first = from < 0 ? records.length : from;
        const pageSize = Math.min(this.recordPageSize, Number(url.searchParams.get('maxitems') ?? 300));
        const page = records.slice(first, first + pageSize);
        const next = records[first + pageSize];
        return sendXml(
          res,
          200,
          `<ListResourceRecordSetsResponse xmlns="${ROUTE53_NS}"><ResourceRecordSets>` +
            page.map(recordXml).join('') +
            `</ResourceRecordSets><IsTruncated>${next !== undefined}</IsTruncated>` +
            (next
              ? `<NextRecordName>${escapeXml(next.Name)}</NextRecordName><NextRecordType>${next.Type}</NextRecordType>`
              : '') +
            `<MaxItems>${pageSize}</MaxItems></ListResourceRecordSetsResponse>`,
        );
      }
      case 'ChangeResourceRecordSets': {
        this.changes.push(body);
        // atomic, as Route 53's: every change is checked (against the zone as the changes before it leave it) on a
        // copy, which replaces the zone only when all of them pass
        const records = [...this.records];
        for (const change of body.match(/<Change>[\s\S]*?<\/Change>/g) ?? []) {
          const problem = applyChange(records, change);
          if (problem) {
            return error(400, 'InvalidChangeBatch', problem);
          }
        }
        this.records = records;
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
const RDS_OPERATIONS = new Set([
  'DescribeDBInstances',
  'StopDBInstance',
  'StartDBInstance',
  'ModifyDBInstance',
  'DeleteDBInstance',
]);

const CLOUDFORMATION_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const IAM_OPERATIONS = new Set([
  'GetOpenIDConnectProvider',
  'CreateOpenIDConnectProvider',
  'AddClientIDToOpenIDConnectProvider',
  'RemoveClientIDFromOpenIDConnectProvider',
  'DeleteOpenIDConnectProvider',
  'ListOpenIDConnectProviders',
  'UpdateOpenIDConnectProviderThumbprint',
]);
/** The ARN of the account's GitHub OIDC provider. */
export const OIDC_PROVIDER_ARN = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** A name as Route 53 keeps it: lower case, with the final dot. */
function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** Route 53's listing order: by name, its labels reversed, then by type. */
function compareRecords(a: { Name: string; Type: string }, b: { Name: string; Type: string }): number {
  const labels = (name: string) => fqdn(name).split('.').filter(Boolean).reverse();
  const [x, y] = [labels(a.Name), labels(b.Name)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      return x[i] < y[i] ? -1 : 1;
    }
  }
  if (x.length !== y.length) {
    return x.length - y.length;
  }
  return a.Type === b.Type ? 0 : a.Type < b.Type ? -1 : 1;
}

/** A record set as ListResourceRecordSets returns it. */
function recordXml(r: FakeRecord): string {
  let data: string;
  if (r.Alias) {
    const { HostedZoneId, DNSName, EvaluateTargetHealth } = r.Alias;
    data =
      `<AliasTarget><HostedZoneId>${HostedZoneId}</HostedZoneId><DNSName>${escapeXml(DNSName)}</DNSName>` +
      `<EvaluateTargetHealth>${EvaluateTargetHealth}</EvaluateTargetHealth></AliasTarget>`;
  } else {
    const values = r.Values.map((v) => `<ResourceRecord><Value>${escapeXml(v)}</Value></ResourceRecord>`);
    data = `${r.TTL !== undefined ? `<TTL>${r.TTL}</TTL>` : ''}<ResourceRecords>${values.join('')}</ResourceRecords>`;
  }
  return `<ResourceRecordSet><Name>${escapeXml(r.Name)}</Name><Type>${r.Type}</Type>${data}</ResourceRecordSet>`;
}

/** One `<Change>` of a ChangeResourceRecordSets body: its action and record set. */
function parseChange(xml: string): { action: string; record: FakeRecord } {
  const tag = (name: string, within = xml) => within.match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`))?.[1];
  const ttl = tag('TTL');
  const target = tag('AliasTarget');
  const alias = target && {
    HostedZoneId: tag('HostedZoneId', target) ?? '',
    DNSName: unescapeXml(tag('DNSName', target) ?? ''),
    EvaluateTargetHealth: tag('EvaluateTargetHealth', target) === 'true',
  };
  const values = [...xml.matchAll(/<ResourceRecord><Value>([^<]*)<\/Value><\/ResourceRecord>/g)];
  return {
    action: tag('Action') ?? '',
    record: {
      Name: fqdn(unescapeXml(tag('Name') ?? '')),
      Type: tag('Type') ?? '',
      ...(ttl !== undefined ? { TTL: Number(ttl) } : {}),
      Values: values.map((m) => unescapeXml(m[1])),
      ...(alias ? { Alias: alias } : {}),
    },
  };
}

/** Whether two record sets of one name and type hold the same data (what a DELETE must give exactly). */
function sameData(a: FakeRecord, b: FakeRecord): boolean {
  if (a.Alias || b.Alias) {
    return (
      !!a.Alias &&
      !!b.Alias &&
      a.Alias.HostedZoneId === b.Alias.HostedZoneId &&
      fqdn(a.Alias.DNSName) === fqdn(b.Alias.DNSName) &&
      a.Alias.EvaluateTargetHealth === b.Alias.EvaluateTargetHealth
    );
  }
  return a.TTL === b.TTL && [...a.Values].sort().join('\n') === [...b.Values].sort().join('\n');
}

/** Apply one change to `records` as Route 53 does; the InvalidChangeBatch message when Route 53 refuses it. */
function applyChange(records: FakeRecord[], xml: string): string | undefined {
  const { action, record } = parseChange(xml);
  const what = `resource record set [name='${record.Name}', type='${record.Type}']`;
  const index = records.findIndex((r) => fqdn(r.Name) === record.Name && r.Type === record.Type);
  if (action === 'DELETE') {
    if (index < 0) {
      return `Tried to delete ${what} but it was not found`;
    }
    if (!sameData(records[index], record)) {
      return `Tried to delete ${what} but the values provided do not match the current values`;
    }
    records.splice(index, 1);
    return undefined;
  }
  if (action !== 'CREATE' && action !== 'UPSERT') {
    return `Unknown action ${action}`;
  }
  if (action === 'CREATE' && index >= 0) {
    return `Tried to create ${what} but it already exists`;
  }
  // a CNAME stands alone: no other record set may have its name (nor may one join it)
  const conflict = records.find(
    (r) => fqdn(r.Name) === record.Name && r.Type !== record.Type && (r.Type === 'CNAME' || record.Type === 'CNAME'),
  );
  if (conflict) {
    const zone = record.Name.split('.').slice(-3).join('.');
    return (
      `RRSet of type ${record.Type} with DNS name ${record.Name} is not permitted because a conflicting RRSet of ` +
      `type ${conflict.Type} with the same DNS name already exists in zone ${zone}`
    );
  }
  if (index >= 0) {
    records[index] = record;
  } else {
    records.push(record);
  }
  return undefined;
}

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
