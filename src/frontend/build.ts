import { dirname, resolve } from 'path';
import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { PizzaFrontendProps } from './props';
import { runBuild, serviceUrlInBuild, validateSpaSource } from './source';
import { isConcrete, show } from '../shared/validation';

/** The build-time variable the upstream SPA reads the service URL from (`import.meta.env`). */
const SERVICE_URL_BUILD_VARIABLE = 'VITE_PIZZA_SERVICE_URL';

/** The build command used when `buildOptions.command` is not given. */
const DEFAULT_BUILD_COMMAND = 'npm run build';

/**
 * Run the build when asked, then check the directory that will be deployed; its absolute path, or `undefined`
 * without `source`. Warnings and advice go on `scope`.
 */
export function prepareSource(scope: Construct, props: PizzaFrontendProps): string | undefined {
  if (props.source === undefined) {
    return undefined;
  }
  if (props.buildOptions) {
    const environment: Record<string, string> = {};
    if (isConcrete(props.serviceUrl)) {
      environment[SERVICE_URL_BUILD_VARIABLE] = props.serviceUrl;
    } else if (props.serviceUrl !== undefined) {
      Annotations.of(scope).addWarningV2(
        'pizza-constructs:frontend-service-url-deploy-time',
        '`serviceUrl` is only known at deploy time, so the build does not get VITE_PIZZA_SERVICE_URL. The ' +
          'upstream jwt-pizza reads the service URL only at build time (it never reads /config.json), so it would ' +
          'call the URL in its .env.production. Give the PizzaService a `dns` (its URL is then known at synth), ' +
          'pass `serviceUrl` as a string such as "https://pizza-service.example.com", or set ' +
          'VITE_PIZZA_SERVICE_URL in `buildOptions.environment`.',
      );
    }
    Object.assign(environment, props.buildOptions.environment ?? {});
    runBuild(
      props.buildOptions.command ?? DEFAULT_BUILD_COMMAND,
      resolve(props.buildOptions.workingDirectory ?? dirname(resolve(props.source))),
      environment,
    );
  }
  validateSpaSource(props.source);
  if (props.serviceUrl !== undefined && isConcrete(props.serviceUrl)) {
    checkServiceUrlInBuild(scope, props.source, props.serviceUrl);
  }
  return resolve(props.source);
}

/**
 * Warn when the built SPA calls another JWT Pizza service (its code holds another `https://...pizza-service...`
 * URL, such as the instructor's from the upstream .env.production) and neither contains `serviceUrl` nor reads
 * /config.json. A build with no service URL at all (a stand-in, or an app built some other way) gets the same
 * advice as an info message.
 */
function checkServiceUrlInBuild(scope: Construct, source: string, serviceUrl: string): void {
  const { found, other } = serviceUrlInBuild(source, serviceUrl);
  if (found !== 'elsewhere') {
    return;
  }
  const advice =
    'The upstream jwt-pizza reads the service URL at build time (VITE_PIZZA_SERVICE_URL, set in its ' +
    `.env.production). Build it with VITE_PIZZA_SERVICE_URL=${serviceUrl}, or set \`buildOptions\` so the ` +
    'construct runs the build with it. An app that reads /config.json at run time is not warned.';
  const subject = `The SPA in \`source\` (${show(source)}) was not built for \`serviceUrl\` ${show(serviceUrl)}`;
  if (other) {
    Annotations.of(scope).addWarningV2(
      'pizza-constructs:frontend-service-url-not-in-build',
      `${subject}: it calls ${other}. ${advice}`,
    );
  } else {
    Annotations.of(scope).addInfo(`${subject}: no file of it names a service URL. ${advice}`);
  }
}
