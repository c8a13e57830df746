import {
  Annotations,
  CustomResource,
  Duration,
  RemovalPolicy,
  Size,
  SizeRoundingBehavior,
  Stack,
  Token,
} from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { instanceChange, pauseDatabase, wakeBeforeChanges } from './pause';
import { PizzaDatabaseProps } from './props';
import { validateInstanceType, validateStandardSupport } from './rds-validation';
import { createLeanVpc } from '../shared/lean-vpc';
import { LibraryHandler } from '../shared/library-handler';
import { acknowledgeNag } from '../shared/nag';
import { show, validateIntegerRange, validatePropsShape } from '../shared/validation';

/** The master user: the course's, and the name a restored snapshot must have been made with. */
const MASTER_USERNAME = 'admin';

/** The schema the service creates (and seeds with its default admin) on first start. */
const PIZZA_DATABASE_NAME = 'pizza';

/**
 * The default engine of a new database: MySQL 8.4 at a minor version CloudFormation's and aws-cdk-lib's validators
 * know (they refuse a bare major version, which RDS itself accepts). RDS upgrades minors automatically after that.
 */
const DEFAULT_ENGINE_VERSION = rds.MysqlEngineVersion.VER_8_4_8;

/** MySQL's port, the course's. */
const DEFAULT_PORT = 3306;

/** RDS MySQL on gp3: 20 GiB to 64 TiB. */
const MIN_STORAGE_GIB = 20;
const MAX_STORAGE_GIB = 65536;

/** RDS automated backups: 0 (off) to 35 days; a week by default (backup storage up to the database's size is free). */
const MAX_BACKUP_RETENTION_DAYS = 35;
const DEFAULT_BACKUP_RETENTION_DAYS = 7;

/**
 * The JWT Pizza service's MySQL: RDS for MySQL on a db.t4g.micro, encrypted, in isolated subnets, reachable only
 * from the tasks of the `PizzaService` it is given to, with its master credentials generated into Secrets Manager.
 *
 * - automated backups (7 days by default), a final snapshot on removal, restore with `snapshotIdentifier`;
 * - no initial database: the service creates the `pizza` schema and seeds its default admin only when the schema
 *   is absent, so pre-creating it would leave the service without an admin;
 * - can live in its own stack, passed to a `PizzaService` in another, so compute can be destroyed while data stays;
 * - `paused` stops the instance and keeps it stopped (storage and secret are still billed), and starts it on resume.
 *
 * @example
 * const database = new PizzaDatabase(this, 'Database', {
 *   backupRetention: Duration.days(7),
 *   // to restore: the final snapshot that `cdk destroy` left (RDS console, Snapshots); keep it set from then on
 *   // snapshotIdentifier: 'pizzadata-databaseinstance-snapshot-1a2b3c',
 * });
 * // the service gets the host, the user and the password, and the only way in to port 3306
 * new PizzaService(this, 'Service', { database });
 */
export class PizzaDatabase extends Construct implements ec2.IConnectable {
  /** The VPC the database runs in (created unless `vpc` was given). */
  public readonly vpc: ec2.IVpc;

  /** The RDS instance (a `DatabaseInstance`, or a `DatabaseInstanceFromSnapshot` when restoring). */
  public readonly instance: rds.DatabaseInstanceBase;

  /**
   * The master credentials (JSON with `username`, `password`, `host`, `port`, `engine`, `dbInstanceIdentifier`),
   * generated into Secrets Manager and attached to the instance.
   */
  public readonly secret: secretsmanager.ISecret;

  /** The database's security group: MySQL from the service's tasks only, no egress. */
  public readonly securityGroup: ec2.SecurityGroup;

  /** Network access to the database (its default port is `port`). */
  public readonly connections: ec2.Connections;

  /**
   * The custom resource that refuses a deploy removing `snapshotIdentifier` from a restored database, before
   * CloudFormation replaces it with an empty one (the instance depends on it, so it is updated first).
   */
  public readonly restoreGuard: CustomResource;

  /**
   * The custom resource that stops the instance while `paused` and starts it on resume; a service deployed against
   * this database depends on it.
   */
  public readonly pause: CustomResource;

  /**
   * The custom resource that starts a stopped (paused) instance before a deploy changes it, since RDS refuses to
   * modify a stopped instance (the instance depends on it, so it runs first); the pause stops it again afterwards.
   */
  public readonly wake: CustomResource;

  /** Whether the instance is stopped and kept stopped (see `paused`). */
  public readonly paused: boolean;

  /** The instance's endpoint hostname. */
  public readonly endpoint: string;

  /** The port MySQL listens on. */
  public readonly port: number;

  /**
   * The schema the service uses (`DB_NAME`): `pizza`. The database does not create it; the service does.
   */
  public readonly databaseName: string = PIZZA_DATABASE_NAME;

  constructor(scope: Construct, id: string, props: PizzaDatabaseProps = {}) {
    super(scope, id);
    this.validateProps(props);

    this.port = props.port ?? DEFAULT_PORT;
    this.vpc = props.vpc ?? createLeanVpc(this, 'Vpc');
    const vpcSubnets = this.databaseSubnets(this.vpc);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: 'JWT Pizza database: MySQL from the service tasks only',
      allowAllOutbound: false,
    });

    const common = {
      engine: rds.DatabaseInstanceEngine.mysql({ version: props.engineVersion ?? DEFAULT_ENGINE_VERSION }),
      instanceType: props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc: this.vpc,
      vpcSubnets,
      securityGroups: [this.securityGroup],
      port: this.port,
      publiclyAccessible: false,
      allocatedStorage: (props.allocatedStorage ?? Size.gibibytes(MIN_STORAGE_GIB)).toGibibytes(),
      storageType: rds.StorageType.GP3,
      multiAz: props.multiAz ?? false,
      backupRetention: props.backupRetention ?? Duration.days(DEFAULT_BACKUP_RETENTION_DAYS),
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection ?? false,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.SNAPSHOT,
      autoMinorVersionUpgrade: true,
      // at the end of standard support RDS upgrades the engine instead of billing Extended Support, unless asked
      engineLifecycleSupport: props.extendedSupport
        ? rds.EngineLifecycleSupport.OPEN_SOURCE_RDS_EXTENDED_SUPPORT
        : rds.EngineLifecycleSupport.OPEN_SOURCE_RDS_EXTENDED_SUPPORT_DISABLED,
    };

    let instance: rds.DatabaseInstance | rds.DatabaseInstanceFromSnapshot;
    if (props.snapshotIdentifier !== undefined) {
      instance = new rds.DatabaseInstanceFromSnapshot(this, 'Instance', {
        ...common,
        snapshotIdentifier: props.snapshotIdentifier,
        credentials: rds.SnapshotCredentials.fromGeneratedSecret(MASTER_USERNAME),
        // an `engineVersion` given with a restore is set on the restored instance after the restore, which may cross
        // a major version (a snapshot of MySQL 8.0, the course's console-built database)
        allowMajorVersionUpgrade: props.engineVersion !== undefined ? true : undefined,
      });
      if (props.engineVersion === undefined) {
        // CloudFormation sets a template's EngineVersion on the instance right after the restore: the default would
        // be a downgrade, refused by RDS, for a snapshot of a database RDS has since upgraded to a later minor
        (instance.node.defaultChild as rds.CfnDBInstance).addPropertyDeletionOverride('EngineVersion');
      }
    } else {
      instance = new rds.DatabaseInstance(this, 'Instance', {
        ...common,
        storageEncrypted: true,
        credentials: rds.Credentials.fromGeneratedSecret(MASTER_USERNAME),
      });
    }
    this.instance = instance;
    this.secret = instance.secret!;
    this.connections = instance.connections;
    this.endpoint = instance.dbInstanceEndpointAddress;
    this.restoreGuard = this.guardRestore(instance, props.snapshotIdentifier);
    this.paused = props.paused ?? false;
    const change = instanceChange(instance);
    this.pause = pauseDatabase(this, instance, this.paused, change);
    this.wake = wakeBeforeChanges(this, instance, change);

    if (props.snapshotIdentifier !== undefined) {
      Annotations.of(this).addWarningV2(
        'pizza-constructs:database-restore',
        `PizzaDatabase restores from snapshot ${show(props.snapshotIdentifier)}: storage encryption follows the ` +
          'snapshot, and on an existing database this replaces the instance (a final snapshot of the old one is kept ' +
          'if its removal policy is SNAPSHOT). Keep `snapshotIdentifier` in your code from now on: a deploy that ' +
          'removes it would replace the restored database with a new, empty one, and the restore guard refuses it.',
      );
      if (props.deletionProtection) {
        Annotations.of(this).addWarningV2(
          'pizza-constructs:database-restore-deletion-protection',
          'PizzaDatabase restores from a snapshot with `deletionProtection` on: when this replaces an existing ' +
            'instance, CloudFormation cannot delete the old one (its deletion protection is on too), so it stays ' +
            'and keeps billing. Deploy with `deletionProtection: false` first, then add `snapshotIdentifier`, then ' +
            'turn protection on again.',
        );
      }
      acknowledgeNag(instance, [
        {
          id: 'AwsSolutions-RDS2',
          reason:
            'A restored instance inherits encryption from its snapshot (CloudFormation refuses StorageEncrypted ' +
            'with a snapshot); every PizzaDatabase is created encrypted, so its snapshots are too.',
        },
      ]);
    }

    acknowledgeNag(this, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotating the master password needs a rotation function that reaches Secrets Manager from isolated ' +
          'subnets (an interface endpoint, ~$15/month, or a NAT gateway), and ECS reads secrets only when a task ' +
          'starts, so running tasks would lose the database at each rotation.',
      },
      {
        id: 'AwsSolutions-RDS3',
        reason:
          'Multi-AZ doubles the instance and storage cost of a course database; it is opt-in with `multiAz`. ' +
          'Automated backups and the final snapshot cover the data.',
      },
      {
        id: 'AwsSolutions-RDS10',
        reason:
          'The course destroys and recreates its stacks; the removal policy SNAPSHOT keeps the data. Deletion ' +
          'protection is opt-in with `deletionProtection`.',
      },
      {
        id: 'AwsSolutions-RDS11',
        reason:
          'The database has no public address and its security group admits only the service tasks; a ' +
          'non-default port adds nothing there, and the service and course tools expect 3306. Set `port` to change it.',
      },
    ]);
  }

  /**
   * The restore guard (see `restoreGuard`): the snapshot the instance was restored from, which an update may change
   * but not remove.
   */
  private guardRestore(instance: rds.DatabaseInstanceBase, snapshotIdentifier: string | undefined): CustomResource {
    const guard = new LibraryHandler(this, 'RestoreGuard', {
      handler: 'restore-guard',
      description: 'JWT Pizza database: refuses a deploy that would replace a restored database with an empty one',
      resourceType: 'Custom::PizzaDatabaseRestoreGuard',
      properties: { SnapshotIdentifier: snapshotIdentifier ?? '', Database: this.node.path },
      statements: [
        // a rollback may remove the snapshot again: the guard reads the stack's status to let it through
        new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [Stack.of(this).stackId] }),
      ],
    });
    instance.node.addDependency(guard.resource);
    return guard.resource;
  }

  private databaseSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
    if (vpc.isolatedSubnets.length > 0) {
      return { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    }
    if (vpc.privateSubnets.length > 0) {
      return { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    }
    throw new Error(
      '`vpc` has no isolated or private subnets: PizzaDatabase does not put a database in public subnets ' +
        '(give a VPC with isolated subnets, or leave `vpc` unset for a new one)',
    );
  }

  private validateProps(props: PizzaDatabaseProps): void {
    validatePropsShape('PizzaDatabase', props, {
      vpc: { kind: 'object' },
      instanceType: { kind: ec2.InstanceType },
      engineVersion: { kind: rds.MysqlEngineVersion },
      extendedSupport: { kind: 'boolean' },
      allocatedStorage: { kind: Size },
      port: { kind: 'number' },
      backupRetention: { kind: Duration },
      removalPolicy: { kind: 'string' },
      deletionProtection: { kind: 'boolean' },
      multiAz: { kind: 'boolean' },
      snapshotIdentifier: { kind: 'string' },
      paused: { kind: 'boolean' },
    });
    const instanceWarning = props.instanceType && validateInstanceType(props.instanceType);
    if (instanceWarning) {
      Annotations.of(this).addWarningV2('pizza-constructs:database-instance-type', instanceWarning);
    }
    if (props.engineVersion !== undefined && !props.extendedSupport) {
      validateStandardSupport(props.engineVersion, new Date());
    }
    if (props.allocatedStorage !== undefined) {
      const gib = props.allocatedStorage.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
      if (!Token.isUnresolved(gib) && (!Number.isInteger(gib) || gib < MIN_STORAGE_GIB || gib > MAX_STORAGE_GIB)) {
        throw new Error(
          `\`allocatedStorage\` must be a whole number of GiB from ${MIN_STORAGE_GIB} to ${MAX_STORAGE_GIB} ` +
            `(RDS for MySQL on gp3), got: ${gib} GiB`,
        );
      }
    }
    if (props.backupRetention !== undefined && !props.backupRetention.isUnresolved()) {
      const days = props.backupRetention.toHours({ integral: false }) / 24;
      if (!Number.isInteger(days) || days < 0 || days > MAX_BACKUP_RETENTION_DAYS) {
        throw new Error(
          `\`backupRetention\` must be a whole number of days from 0 to ${MAX_BACKUP_RETENTION_DAYS}, ` +
            `got: ${props.backupRetention.toHumanString()}`,
        );
      }
    }
    validateIntegerRange('port', props.port, 1150, 65535);
    if (props.snapshotIdentifier !== undefined && !Token.isUnresolved(props.snapshotIdentifier)) {
      if (!/^(arn:[^\s]+|[A-Za-z][A-Za-z0-9-]{0,254})$/.test(props.snapshotIdentifier)) {
        throw new Error(
          '`snapshotIdentifier` must be a DB snapshot name (a letter, then letters, digits and hyphens) or a ' +
            `snapshot ARN, got: ${show(props.snapshotIdentifier)}`,
        );
      }
    }
  }
}
