import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { SWITCHOVER_SCRIPT } from './switchover-script';
import { propError } from '../core/errors';
import { ContainerImage } from '../core/image';
import { Schedule } from '../core/schedule';
import { scheduledJob } from '../core/scheduled-job';
import { FailureNotificationOptions, ScheduledJobOptions } from '../core/scheduled-job-options';
import { SecretKeyRef } from '../core/secret-ref';
import { RestrictedSecurity } from '../core/security';

/** What a switchover Job needs to know of a Patroni cluster. */
export interface IPatroniCluster extends IConstruct {
  /** The cluster name (`scope`). */
  readonly scope: string;
  /** Base URL of the members' REST API, e.g. `http://app-db-members:8008`. */
  readonly restApiUrl: string;
  /** The REST API password, when the API asks for one (user `patroni`). */
  readonly restApiPassword?: SecretKeyRef;
  /** An image with Python 3 (the cluster's Patroni image). */
  readonly image: ContainerImage;
  /** The user id the cluster's containers run as. */
  readonly runAsUser: number;
}

/** Props of `PatroniSwitchover`. */
export interface PatroniSwitchoverProps extends ScheduledJobOptions, FailureNotificationOptions {
  /** The cluster. */
  readonly cluster: IPatroniCluster;
  /**
   * Run on this schedule (a CronJob), e.g. in a maintenance window before node upgrades.
   * @default - a Job that runs once, when applied
   */
  readonly schedule?: Schedule;
  /**
   * The member to promote. In synchronous mode it must be the synchronous standby.
   * @default - Patroni picks (the synchronous standby in synchronous mode)
   */
  readonly candidate?: string;
}

/**
 * A planned switchover without patronictl: a Job (once, or on a schedule) that asks Patroni's
 * REST API for the leader and `POST /switchover`s from it, exactly the call the contract test
 * drives against real members. The Job fails when Patroni does not report success; it is never
 * retried (a second switchover is not what anyone asked for).
 */
export class PatroniSwitchover extends Construct {
  /** The one-shot Job, without `schedule`. */
  public readonly job?: kplus.Job;
  /** The CronJob, with `schedule`. */
  public readonly cronJob?: kplus.CronJob;

  constructor(scope: Construct, id: string, props: PatroniSwitchoverProps) {
    super(scope, id);
    const cluster = props.cluster;
    if (props.candidate !== undefined && !/^[A-Za-z0-9._-]{1,253}$/.test(props.candidate)) {
      throw propError(this, 'candidate', props.candidate, 'a member name (the pod name), e.g. "app-db-1"');
    }
    const work: kplus.ContainerProps = {
      name: 'switchover',
      image: cluster.image.reference,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['python3', '-c', SWITCHOVER_SCRIPT],
      resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) } },
      envVariables: {
        PATRONI_URL: kplus.EnvValue.fromValue(cluster.restApiUrl),
        ...(props.candidate ? { SWITCHOVER_CANDIDATE: kplus.EnvValue.fromValue(props.candidate) } : {}),
        ...(cluster.restApiPassword ? {
          PATRONI_RESTAPI_USERNAME: kplus.EnvValue.fromValue('patroni'),
          PATRONI_RESTAPI_PASSWORD: cluster.restApiPassword.toEnvValue(),
        } : {}),
      },
    };
    if (props.schedule) {
      this.cronJob = scheduledJob(this, props.schedule, { backoffLimit: 0, activeDeadline: Duration.minutes(10), ...props }, work,
        `Patroni switchover of ${cluster.scope}`, cluster.runAsUser, { webhook: props.failureWebhook });
      return;
    }
    if (props.failureWebhook) throw propError(this, 'failureWebhook', 'set', 'failure notification needs a schedule; a one-shot Job reports through its status');
    const account = new kplus.ServiceAccount(this, 'ServiceAccount', { automountToken: false });
    this.job = new kplus.Job(this, 'Resource', {
      backoffLimit: 0,
      activeDeadline: props.activeDeadline ?? Duration.minutes(10),
      serviceAccount: account,
      automountServiceAccountToken: false,
      securityContext: RestrictedSecurity.pod({ user: cluster.runAsUser }),
      ttlAfterFinished: Duration.days(1),
    });
    this.job.addContainer({ ...work, securityContext: RestrictedSecurity.container({ user: cluster.runAsUser }) });
  }
}
