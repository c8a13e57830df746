/**
 * Checks on synthesized CloudFormation templates for what a deploy would refuse but synth does not see:
 *
 * - `schemaFindings`: CloudFormation's own resource schemas, through `@aws/cloudformation-validate` as bundled in
 *   the newest aws-cdk-lib (installed as `aws-cdk-lib-newest`; the same validator aws-cdk-lib ≥ 2.262 runs at synth);
 * - `tagFindings`: every tag key and value against the character set and lengths AWS documents for tags;
 * - `accountWideNames`: the physical names of resources whose names are unique per account across all regions.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

/** One thing a template has that AWS would refuse. */
export interface TemplateFinding {
  readonly resource: string;
  readonly message: string;
}

/**
 * The characters AWS services allow in tag keys and values (ACM, ECS, Elastic Load Balancing, IAM, S3, Secrets
 * Manager, Lambda, CloudWatch Logs, ...): letters, digits, spaces and `_ . : / = + - @`. A few services (EC2) allow
 * more; every tag this library writes must pass the strictest, so it is checked everywhere.
 */
export const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Tag key and value lengths: 128 and 256, except where a service documents less. */
const TAG_LENGTHS: Record<string, { key: number; value: number }> = {
  default: { key: 128, value: 256 },
  'AWS::ECR::Repository': { key: 127, value: 255 },
};

/** The property that holds a resource's tags, where it is not `Tags`. */
const TAG_PROPERTIES: Record<string, string> = {
  'AWS::Route53::HostedZone': 'HostedZoneTags',
};

/**
 * Resource types whose physical names are unique per account across every region, and the property that holds the
 * name. The same stack in two regions of one account must give them different names.
 */
export const ACCOUNT_WIDE_NAMES: Record<string, (props: any) => unknown> = {
  'AWS::CloudFront::OriginAccessControl': (p) => p.OriginAccessControlConfig?.Name,
  'AWS::CloudFront::ResponseHeadersPolicy': (p) => p.ResponseHeadersPolicyConfig?.Name,
  'AWS::CloudFront::CachePolicy': (p) => p.CachePolicyConfig?.Name,
  'AWS::CloudFront::OriginRequestPolicy': (p) => p.OriginRequestPolicyConfig?.Name,
  'AWS::CloudFront::Function': (p) => p.Name,
  'AWS::CloudFront::KeyValueStore': (p) => p.Name,
  'AWS::IAM::Role': (p) => p.RoleName,
  'AWS::IAM::ManagedPolicy': (p) => p.ManagedPolicyName,
  'AWS::IAM::User': (p) => p.UserName,
  'AWS::IAM::Group': (p) => p.GroupName,
  'AWS::IAM::InstanceProfile': (p) => p.InstanceProfileName,
  'AWS::S3::Bucket': (p) => p.BucketName,
};

type Template = { Resources?: Record<string, { Type: string; Properties?: any; DependsOn?: string[] }> };

/** Every tag key and value of `template` that AWS would refuse (values that are CloudFormation intrinsics are skipped). */
export function tagFindings(template: Template): TemplateFinding[] {
  const findings: TemplateFinding[] = [];
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const tags = resource.Properties?.[TAG_PROPERTIES[resource.Type] ?? 'Tags'];
    if (!Array.isArray(tags)) {
      continue;
    }
    const lengths = TAG_LENGTHS[resource.Type] ?? TAG_LENGTHS.default;
    for (const { Key: key, Value: value } of tags) {
      for (const [what, text, max] of [
        ['key', key, lengths.key],
        ['value', value, lengths.value],
      ] as const) {
        if (typeof text !== 'string') {
          continue;
        }
        if (!TAG_PATTERN.test(text)) {
          findings.push({
            resource: `${id} (${resource.Type})`,
            message: `tag ${what} ${JSON.stringify(text)} has characters AWS refuses in tags`,
          });
        }
        if (text.length > max || (what === 'key' && text.length === 0)) {
          findings.push({
            resource: `${id} (${resource.Type})`,
            message: `tag ${what} ${JSON.stringify(text)} is ${text.length} characters (1 to ${max} allowed)`,
          });
        }
      }
      if (typeof key === 'string' && key.toLowerCase().startsWith('aws:')) {
        findings.push({ resource: `${id} (${resource.Type})`, message: `tag key ${JSON.stringify(key)} is reserved` });
      }
    }
  }
  return findings;
}

/** The account-wide physical names in `template`, as `Type name` strings (names that are intrinsics resolved). */
export function accountWideNames(template: Template, region: string): string[] {
  const names: string[] = [];
  for (const resource of Object.values(template.Resources ?? {})) {
    const name = ACCOUNT_WIDE_NAMES[resource.Type]?.(resource.Properties ?? {});
    if (name !== undefined) {
      names.push(`${resource.Type} ${resolveRegion(name, region)}`);
    }
  }
  return names;
}

/** `{ 'Fn::Join': ['', [{ Ref: 'AWS::Region' }, '-x']] }` in `region` is `region-x`; anything else stays JSON. */
function resolveRegion(value: unknown, region: string): string {
  if (typeof value === 'string') {
    return value;
  }
  const fnJoin = (value as any)?.['Fn::Join'];
  if (Array.isArray(fnJoin) && Array.isArray(fnJoin[1])) {
    return fnJoin[1]
      .map((part: unknown) => ((part as any)?.Ref === 'AWS::Region' ? region : resolveRegion(part, region)))
      .join(fnJoin[0]);
  }
  return JSON.stringify(value);
}

/** Diagnostics of `@aws/cloudformation-validate`, as far as this file uses them. */
interface Diagnostic {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly entity?: { readonly logicalId?: string; readonly resourceType?: string };
  readonly propertyPath?: string;
}

interface SchemaValidatorApi {
  validate(template: unknown, region?: string): Diagnostic[];
}

let validator: SchemaValidatorApi | undefined;

/** The validator bundled in the newest aws-cdk-lib (it is not published on its own at that version). */
function schemaValidator(): { validator: SchemaValidatorApi; TemplateFile: new (path: string) => unknown } {
  const root = join(require.resolve('aws-cdk-lib-newest/package.json'), '..');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require(join(root, 'node_modules', '@aws', 'cloudformation-validate', 'index.js'));
  validator = validator ?? new api.SchemaValidator();
  return { validator: validator!, TemplateFile: api.TemplateFile };
}

/**
 * What CloudFormation's resource schemas refuse in the template file (patterns, enums, lengths, required and unknown
 * properties), as aws-cdk-lib's synth-time validator reports it; informational notes (create-only properties) are
 * left out.
 */
export function schemaFindings(templateFile: string, region?: string): TemplateFinding[] {
  const { validator: v, TemplateFile } = schemaValidator();
  return v
    .validate(new TemplateFile(templateFile), region)
    .filter((d) => d.severity !== 'INFO')
    .map((d) => ({
      resource: `${d.entity?.logicalId ?? '(template)'} (${d.entity?.resourceType ?? ''})`,
      message: `${d.severity} ${d.ruleId} ${d.propertyPath ?? ''}: ${d.message}`,
    }));
}

/** The create-only properties of each resource of a template file, as CloudFormation's resource schemas give them. */
export interface CreateOnly {
  /** Properties whose change always replaces the resource. */
  readonly always: Set<string>;
  /** Properties whose change replaces the resource in some cases. */
  readonly sometimes: Set<string>;
}

/** By logical id: the create-only properties the template sets (the validator's I9001 notes). */
export function createOnlyProperties(templateFile: string): Map<string, CreateOnly> {
  const { validator: v, TemplateFile } = schemaValidator();
  const byResource = new Map<string, CreateOnly>();
  for (const d of v.validate(new TemplateFile(templateFile))) {
    const id = d.entity?.logicalId;
    const property = /^Properties\.([^.]+)/.exec(d.propertyPath ?? '')?.[1];
    if (d.ruleId !== 'I9001' || !id || !property) {
      continue;
    }
    const entry = byResource.get(id) ?? { always: new Set<string>(), sometimes: new Set<string>() };
    byResource.set(id, entry);
    (d.message.includes('conditionally') ? entry.sometimes : entry.always).add(property);
  }
  return byResource;
}

/** The parsed template of a file. */
export function readTemplate(file: string): Template {
  return JSON.parse(readFileSync(file, 'utf-8'));
}
