/**
 * A local stand-in for the AWS APIs the custom resource handlers call (ECS and ECR over JSON, S3 over REST/XML) and
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

export interface FakeObject {
  tags: { Key: string; Value: string }[];
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
  /** Every body PUT to the response URL (failed attempts included). */
  public readonly responses: Received[] = [];
  /** The bodies CloudFormation accepted. */
  public readonly accepted: Received[] = [];
  /** UpdateService inputs. */
  public readonly updates: any[] = [];

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
    const operation = typeof target === 'string' ? target.split('.')[1] : s3Operation(req.method ?? '', url);
    this.calls.push(operation);
    const behaviour = this.operations.get(operation) ?? this.behaviour;
    if (behaviour === 'hang') {
      return; // never answers: only the SDK's own time-outs or the handler's deadline end the wait
    }
    if (typeof target === 'string') {
      this.json(operation, behaviour, body, res);
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
