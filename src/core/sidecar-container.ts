import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ContainerImage } from './image';
import { RestrictedSecurity } from './security';

/** What differs between the helper containers the library adds to pods. */
export interface SidecarRecipe {
  readonly name: string;
  readonly image: ContainerImage;
  readonly user: number;
  /** The port the program listens on; probed over TCP unless probes are given. */
  readonly port: number;
  readonly portName: string;
  readonly resources: kplus.ContainerResources;
  readonly command?: string[];
  readonly args?: string[];
  readonly readiness?: kplus.Probe;
  readonly liveness?: kplus.Probe;
}

/**
 * The one way the library builds a helper container (PgBouncer, an exporter, pgBackRest's
 * server): the pinned image pulled only when missing, the program's port named and probed, its
 * resources, and the restricted security context.
 */
export function sidecarContainerProps(recipe: SidecarRecipe): kplus.ContainerProps {
  const port = recipe.port;
  return {
    name: recipe.name,
    image: recipe.image.reference,
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    command: recipe.command,
    args: recipe.args,
    ports: [{ number: port, name: recipe.portName }],
    readiness: recipe.readiness ?? kplus.Probe.fromTcpSocket({ port, periodSeconds: Duration.seconds(10) }),
    liveness: recipe.liveness ?? kplus.Probe.fromTcpSocket({ port, initialDelaySeconds: Duration.seconds(10), periodSeconds: Duration.seconds(20) }),
    resources: recipe.resources,
    securityContext: RestrictedSecurity.container({ user: recipe.user }),
  };
}
