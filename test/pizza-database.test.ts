import { App, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { nagFindings } from './nag';
import { PizzaDatabase, PizzaDatabaseProps } from '../src';
import { validateStandardSupport } from '../src/database/rds-validation';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
}

function instanceOf(template: Template): any {
  const instances = Object.values(template.findResources('AWS::RDS::DBInstance'));
  expect(instances).toHaveLength(1);
  return instances[0];
}

describe('PizzaDatabase', () => {
  describe('with no props', () => {
    let stack: Stack;
    let database: PizzaDatabase;
    let template: Template;
    beforeAll(() => {
      stack = newStack();
      database = new PizzaDatabase(stack, 'Database');
      template = Template.fromStack(stack);
    });

    test('runs MySQL 8.4 on a db.t4g.micro with 20 GB of encrypted gp3 storage', () => {
      expect(instanceOf(template).Properties).toMatchObject({
        Engine: 'mysql',
        EngineVersion: '8.4.8',
        DBInstanceClass: 'db.t4g.micro',
        AllocatedStorage: '20',
        StorageType: 'gp3',
        StorageEncrypted: true,
        MultiAZ: false,
        DeletionProtection: false,
        PubliclyAccessible: false,
        EngineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      });
    });

    test('does not pre-create the pizza schema (the service seeds its admin only when it creates it)', () => {
      expect(instanceOf(template).Properties.DBName).toBeUndefined();
      expect(database.databaseName).toBe('pizza');
    });

    test('generates the master credentials into Secrets Manager, never into the template', () => {
      const properties = instanceOf(template).Properties;
      expect(properties.MasterUsername).toBe('admin');
      expect(JSON.stringify(properties.MasterUserPassword)).toContain('{{resolve:secretsmanager:');
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({
          GenerateStringKey: 'password',
          SecretStringTemplate: '{"username":"admin"}',
          ExcludeCharacters: Match.stringLikeRegexp('@'),
        }),
      });
      template.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 1);
      // `secret` is the attached secret (the one the service reads `host` and `port` from)
      const attachment = Object.keys(template.findResources('AWS::SecretsManager::SecretTargetAttachment'))[0];
      expect(stack.resolve(database.secret.secretArn)).toEqual({ Ref: attachment });
    });

    test('keeps 7 days of automated backups and a final snapshot on removal', () => {
      const instance = instanceOf(template);
      expect(instance.Properties.BackupRetentionPeriod).toBe(7);
      expect(instance.DeletionPolicy).toBe('Snapshot');
      expect(instance.UpdateReplacePolicy).toBe('Snapshot');
      expect(instance.Properties.CopyTagsToSnapshot).toBe(true);
    });

    test('places the database in isolated subnets of a new lean VPC', () => {
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.resourceCountIs('AWS::EC2::EIP', 0);
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
      const group = Object.values(template.findResources('AWS::RDS::DBSubnetGroup'))[0] as any;
      expect(group.Properties.SubnetIds.map((s: any) => s.Ref)).toEqual([
        expect.stringMatching(/^DatabaseVpcIsolatedSubnet1/),
        expect.stringMatching(/^DatabaseVpcIsolatedSubnet2/),
      ]);
      expect(stack.resolve(database.vpc.vpcId)).toEqual({ Ref: expect.stringMatching(/^DatabaseVpc[0-9A-F]{8}$/) });
    });

    test('has a security group that admits nobody until a service is given the database, and no egress', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'JWT Pizza database: MySQL from the service tasks only',
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
      expect(database.connections.securityGroups).toEqual([database.securityGroup]);
      expect(stack.resolve(database.connections.defaultPort?.toRuleJson())).toMatchObject({ ipProtocol: 'tcp' });
    });

    test('exposes the endpoint and the port', () => {
      expect(stack.resolve(database.endpoint)).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^DatabaseInstance/), 'Endpoint.Address'],
      });
      expect(database.port).toBe(3306);
      expect(instanceOf(template).Properties.Port).toBe('3306');
    });

    test('keeps stable logical ids for the instance and its secret', () => {
      expect(Object.keys(template.findResources('AWS::RDS::DBInstance'))).toEqual(['DatabaseInstanceAA8A5FDE']);
      expect(Object.keys(template.findResources('AWS::SecretsManager::Secret'))).toEqual([
        'TestDatabaseInstanceSecret0DE3845F3fdaad7efa858a3daf9490cf0a702aeb',
      ]);
    });

    test('is clean under cdk-nag AwsSolutions, with the acknowledgments written for cdk-nag 2 too', () => {
      expect(nagFindings(stack)).toEqual([]);
      const suppressed = instanceOf(template).Metadata.cdk_nag.rules_to_suppress.map((r: any) => r.id);
      expect(suppressed).toEqual(
        expect.arrayContaining(['AwsSolutions-SMG4', 'AwsSolutions-RDS3', 'AwsSolutions-RDS10', 'AwsSolutions-RDS11']),
      );
      expect(suppressed).not.toContain('AwsSolutions-RDS2');
    });
  });

  describe('options', () => {
    test('takes storage, retention, port, removal, protection, Multi-AZ, class and version', () => {
      const stack = newStack();
      new PizzaDatabase(stack, 'Database', {
        allocatedStorage: Size.gibibytes(50),
        backupRetention: Duration.days(1),
        port: 3307,
        removalPolicy: RemovalPolicy.DESTROY,
        deletionProtection: true,
        multiAz: true,
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
        engineVersion: rds.MysqlEngineVersion.VER_8_4_7,
      });
      const instance = instanceOf(Template.fromStack(stack));
      expect(instance.Properties).toMatchObject({
        AllocatedStorage: '50',
        BackupRetentionPeriod: 1,
        Port: '3307',
        DeletionProtection: true,
        MultiAZ: true,
        DBInstanceClass: 'db.t4g.small',
        EngineVersion: '8.4.7',
      });
      expect(instance.DeletionPolicy).toBe('Delete');
    });

    test('restores from a snapshot with a new generated password the instance is given', () => {
      const stack = newStack();
      new PizzaDatabase(stack, 'Database', { snapshotIdentifier: 'pizza-final-snapshot' });
      const template = Template.fromStack(stack);
      const properties = instanceOf(template).Properties;
      expect(properties.DBSnapshotIdentifier).toBe('pizza-final-snapshot');
      expect(properties.MasterUsername).toBeUndefined();
      expect(JSON.stringify(properties.MasterUserPassword)).toContain('{{resolve:secretsmanager:');
      expect(properties.StorageEncrypted).toBeUndefined();
      template.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 1);
      Annotations.fromStack(stack).hasWarning(
        '/Test/Database',
        Match.stringLikeRegexp(
          'restores from snapshot .*Keep `snapshotIdentifier` in your code from now on: a deploy that removes it would replace the restored database with a new, empty one, and the restore guard refuses it',
        ),
      );
      Annotations.fromStack(stack).hasNoWarning('/Test/Database', Match.stringLikeRegexp('deletionProtection'));
      expect(nagFindings(stack)).toEqual([]);
    });

    test('a restore keeps the engine version of the snapshot (no downgrade after RDS upgraded the minor)', () => {
      const restored = newStack();
      new PizzaDatabase(restored, 'Database', { snapshotIdentifier: 'pizza-final-snapshot' });
      const properties = instanceOf(Template.fromStack(restored)).Properties;
      expect(properties).toMatchObject({ Engine: 'mysql', DBSnapshotIdentifier: 'pizza-final-snapshot' });
      expect(properties.EngineVersion).toBeUndefined();
      expect(properties.AllowMajorVersionUpgrade).toBeUndefined();
    });

    test('a restore with an engineVersion upgrades to it, across a major version if need be', () => {
      const stack = newStack();
      new PizzaDatabase(stack, 'Database', {
        snapshotIdentifier: 'course-database-snapshot',
        engineVersion: rds.MysqlEngineVersion.VER_8_4_7,
      });
      expect(instanceOf(Template.fromStack(stack)).Properties).toMatchObject({
        EngineVersion: '8.4.7',
        AllowMajorVersionUpgrade: true,
      });
    });

    test.each<[string, string | undefined]>([
      ['a new database', undefined],
      ['a restored database', 'pizza-final-snapshot'],
    ])('%s gets a restore guard that the instance waits for', (_, snapshotIdentifier) => {
      const stack = newStack();
      const database = new PizzaDatabase(stack, 'Database', { snapshotIdentifier });
      const template = Template.fromStack(stack);
      const guards = template.findResources('Custom::PizzaDatabaseRestoreGuard');
      expect(Object.values(guards)).toHaveLength(1);
      const [guardId, guard] = Object.entries(guards)[0];
      expect(guard.Properties).toMatchObject({
        SnapshotIdentifier: snapshotIdentifier ?? '',
        Database: 'Test/Database',
        ServiceTimeout: '300',
      });
      expect(stack.resolve(database.restoreGuard.ref)).toEqual({ Ref: guardId });
      expect(instanceOf(template).DependsOn).toContain(guardId);
      // the handler may read this stack's status, and nothing else
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
          ]),
        },
      });
      template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { RetentionInDays: 30 } });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        LoggingConfig: { LogGroup: Match.anyValue() },
        Code: { ZipFile: Match.stringLikeRegexp('pizza-restore-guard') },
      });
      expect(nagFindings(stack)).toEqual([]);
    });

    test('warns that a restore over a protected instance leaves the old one behind, and says what to do', () => {
      const stack = newStack();
      new PizzaDatabase(stack, 'Database', { snapshotIdentifier: 'pizza-final-snapshot', deletionProtection: true });
      Annotations.fromStack(stack).hasWarning(
        '/Test/Database',
        Match.stringLikeRegexp(
          'with `deletionProtection` on: .* CloudFormation cannot delete the old one .*Deploy with `deletionProtection: false` first, then add `snapshotIdentifier`',
        ),
      );
    });

    test('keeps the same logical ids when switched to a restore, so the instance is replaced in place', () => {
      const ids = (props: PizzaDatabaseProps) => {
        const stack = newStack();
        new PizzaDatabase(stack, 'Database', props);
        const template = Template.fromStack(stack);
        return [
          ...Object.keys(template.findResources('AWS::RDS::DBInstance')),
          ...Object.keys(template.findResources('AWS::SecretsManager::Secret')),
        ];
      };
      expect(ids({})).toHaveLength(2);
      expect(ids({ snapshotIdentifier: 'pizza-final-snapshot' })).toEqual(ids({}));
    });

    test('uses a given VPC, in its isolated subnets', () => {
      const stack = newStack();
      const vpc = new ec2.Vpc(stack, 'MyVpc', { natGateways: 0 });
      const database = new PizzaDatabase(stack, 'Database', { vpc });
      expect(database.vpc).toBe(vpc);
      Template.fromStack(stack).resourceCountIs('AWS::EC2::VPC', 1);
    });

    test('falls back to private subnets when the VPC has no isolated ones', () => {
      const stack = newStack();
      const vpc = new ec2.Vpc(stack, 'MyVpc', {
        maxAzs: 2,
        natGateways: 1,
        subnetConfiguration: [
          { name: 'p', subnetType: ec2.SubnetType.PUBLIC },
          { name: 'w', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        ],
      });
      new PizzaDatabase(stack, 'Database', { vpc });
      const group = Object.values(Template.fromStack(stack).findResources('AWS::RDS::DBSubnetGroup'))[0] as any;
      expect(group.Properties.SubnetIds.map((s: any) => s.Ref)).toEqual([
        expect.stringMatching(/^MyVpcwSubnet1/),
        expect.stringMatching(/^MyVpcwSubnet2/),
      ]);
    });
  });

  describe('paused', () => {
    function synth(props: PizzaDatabaseProps = {}) {
      const stack = newStack();
      const database = new PizzaDatabase(stack, 'Database', props);
      return { stack, database, template: Template.fromStack(stack) };
    }

    function pauseOf(template: Template): [string, any] {
      const pauses = Object.entries(template.findResources('Custom::PizzaDatabasePause'));
      expect(pauses).toHaveLength(1);
      return pauses[0];
    }

    function pauseFunction(template: Template): any {
      const [, pause] = pauseOf(template);
      return template.toJSON().Resources[pause.Properties.ServiceToken['Fn::GetAtt'][0]];
    }

    test.each<[string, boolean | undefined, string]>([
      ['by default', undefined, 'false'],
      ['when not paused', false, 'false'],
      ['when paused', true, 'true'],
    ])('has the pause custom resource in every template, %s (paused: %p)', (_, paused, shown) => {
      const { stack, database, template } = synth({ paused });
      const [pauseId, pause] = pauseOf(template);
      const instanceId = Object.keys(template.findResources('AWS::RDS::DBInstance'))[0];
      expect(pause.Properties).toEqual({
        ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^DatabasePauseHandler/), 'Arn'] },
        ServiceTimeout: '900',
        DBInstanceIdentifier: { Ref: instanceId },
        Paused: shown,
        Database: 'Test/Database',
        InstanceProperties: expect.stringMatching(/^[0-9a-f]{32}$/),
        // what CloudFormation resolves for the instance's references: a changed value changes the instance too
        InstanceReferences: [
          { 'Fn::GetAtt': [expect.stringMatching(/^DatabaseSecurityGroup/), 'GroupId'] },
          { Ref: expect.stringMatching(/^DatabaseInstanceSubnetGroup/) },
        ],
        // the default removal policy takes a final snapshot, which RDS takes only of an available instance
        StartBeforeDelete: 'true',
      });
      expect(stack.resolve(database.pause.ref)).toEqual({ Ref: pauseId });
      expect(database.paused).toBe(shown === 'true');
      const fn = pauseFunction(template).Properties;
      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Timeout: 900,
        Environment: {
          Variables: { PAUSED: shown, DB_INSTANCE_IDENTIFIER: { Ref: instanceId }, STACK_ID: { Ref: 'AWS::StackId' } },
        },
        Code: { ZipFile: expect.stringContaining('database-pause-') },
      });
    });

    test('the handler may stop, start and describe this instance only, and read this stack', () => {
      const { template } = synth({ paused: true });
      const instanceArn = {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:123456789012:db:', { Ref: 'DatabaseInstanceAA8A5FDE' }],
        ],
      };
      const role = pauseFunction(template).Properties.Role['Fn::GetAtt'][0];
      const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
        p.Properties.Roles.some((r: any) => r.Ref === role),
      ) as any[];
      expect(policies).toHaveLength(1);
      expect(policies[0].Properties.PolicyDocument.Statement).toEqual([
        expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
        {
          Action: ['rds:DescribeDBInstances', 'rds:StartDBInstance', 'rds:StopDBInstance'],
          Effect: 'Allow',
          Resource: instanceArn,
        },
        { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
      ]);
    });

    test('while paused, the keeper runs on RDS start events for the instance and every 6 hours', () => {
      const { template } = synth({ paused: true });
      const rules = Object.values(template.findResources('AWS::Events::Rule')) as any[];
      expect(rules).toHaveLength(2);
      const fnId = pauseOf(template)[1].Properties.ServiceToken['Fn::GetAtt'][0];
      for (const rule of rules) {
        expect(rule.Properties.Targets).toEqual([{ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, Id: 'Target0' }]);
      }
      expect(rules.find((r) => r.Properties.EventPattern)!.Properties.EventPattern).toEqual({
        source: ['aws.rds'],
        'detail-type': ['RDS DB Instance Event'],
        resources: [
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':rds:us-east-1:123456789012:db:',
                { Ref: 'DatabaseInstanceAA8A5FDE' },
              ],
            ],
          },
        ],
        detail: { EventID: ['RDS-EVENT-0154', 'RDS-EVENT-0088'] },
      });
      expect(rules.find((r) => r.Properties.ScheduleExpression)!.Properties.ScheduleExpression).toBe('rate(6 hours)');
      template.resourceCountIs('AWS::Lambda::Permission', 2);
    });

    test('the instance resource is byte-identical paused and running (a pause or resume never modifies it)', () => {
      const running = instanceOf(synth({ paused: false }).template);
      const paused = instanceOf(synth({ paused: true }).template);
      expect(JSON.stringify(paused)).toBe(JSON.stringify(running));
      expect(running.Metadata?.['pizza-constructs:paused']).toBeUndefined();
    });

    test('the instance waits for the wake, which finds it by logical id and may only describe and start', () => {
      const { template, database, stack } = synth({ paused: true });
      const [wakeId, wake] = Object.entries(template.findResources('Custom::PizzaDatabaseWake'))[0] as [string, any];
      expect(stack.resolve(database.wake.ref)).toEqual({ Ref: wakeId });
      expect(instanceOf(template).DependsOn).toContain(wakeId);
      expect(wake.Properties).toMatchObject({
        InstanceLogicalId: 'DatabaseInstanceAA8A5FDE',
        InstanceProperties: pauseOf(template)[1].Properties.InstanceProperties,
        ServiceTimeout: '900',
      });
      const role =
        template.toJSON().Resources[wake.Properties.ServiceToken['Fn::GetAtt'][0]].Properties.Role['Fn::GetAtt'][0];
      const statements = (Object.values(template.findResources('AWS::IAM::Policy')) as any[])
        .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === role))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((st) => !String(st.Action).startsWith('logs:'));
      expect(statements.map((st) => st.Action)).toEqual([
        ['rds:DescribeDBInstances', 'rds:StartDBInstance'],
        ['cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks'],
      ]);
    });

    test('the references leave the generated password out (no secret in a handler event)', () => {
      const { template } = synth({ paused: true });
      const pause = JSON.stringify(pauseOf(template)[1].Properties);
      expect(pause).not.toContain('resolve:secretsmanager');
      expect(JSON.stringify(instanceOf(template).Properties)).toContain('resolve:secretsmanager');
    });

    test('the digest follows every change of the instance, and nothing else', () => {
      const digest = (props: Partial<PizzaDatabaseProps>) =>
        pauseOf(synth(props).template)[1].Properties.InstanceProperties;
      expect(digest({ paused: true })).toBe(digest({ paused: false }));
      expect(digest({ allocatedStorage: Size.gibibytes(30) })).not.toBe(digest({}));
      expect(digest({ backupRetention: Duration.days(3) })).not.toBe(digest({}));
    });

    test('RETAIN or DESTROY: nothing is started before the delete (no final snapshot to take)', () => {
      for (const removalPolicy of [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY]) {
        expect(pauseOf(synth({ paused: true, removalPolicy }).template)[1].Properties.StartBeforeDelete).toBe('false');
      }
    });

    test('no keeper rules while not paused', () => {
      synth({ paused: false }).template.resourceCountIs('AWS::Events::Rule', 0);
    });

    test('a resumed template is the never-paused one, and pausing keeps the instance (same logical id)', () => {
      const never = synth().template;
      const resumed = synth({ paused: false }).template;
      const paused = synth({ paused: true }).template;
      expect(resumed.toJSON()).toEqual(never.toJSON());
      expect(Object.keys(paused.findResources('AWS::RDS::DBInstance'))).toEqual(['DatabaseInstanceAA8A5FDE']);
      expect(instanceOf(paused).Properties).toEqual(instanceOf(never).Properties);
    });

    test('the restore guard keeps its one-minute function and five-minute wait', () => {
      const { template } = synth({ paused: true });
      const [, guard] = Object.entries(template.findResources('Custom::PizzaDatabaseRestoreGuard'))[0];
      expect(guard.Properties.ServiceTimeout).toBe('300');
      const guardFunction = template.toJSON().Resources[guard.Properties.ServiceToken['Fn::GetAtt'][0]];
      expect(guardFunction.Properties.Timeout).toBe(60);
      expect(guardFunction.Properties.Environment).toBeUndefined();
    });

    test.each([false, true])('is clean under cdk-nag AwsSolutions (paused: %s)', (paused) => {
      expect(nagFindings(synth({ paused }).stack)).toEqual([]);
    });
  });

  describe('bad input', () => {
    function build(props: PizzaDatabaseProps, stack = newStack()): PizzaDatabase {
      return new PizzaDatabase(stack, 'Database', props);
    }

    test.each([
      [Size.gibibytes(10), '10'],
      [Size.gibibytes(19), '19'],
      [Size.gibibytes(70000), '70000'],
      [Size.mebibytes(20500), '20.01953125'],
    ])('storage of %s', (allocatedStorage, shown) => {
      expect(() => build({ allocatedStorage })).toThrow(
        `\`allocatedStorage\` must be a whole number of GiB from 20 to 65536 (RDS for MySQL on gp3), got: ${shown} GiB`,
      );
    });

    test.each([
      [Duration.days(36), '36 days'],
      [Duration.hours(36), '1 day 12 hours'],
      [Duration.days(100), '100 days'],
    ])('a backup retention of %s', (backupRetention, shown) => {
      expect(() => build({ backupRetention })).toThrow(
        `\`backupRetention\` must be a whole number of days from 0 to 35, got: ${shown}`,
      );
    });

    test('a backup retention of 0 days (backups off) is accepted', () => {
      expect(() => build({ backupRetention: Duration.days(0) })).not.toThrow();
    });

    test.each([80, 70000, 3306.5])('a port of %p', (port) => {
      expect(() => build({ port })).toThrow(`\`port\` must be an integer from 1150 to 65535, got: ${port}`);
    });

    test.each(['', 'my snapshot', '1-starts-with-digit'])('a snapshotIdentifier of %j', (snapshotIdentifier) => {
      expect(() => build({ snapshotIdentifier })).toThrow(
        `\`snapshotIdentifier\` must be a DB snapshot name (a letter, then letters, digits and hyphens) or a snapshot ARN, got: ${JSON.stringify(snapshotIdentifier)}`,
      );
    });

    test.each([
      ['an EC2-only family', ec2.InstanceType.of(ec2.InstanceClass.C7G, ec2.InstanceSize.LARGE), 'c7g.large'],
      ['a size RDS does not offer', ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.NANO), 't4g.nano'],
      ['a previous generation', new ec2.InstanceType('t2.micro'), 't2.micro'],
      ['a made-up name', new ec2.InstanceType('pizza.large'), 'pizza.large'],
      [
        'a size only burstable classes have',
        ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.MICRO),
        'm7g.micro',
      ],
    ])('an instanceType that is not an RDS for MySQL class: %s', (_, instanceType, shown) => {
      expect(() => build({ instanceType })).toThrow(
        `\`instanceType\` "${shown}" is not a DB instance class RDS for MySQL offers: use one of the families t3, t4g, m5,`,
      );
    });

    test('warns about an RDS-like family newer than the classes the library knows', () => {
      const stack = newStack();
      build({ instanceType: new ec2.InstanceType('m9g.large') }, stack);
      Annotations.fromStack(stack).hasWarning(
        '/Test/Database',
        Match.stringLikeRegexp(
          '`instanceType` "m9g.large" is not among the RDS for MySQL classes this library knows .*check that RDS offers db.m9g.large for MySQL in your region',
        ),
      );
    });

    test.each([
      ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL),
      ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
      ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.XLARGE2),
    ])('accepts the RDS class %s', (instanceType) => {
      expect(() => build({ instanceType })).not.toThrow();
    });

    test('an engine version past RDS standard support, without extendedSupport', () => {
      expect(() => build({ engineVersion: rds.MysqlEngineVersion.VER_8_0_40 })).toThrow(
        '`engineVersion` "8.0.40" is MySQL 8.0, past RDS standard support since 2026-07-31: RDS creates it only with RDS Extended Support (billed per vCPU-hour). Use MySQL 8.4 (rds.MysqlEngineVersion.VER_8_4_8), or set `extendedSupport: true` to pay for Extended Support.',
      );
    });

    test('extendedSupport opts into an engine version past standard support, and into Extended Support', () => {
      const stack = newStack();
      build({ engineVersion: rds.MysqlEngineVersion.VER_8_0_40, extendedSupport: true }, stack);
      expect(instanceOf(Template.fromStack(stack)).Properties).toMatchObject({
        EngineVersion: '8.0.40',
        EngineLifecycleSupport: 'open-source-rds-extended-support',
      });
    });

    test('the support check uses the last day of standard support', () => {
      const v80 = rds.MysqlEngineVersion.VER_8_0_40;
      expect(() => validateStandardSupport(v80, new Date('2026-07-31T23:00:00Z'))).not.toThrow();
      expect(() => validateStandardSupport(v80, new Date('2026-08-01T00:00:00Z'))).toThrow(/past RDS standard support/);
      const v84 = rds.MysqlEngineVersion.VER_8_4_8;
      expect(() => validateStandardSupport(v84, new Date('2029-07-31T12:00:00Z'))).not.toThrow();
      expect(() => validateStandardSupport(v84, new Date('2029-08-01T00:00:00Z'))).toThrow(/MySQL 8.4, past RDS/);
    });

    test('paused that is not a boolean', () => {
      expect(() => build({ paused: 'yes' } as unknown as PizzaDatabaseProps)).toThrow(
        'PizzaDatabase: `paused` must be true or false, got: string "yes"',
      );
    });

    test('a VPC with only public subnets', () => {
      const stack = newStack();
      const vpc = new ec2.Vpc(stack, 'Public', {
        natGateways: 0,
        subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }],
      });
      expect(() => build({ vpc }, stack)).toThrow(
        '`vpc` has no isolated or private subnets: PizzaDatabase does not put a database in public subnets (give a VPC with isolated subnets, or leave `vpc` unset for a new one)',
      );
    });
  });
});
