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
