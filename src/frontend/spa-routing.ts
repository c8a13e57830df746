/**
 * The viewer-request CloudFront Function (runtime cloudfront-js-2.0) that gives the SPA its deep links.
 *
 * - a path whose last segment has no file extension (`/`, `/menu`, `/franchise/3`, `/docs/`) is a client-side
 *   route: the request is rewritten to `/index.html`, which S3 serves with 200;
 * - a path whose last segment has an extension (`/assets/index-abc.js`, `/version.json`) is a file and passes
 *   through, so a missing file is still a 404;
 * - anything under `/.well-known/` passes through (e.g. `security.txt`, `assetlinks.json`).
 *
 * The query string is not part of `request.uri` (CloudFront passes it separately), so `/menu?x=1` is routed like
 * `/menu`. Kept to ES5 syntax so it runs unchanged on both CloudFront runtimes and in the unit tests.
 */
export const SPA_ROUTING_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('/.well-known/') === 0) {
    return request;
  }
  var lastSegment = uri.substring(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
`;

/** The version folders CI uploads builds to, `YYYYMMDD.HHMMSS/`, as an IAM resource pattern (`?` is one character). */
export const VERSION_FOLDERS = '????????.??????/*';

/** The release pointer's key for the production host (every host but staging's). */
export const PRODUCTION_RELEASE_KEY = 'production';

/** The release pointer's key for the staging host. */
export const STAGING_RELEASE_KEY = 'staging';

/**
 * The viewer-request function of a frontend with staging (runtime cloudfront-js-2.0, with the release pointer, a
 * CloudFront KeyValueStore, associated): each host serves the version its key names.
 *
 * - the host `stagingHost` reads the key `staging`, every other host (`pizza.DOMAIN`, the `*.cloudfront.net` name)
 *   the key `production`;
 * - `/assets/...` (the hashed files of every build, one shared folder), `/config.json` (written by the stack) and
 *   `/.well-known/...` pass through unversioned: a tab opened on the previous release keeps loading its chunks;
 * - every other path is routed as without staging (a path without a file extension gets `/index.html`), then
 *   prefixed with `/VERSION`: `/menu` on a host at `20261207.134501` is `/20261207.134501/index.html`;
 * - a key that is unset, unreadable or not a plain folder name serves the bucket's top level, as without staging.
 *
 * The cache key is the rewritten path, so two versions never share a cached file, and a release needs no
 * invalidation. `stagingHost` may be a deploy-time token: it is compared in lower case, with the Host header's
 * port and a trailing dot (`stage-pizza.example.com.`, a fully qualified name) left out.
 */
export function releaseRoutingFunctionCode(stagingHost: string): string {
  return `import cf from 'cloudfront';

var releases = cf.kvs();
var STAGING_HOST = '${stagingHost}'.toLowerCase();
var VERSION = /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/;

async function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('/assets/') === 0 || uri.indexOf('/.well-known/') === 0 || uri === '/config.json') {
    return request;
  }
  var host = request.headers.host ? request.headers.host.value.toLowerCase().replace(/:\\d+$/, '').replace(/\\.$/, '') : '';
  var key = host === STAGING_HOST ? '${STAGING_RELEASE_KEY}' : '${PRODUCTION_RELEASE_KEY}';
  var version = '';
  try {
    version = await releases.get(key);
  } catch (e) {
    version = '';
  }
  var lastSegment = uri.substring(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    uri = '/index.html';
  }
  request.uri = VERSION.test(version) ? '/' + version + uri : uri;
  return request;
}
`;
}
