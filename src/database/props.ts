import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';

/**
 * Properties for `PizzaDatabase`.
 */
export interface PizzaDatabaseProps {
  /**
   * The VPC to put the database in (isolated subnets if it has any, else private ones; never public).
   * Pass the same VPC to the `PizzaService` that uses it, or let the service take the database's.
   *
   * @default - a new VPC with 2 AZs, public and isolated subnets, no NAT gateway (exposed as `vpc`)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The instance class.
   *
   * @default - db.t4g.micro (the course's; about $11.70 a month in us-east-1)
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * The MySQL engine version of a new database. RDS upgrades minor versions automatically; never lower this below
   * the version the database runs (CloudFormation would ask RDS for a downgrade, which it refuses). When restoring,
   * the restored instance keeps its snapshot's version unless this is given.
   *
   * @default - MySQL 8.4.8 (8.4 is in RDS standard support until 2029; 8.0 left it on 2026-07-31 and is billed
   * RDS Extended Support, about $0.20 an hour on a db.t4g.micro); a restore keeps the snapshot's version
   */
  readonly engineVersion?: rds.MysqlEngineVersion;

  /**
   * Run on RDS Extended Support (billed per vCPU-hour) once the engine's major version is past RDS standard support,
   * instead of being upgraded by RDS. Needed to create a database on a major version already past standard support
   * (MySQL 8.0 since 2026-08-01).
   *
   * @default false - RDS upgrades the major version at the end of standard support; a version already past it is
   * refused at synth
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html
   */
  readonly extendedSupport?: boolean;

  /**
   * Storage (gp3, encrypted), a whole number of GiB from 20 to 65536.
   *
   * @default Size.gibibytes(20)
   */
  readonly allocatedStorage?: Size;

  /**
   * The port MySQL listens on; the service's tasks are the only clients allowed to reach it.
   *
   * @default 3306
   */
  readonly port?: number;

  /**
   * How long automated backups (point-in-time restore) are kept: a whole number of days from 0 (no backups) to 35.
   * Backup storage up to the size of the database is free.
   *
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;

  /**
   * What happens to the database when it is removed from the stack or the stack is destroyed.
   *
   * @default RemovalPolicy.SNAPSHOT - a final snapshot is kept (restore it with `snapshotIdentifier`)
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Refuse deletion of the instance (by CloudFormation or anyone) until this is turned off again.
   *
   * @default false - the course tears its stacks down; the final snapshot keeps the data
   */
  readonly deletionProtection?: boolean;

  /**
   * A standby in a second availability zone (doubles the instance and storage cost).
   *
   * @default false
   */
  readonly multiAz?: boolean;

  /**
   * Restore from this DB snapshot (name or ARN), e.g. the final snapshot of a destroyed stack. The snapshot must
   * come from a database whose master user is `admin` (every PizzaDatabase's). A new password is generated into
   * `secret` and set on the restored instance, so the credentials the service reads keep working. Setting it on an
   * existing database replaces the instance (new endpoint; the service follows). The restored instance runs the
   * snapshot's engine version (a later minor than this library's default is kept, not downgraded); upgrade a MySQL 8.0
   * snapshot to 8.4 before restoring it (see the README).
   *
   * Keep it in the code once set: a deploy that removes it is refused (see `restoreGuard`), because the restored
   * instance would be replaced by a new, empty one.
   *
   * @default - a new, empty database
   */
  readonly snapshotIdentifier?: string;

  /**
   * Stop the RDS instance and keep it stopped, data and all: the instance is stopped, not deleted (nothing to restore
   * on resume), and stopped again whenever RDS starts it on its own (it does after seven days stopped). While paused
   * the database costs its storage and its secret only (about $2.70 a month with 20 GiB in us-east-1), not the
   * instance. Set it back to false to resume: the deploy starts the instance and waits until it is available, before a
   * `PizzaService` in the same stack is updated against it.
   *
   * RDS refuses to modify a stopped instance, or to take a final snapshot of one: a deploy that changes the instance
   * while paused (or with the resume) first starts it through the `wake` resource, which the instance waits for, and
   * the pause stops it again afterwards; `cdk destroy`, a restore or removing the database starts it before
   * CloudFormation deletes it with its final snapshot. Each start adds 5 to 10 minutes to that deploy. RDS stops only
   * an instance that is `available`: a pause waits for a backup or a modification in progress to end first.
   *
   * @default false
   */
  readonly paused?: boolean;
}
