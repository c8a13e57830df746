import { Token } from 'aws-cdk-lib';

/** One DNS label: letters, digits and hyphens, 1-63 characters, not starting or ending with a hyphen. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Route 53 hosted zone ids: `Z` followed by upper-case letters and digits. */
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** True when the value is a concrete string (not a token) that synth-time checks can read. */
export function isConcrete(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}

/** Quote a user value for an error message. */
export function show(value: unknown): string {
  return JSON.stringify(value);
}

/** Throws unless `value` is one DNS label (e.g. `pizza`, `pizza-service`). */
export function validateDnsLabel(prop: string, value: string): void {
  if (!isConcrete(value)) {
    return;
  }
  if (!DNS_LABEL.test(value)) {
    throw new Error(
      `\`${prop}\` must be a single DNS label (lower-case letters, digits and hyphens, 1-63 characters, ` +
        `no leading or trailing hyphen, no dots), got: ${show(value)}`,
    );
  }
}

/** Throws unless `value` is a domain name with at least two labels, e.g. `example.com`. */
export function validateDomainName(prop: string, value: string): void {
  if (!isConcrete(value)) {
    return;
  }
  const labels = value.split('.');
  const ok = value.length > 0 && value.length <= 253 && labels.length >= 2 && labels.every((l) => DNS_LABEL.test(l));
  if (!ok) {
    throw new Error(
      `\`${prop}\` must be a domain name such as "example.com" (two or more lower-case DNS labels separated by ` +
        `dots, no scheme, path, spaces or trailing dot), got: ${show(value)}`,
    );
  }
}

/** Throws unless `value` looks like a Route 53 hosted zone id, e.g. `Z0123456789ABC`. */
export function validateHostedZoneId(prop: string, value: string): void {
  if (!isConcrete(value)) {
    return;
  }
  if (!HOSTED_ZONE_ID.test(value)) {
    throw new Error(
      `\`${prop}\` must be a Route 53 hosted zone id such as "Z0123456789ABC" ("Z" then upper-case letters and ` +
        `digits, without the "/hostedzone/" prefix), got: ${show(value)}`,
    );
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function validateIntegerRange(prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`\`${prop}\` must be an integer from ${min} to ${max}, got: ${show(value)}`);
  }
}

/** Throws unless `value` is an absolute http(s) URL. */
export function validateHttpUrl(prop: string, value: string | undefined): void {
  if (!isConcrete(value)) {
    return;
  }
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new Error(`\`${prop}\` must be an absolute http:// or https:// URL, got: ${show(value)}`);
  }
}
