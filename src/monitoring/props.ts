import { Duration, Size } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PizzaDatabase } from '../database/pizza-database';
import { PizzaFrontend } from '../frontend/pizza-frontend';
import { PizzaService } from '../service/pizza-service';

/**
 * Properties of a `PizzaMonitoring`. Give at least one of `frontend`, `service` and `database`.
 */
export interface PizzaMonitoringProps {
  /**
   * The frontend to watch: CloudFront's 5xx error rate.
   *
   * @default - no frontend alarm
   */
  readonly frontend?: PizzaFrontend;

  /**
   * The service to watch: 5xx, unhealthy and missing tasks, response time, CPU and memory. Its 5xx and unhealthy
   * task alarms also roll back a deployment that trips them (ECS deployment alarms).
   *
   * @default - no service alarm
   */
  readonly service?: PizzaService;

  /**
   * The database to watch: CPU, free storage, connections and freeable memory.
   *
   * @default - no database alarm
   */
  readonly database?: PizzaDatabase;

  /**
   * The email address the alarms are sent to (AWS sends a confirmation email first: click its link).
   *
   * @default - no email: give `topic`, or subscribe to the created `topic` yourself
   */
  readonly alarmEmail?: string;

  /**
   * The SNS topic the alarms notify (when it exists already, e.g. shared by several stacks).
   *
   * @default - a new topic, with `alarmEmail` subscribed
   */
  readonly topic?: sns.ITopic;

  /**
   * Roll back a service deployment whose target 5xx or unhealthy task alarm goes off (ECS deployment alarms). Needs
   * the monitoring in the service's stack.
   *
   * @default true
   */
  readonly deploymentAlarms?: boolean;

  /**
   * Load balancer 5xx answers (no healthy task, a task cut off) in five minutes above which the alarm goes off.
   *
   * @default 5
   */
  readonly loadBalancer5xxThreshold?: number;

  /**
   * Service 5xx answers in five minutes above which the alarm goes off.
   *
   * @default 5
   */
  readonly target5xxThreshold?: number;

  /**
   * The p95 response time above which, for 15 minutes, the alarm goes off (at most a minute).
   *
   * @default Duration.seconds(2)
   */
  readonly responseTimeThreshold?: Duration;

  /**
   * Average task CPU, percent, above which for 15 minutes the alarm goes off.
   *
   * @default 85
   */
  readonly serviceCpuThresholdPercent?: number;

  /**
   * Average task memory, percent, above which for 15 minutes the alarm goes off.
   *
   * @default 85
   */
  readonly serviceMemoryThresholdPercent?: number;

  /**
   * Average database CPU, percent, above which for 15 minutes the alarm goes off.
   *
   * @default 80
   */
  readonly databaseCpuThresholdPercent?: number;

  /**
   * Free database storage below which the alarm goes off.
   *
   * @default Size.gibibytes(2)
   */
  readonly databaseFreeStorageThreshold?: Size;

  /**
   * Database connections above which, for 15 minutes, the alarm goes off. MySQL on a db.t4g.micro allows about 60
   * (`max_connections` is the instance's memory / 12 MiB).
   *
   * @default 45
   */
  readonly databaseConnectionsThreshold?: number;

  /**
   * Freeable database memory below which, for 15 minutes, the alarm goes off.
   *
   * @default Size.mebibytes(64)
   */
  readonly databaseFreeMemoryThreshold?: Size;

  /**
   * CloudFront 5xx error rate, percent of requests, above which for ten minutes the alarm goes off.
   *
   * @default 5
   */
  readonly frontend5xxRateThresholdPercent?: number;
}
