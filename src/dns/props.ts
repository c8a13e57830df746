import * as route53 from 'aws-cdk-lib/aws-route53';

/**
 * Properties for `PizzaDns`.
 */
export interface PizzaDnsProps {
  /**
   * The domain the course leased, e.g. `byucsstudent.click`. The frontend lives at `pizza.DOMAIN` and the service
   * at `pizza-service.DOMAIN`. Upper-case letters are lower-cased.
   */
  readonly domainName: string;

  /**
   * The id of the existing Route 53 public hosted zone for `domainName` (imported, no lookup, no AWS call at synth).
   *
   * @default - `hostedZone` if given, else a new public hosted zone is created
   */
  readonly hostedZoneId?: string;

  /**
   * An existing hosted zone to use (bring your own). Its zone must be `domainName` or a parent of it.
   *
   * @default - `hostedZoneId` if given, else a new public hosted zone is created
   */
  readonly hostedZone?: route53.IHostedZone;
}
