import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { show } from '../shared/validation';

/**
 * The last day of RDS standard support of each MySQL major version (RDS for MySQL release calendar). After it, RDS
 * creates and keeps an instance of that version only with RDS Extended Support (billed per vCPU-hour).
 */
const MYSQL_STANDARD_SUPPORT_END: Record<string, string> = {
  '5.7': '2024-02-29',
  '8.0': '2026-07-31',
  '8.4': '2029-07-31',
};

/**
 * The current-generation DB instance class families RDS for MySQL offers (as priced for engine `mysql` in
 * us-east-1), and the sizes of the burstable ones, which are the only families with small sizes.
 */
const RDS_MYSQL_FAMILIES = [
  ...['t3', 't4g'],
  ...['m5', 'm5d', 'm6g', 'm6gd', 'm6i', 'm6id', 'm6idn', 'm6in', 'm7g', 'm7i', 'm8g', 'm8gd'],
  ...['r5', 'r5b', 'r5d', 'r6g', 'r6gd', 'r6i', 'r6id', 'r6idn', 'r6in', 'r7g', 'r7i', 'r8g', 'r8gd'],
  ...['x2g', 'x2iedn'],
];
const RDS_BURSTABLE_SIZES = ['micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'];

/** Sizes of the other RDS families: large and up. */
const RDS_LARGE_SIZE = /^(large|\d*xlarge)$/;

/** DB instance class families RDS names start with (memory, general purpose, burstable, memory-optimized X and Z). */
const RDS_FAMILY_LETTERS = /^[mrtxz]/;

/** Previous-generation RDS families that RDS for MySQL 8.4 no longer offers. */
const PREVIOUS_GENERATION = ['t1', 't2', 'm1', 'm2', 'm3', 'm4', 'r3', 'r4'];

/**
 * Checks `instanceType` (RDS prefixes it with `db.`) against the classes RDS for MySQL offers. A family or size RDS
 * does not have (an EC2-only family such as c7g, a previous generation, t4g.nano, m7g.micro) throws. A family that
 * looks like an RDS one but is newer than this list returns a warning instead: RDS may well offer it.
 *
 * @returns a warning to show, if any
 */
export function validateInstanceType(instanceType: ec2.InstanceType): string | undefined {
  const name = instanceType.toString();
  if (Token.isUnresolved(name)) {
    return undefined;
  }
  const [family, size = ''] = name.replace(/^db\./, '').split('.');
  const burstable = family === 't3' || family === 't4g';
  const known = RDS_MYSQL_FAMILIES.includes(family);
  const sizeOk = burstable ? RDS_BURSTABLE_SIZES.includes(size) : RDS_LARGE_SIZE.test(size);
  if (!known && RDS_FAMILY_LETTERS.test(family) && !PREVIOUS_GENERATION.includes(family) && sizeOk) {
    return (
      `\`instanceType\` ${show(name)} is not among the RDS for MySQL classes this library knows ` +
      `(${RDS_MYSQL_FAMILIES.join(', ')}): check that RDS offers db.${name} for MySQL in your region.`
    );
  }
  if (!known || !sizeOk) {
    throw new Error(
      `\`instanceType\` ${show(name)} is not a DB instance class RDS for MySQL offers: use one of the families ` +
        `${RDS_MYSQL_FAMILIES.join(', ')} (t3 and t4g in sizes ${RDS_BURSTABLE_SIZES.join(', ')}; the others ` +
        'large and up), e.g. ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO)',
    );
  }
  return undefined;
}

/**
 * Throws when `engineVersion`'s major version is past RDS standard support on `today`: with Extended Support
 * disabled (the default), RDS refuses to create it.
 */
export function validateStandardSupport(engineVersion: rds.MysqlEngineVersion, today: Date): void {
  const major = engineVersion.mysqlMajorVersion;
  const end = MYSQL_STANDARD_SUPPORT_END[major];
  if (end !== undefined && today.toISOString().slice(0, 10) > end) {
    throw new Error(
      `\`engineVersion\` ${show(engineVersion.mysqlFullVersion)} is MySQL ${major}, past RDS standard support since ` +
        `${end}: RDS creates it only with RDS Extended Support (billed per vCPU-hour). Use MySQL 8.4 ` +
        '(rds.MysqlEngineVersion.VER_8_4_8), or set `extendedSupport: true` to pay for Extended Support.',
    );
  }
}
