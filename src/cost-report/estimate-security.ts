import { Estimator, ResourceFamily } from './estimator';
import { PRICES } from './price-list';

/** Security: Secrets Manager secrets (and their replicas), WAF web ACLs and their rules, KMS customer managed keys. */
export const SECURITY_FAMILY: ResourceFamily = {
  prices: {
    'AWS::SecretsManager::Secret': secret,
    'AWS::WAFv2::WebACL': webAcl,
    'AWS::KMS::Key': kmsKey,
    'AWS::KMS::ReplicaKey': kmsKey,
  },
};

/** Prices a secret, and each of its replica regions as one more secret. */
function secret(estimator: Estimator, id: string, type: string, props: Record<string, any>): void {
  const replicas = Array.isArray(props.ReplicaRegions) ? props.ReplicaRegions.length : 0;
  estimator.add(
    id,
    type,
    'Secrets Manager secret',
    1 + replicas,
    'secret',
    PRICES.secretMonth,
    replicas > 0 ? [`each of the ${replicas} replica region(s) is billed as one more secret`] : [],
  );
}

/** Prices a web ACL and, when they are known, its rules. */
function webAcl(estimator: Estimator, id: string, type: string, props: Record<string, any>): void {
  estimator.add(id, type, 'WAF web ACL', 1, 'web ACL', PRICES.wafWebAclMonth);
  if (Array.isArray(props.Rules)) {
    if (props.Rules.length > 0) {
      estimator.add(id, type, 'WAF rules', props.Rules.length, 'rule', PRICES.wafRuleMonth, [
        'each rule or rule group reference is billed as one rule; some managed groups add a subscription fee',
      ]);
    }
  } else if (props.Rules !== undefined) {
    estimator.add(id, type, 'WAF rules', 0, 'rule', PRICES.wafRuleMonth, [
      'the rules are not known at synth: not priced',
    ]);
  }
}

/** Prices a KMS key or replica key (customer managed). */
function kmsKey(estimator: Estimator, id: string, type: string): void {
  estimator.add(id, type, 'KMS customer managed key', 1, 'key', PRICES.kmsKeyMonth);
}
