import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * One cdk-nag finding the library accepts on one of its own resources, with the reason.
 *
 * `id` is finding-level: the rule id, plus `[finding]` for rules that report several findings on one resource,
 * e.g. `AwsSolutions-IAM5[Resource::*]`.
 */
export interface NagAcknowledgment {
  readonly id: string;
  readonly reason: string;
}

/** The metadata key cdk-nag 2 reads suppressions from, in the CloudFormation template. */
const CDK_NAG_V2_METADATA = 'cdk_nag';

/**
 * Acknowledge cdk-nag findings on `scope` and everything under it, the one place the library does so.
 *
 * - cdk-nag 3 reads `Validations.of(scope).acknowledge(...)` (construct metadata, honoured for descendants);
 * - cdk-nag 2 reads `Metadata.cdk_nag.rules_to_suppress` on each CloudFormation resource, so the same findings
 *   are also written there, on every `CfnResource` under `scope`, with `applies_to` for finding-level ids.
 */
export function acknowledgeNag(scope: IConstruct, acknowledgments: NagAcknowledgment[]): void {
  for (const ack of acknowledgments) {
    if (!ack.reason || ack.reason.length < 10) {
      throw new Error(`cdk-nag acknowledgment ${ack.id} needs a reason`);
    }
    if (ack.id.split('::').length <= 2) {
      Validations.of(scope).acknowledge({ id: ack.id, reason: ack.reason });
    } else {
      // aws-cdk-lib 2.257 rejects ids with more than one '::' (managed policy ARNs such as
      // `Policy::arn:<AWS::Partition>:...`); record them in the same metadata, with the same prefix it uses.
      recordAcknowledgment(scope, `annotation::${ack.id}`, ack.reason);
    }
  }
  const v2 = acknowledgments.map(toV2Suppression);
  for (const child of scope.node.findAll()) {
    if (CfnResource.isCfnResource(child)) {
      const existing = (child.getMetadata(CDK_NAG_V2_METADATA) as { rules_to_suppress?: unknown[] } | undefined)
        ?.rules_to_suppress;
      child.addMetadata(CDK_NAG_V2_METADATA, { rules_to_suppress: [...(existing ?? []), ...v2] });
    }
  }
}

/** Merge one acknowledgment into the construct's acknowledged-rules metadata, as `Validations.acknowledge` does. */
function recordAcknowledgment(scope: IConstruct, id: string, reason: string): void {
  const entries = scope.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
  const last = entries.length > 0 ? (entries[entries.length - 1].data as Record<string, string>) : {};
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { ...last, [id]: reason });
}

/** `AwsSolutions-IAM5[Resource::*]` becomes `{ id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'] }`. */
function toV2Suppression(ack: NagAcknowledgment): Record<string, unknown> {
  const match = /^([^[]+)\[(.+)\]$/.exec(ack.id);
  if (!match) {
    return { id: ack.id, reason: ack.reason };
  }
  return { id: match[1], reason: ack.reason, applies_to: [match[2]] };
}

/**
 * The text cdk-nag uses for a resolved CloudFormation value in a finding id (`Resource::<this text>`): `Ref` becomes
 * `<Name>`, `Fn::GetAtt` `<Name.Attr>`, `Fn::Join` the joined parts. Returns undefined for anything else, so an
 * acknowledgment is never written for a finding id that cannot be computed exactly.
 */
export function nagResourceText(scope: IConstruct, value: string): string | undefined {
  const visit = (node: unknown): string | undefined => {
    if (typeof node === 'string') {
      return node;
    }
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.Ref === 'string') {
        return `<${o.Ref}>`;
      }
      const getAtt = o['Fn::GetAtt'];
      if (Array.isArray(getAtt) && getAtt.length === 2) {
        return `<${getAtt[0]}.${getAtt[1]}>`;
      }
      const join = o['Fn::Join'];
      if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
        const parts = (join[1] as unknown[]).map(visit);
        return parts.every((p) => p !== undefined) ? parts.join(join[0]) : undefined;
      }
    }
    return undefined;
  };
  return visit(Stack.of(scope).resolve(value));
}
