import { Estimator, num, ResourceFamily } from './estimator';
import { PRICES, RDS_INSTANCE_HOUR } from './price-list';
import { PAUSE_RESOURCE_TYPE } from '../shared/resource-types';
import { show } from '../shared/validation';

/**
 * Data: RDS DB instances (class, storage, Multi-AZ; a paused PizzaDatabase's stopped instance costs its storage only);
 * Aurora cluster members are listed, not priced.
 */
export const DATA_FAMILY: ResourceFamily = {
  prices: { 'AWS::RDS::DBInstance': dbInstance },
  // a PizzaDatabase's pause resource says whether its instance is stopped
  reads: [PAUSE_RESOURCE_TYPE],
};

/** Prices an RDS DB instance: the instance hours, its storage and its provisioned IOPS, doubled when Multi-AZ. */
function dbInstance(estimator: Estimator, id: string, type: string, props: Record<string, any>): void {
  if (props.DBClusterIdentifier !== undefined) {
    estimator.add(id, type, 'Aurora DB instance', 1, 'instance', 0, [
      'a member of an Aurora cluster: Aurora instance and storage prices are not in this report',
    ]);
    return;
  }
  const notes: string[] = [];
  let multiAz = false;
  if (props.MultiAZ === true || props.MultiAZ === 'true') {
    multiAz = true;
  } else if (props.MultiAZ !== undefined && props.MultiAZ !== false && props.MultiAZ !== 'false') {
    notes.push('MultiAZ is not known at synth: assumed single-AZ');
  }
  const factor = multiAz ? PRICES.rdsMultiAzFactor : 1;
  const deployment = multiAz ? 'Multi-AZ' : 'single-AZ';

  let instanceClass = typeof props.DBInstanceClass === 'string' ? props.DBInstanceClass : undefined;
  if (instanceClass === undefined) {
    instanceClass = 'db.t4g.micro';
    notes.push('DBInstanceClass is not known at synth: priced as db.t4g.micro');
  }
  // a paused PizzaDatabase is stopped: RDS bills its storage (and backups), not the instance hours
  const paused = Object.values(estimator.resources).some(
    (r: any) =>
      r?.Type === PAUSE_RESOURCE_TYPE &&
      r.Properties?.Paused === 'true' &&
      r.Properties?.DBInstanceIdentifier?.Ref === id,
  );
  if (paused) {
    notes.push('stopped (a paused PizzaDatabase): no instance hours; storage is still billed');
  }
  const hourly = paused ? 0 : RDS_INSTANCE_HOUR[instanceClass];
  const engine = typeof props.Engine === 'string' ? props.Engine : undefined;
  if (engine !== undefined && !/^(mysql|mariadb|postgres)/.test(engine)) {
    notes.push(`engine ${show(engine)} priced at MySQL rates: licence-included engines cost more`);
  }
  if (hourly === undefined) {
    estimator.add(id, type, `RDS instance ${instanceClass} (${deployment})`, 1, 'instance', 0, [
      ...notes,
      `instance class ${show(instanceClass)} is not in the price table (T4g/T3 micro, small, medium): not priced`,
    ]);
  } else {
    estimator.hourly(
      id,
      type,
      `RDS instance ${instanceClass} (${deployment})`,
      1,
      'instance',
      hourly * factor,
      multiAz ? [...notes, 'Multi-AZ: the standby instance doubles the price'] : notes,
    );
  }

  const storageNotes: string[] = [];
  let gb = num(props.AllocatedStorage);
  if (gb === undefined) {
    gb = 20;
    storageNotes.push(`AllocatedStorage ${show(props.AllocatedStorage)} is not known at synth: assumed 20 GB`);
  }
  let storageType = typeof props.StorageType === 'string' ? props.StorageType : undefined;
  if (storageType === undefined) {
    storageType = props.Iops !== undefined ? 'io1' : 'gp2';
    storageNotes.push(`StorageType not set: priced as ${storageType}`);
  }
  let gbMonth: number;
  switch (storageType) {
    case 'gp3':
      gbMonth = PRICES.rdsGp3GbMonth;
      if (props.Iops !== undefined || props.StorageThroughput !== undefined) {
        storageNotes.push('gp3 IOPS and throughput above the included baseline are not priced');
      }
      break;
    case 'io1':
    case 'io2':
      gbMonth = PRICES.rdsIo1GbMonth;
      break;
    case 'standard':
      gbMonth = PRICES.rdsMagneticGbMonth;
      break;
    default:
      gbMonth = PRICES.rdsGp2GbMonth;
      if (storageType !== 'gp2') {
        storageNotes.push(`storage type ${show(storageType)} priced as gp2`);
      }
  }
  if (multiAz) {
    storageNotes.push('Multi-AZ: the standby doubles the storage');
  }
  estimator.add(id, type, `RDS storage (${storageType}, ${deployment})`, gb, 'GB', gbMonth * factor, storageNotes);

  if (storageType === 'io1' || storageType === 'io2') {
    const iops = num(props.Iops);
    if (iops === undefined) {
      estimator.add(id, type, 'RDS provisioned IOPS', 0, 'IOPS', PRICES.rdsIo1IopsMonth * factor, [
        'Iops is not known at synth: not priced',
      ]);
    } else {
      estimator.add(id, type, 'RDS provisioned IOPS', iops, 'IOPS', PRICES.rdsIo1IopsMonth * factor);
    }
  }
}
