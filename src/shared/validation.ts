import { Token } from 'aws-cdk-lib';

/** One DNS label: letters, digits and hyphens, 1-63 characters, not starting or ending with a hyphen. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * One DNS label in any case. Without the `u` flag, `i` matches no non-ASCII character to an ASCII letter, so a
 * character that merely lower-cases to one (the Kelvin sign, U+212A, to `k`) is still refused.
 */
const DNS_LABEL_ANY_CASE = new RegExp(DNS_LABEL.source, 'i');

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

/**
 * Throws unless `value` is one DNS label (e.g. `pizza`, `pizza-service`), in any case: DNS names are
 * case-insensitive, so `Pizza` is the label `pizza` (see `lowerCaseDnsName`). Only ASCII letters are letters here.
 */
export function validateDnsLabel(prop: string, value: string): void {
  if (!isConcrete(value)) {
    return;
  }
  if (!DNS_LABEL_ANY_CASE.test(value)) {
    throw new Error(
      `\`${prop}\` must be a single DNS label (letters, digits and hyphens, 1-63 characters, no leading or ` +
        `trailing hyphen, no dots; upper case is lower-cased), got: ${show(value)}`,
    );
  }
}

/**
 * A DNS name (a label or a domain) in lower case, as Route 53, ACM and the library's duplicate checks compare it:
 * DNS is case-insensitive. A token is returned as it is (its value is not known until deploy).
 */
export function lowerCaseDnsName(value: string): string {
  return isConcrete(value) ? value.toLowerCase() : value;
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

/**
 * An email address AWS can deliver to: one `@`, no spaces, a dot in the domain. AWS Budgets and SNS accept any
 * string and fail at deploy time, or silently never deliver.
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/** Throws unless `value` is one email address, e.g. `student@example.com`. */
export function validateEmail(prop: string, value: string): void {
  if (!isConcrete(value)) {
    return;
  }
  if (!EMAIL.test(value)) {
    throw new Error(
      `\`${prop}\` must be one email address such as "student@example.com" (AWS sends the alerts there), ` +
        `got: ${show(value)}`,
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

/**
 * What a prop must be, for callers without TypeScript's checks (plain JavaScript, or another jsii language).
 *
 * - `string`, `number`, `boolean`: that primitive (a token string or number is fine);
 * - `string[]`: an array of strings;
 * - `record`: a plain object whose values are strings (`{ [name: string]: string }`);
 * - `object`: any object (an interface such as `IVpc`, or a class instance such as `Duration`);
 * - a class: an instance of it (`PizzaDns`, `PizzaDatabase`, ...).
 */
export type PropKind = 'string' | 'number' | 'boolean' | 'string[]' | 'record' | 'object' | ClassKind;

/** A class, by its prototype (private constructors such as `Duration`'s included). */
export interface ClassKind {
  readonly prototype: object;
  readonly name: string;
}

/** The shape of a props object: each prop's kind, and which props are required. */
export interface PropsShape {
  readonly [prop: string]: { readonly kind: PropKind; readonly required?: boolean };
}

/**
 * Throws a clear `Error` when `props` does not have `shape`: a missing required prop, or a prop of the wrong kind
 * (e.g. a string where a list belongs). TypeScript callers never see these; JavaScript and other jsii languages do,
 * instead of a `TypeError` deep inside the construct.
 */
export function validatePropsShape(construct: string, props: unknown, shape: PropsShape): void {
  const required = Object.entries(shape)
    .filter(([, s]) => s.required)
    .map(([name]) => name);
  if (props === undefined || props === null) {
    if (required.length === 0) {
      return;
    }
    throw new Error(
      `${construct} needs props with ${required.map((r) => `\`${r}\``).join(', ')}, got: ${String(props)}`,
    );
  }
  if (typeof props !== 'object' || Array.isArray(props)) {
    throw new Error(`${construct} props must be an object, got: ${describeValue(props)}`);
  }
  const values = props as Record<string, unknown>;
  for (const [name, { kind, required: isRequired }] of Object.entries(shape)) {
    const value = values[name];
    if (value === undefined || value === null) {
      if (isRequired) {
        throw new Error(`${construct} needs \`${name}\` (${describeKind(kind)}), got: ${String(value)}`);
      }
      continue;
    }
    if (!hasKind(value, kind)) {
      throw new Error(`${construct}: \`${name}\` must be ${describeKind(kind)}, got: ${describeValue(value)}`);
    }
  }
}

function hasKind(value: unknown, kind: PropKind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && !Number.isNaN(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'record':
      return (
        typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.values(value as object).every((v) => typeof v === 'string')
      );
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    default:
      return Object.prototype.isPrototypeOf.call(kind.prototype, value as object);
  }
}

function describeKind(kind: PropKind): string {
  switch (kind) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'string[]':
      return 'a list of strings';
    case 'record':
      return 'an object of string values';
    case 'object':
      return 'an object';
    default:
      return `${/^[aeiou]/i.test(kind.name) ? 'an' : 'a'} ${kind.name}`;
  }
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) {
    return `a list ${truncate(JSON.stringify(value))}`;
  }
  if (typeof value === 'object' && value !== null) {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `${typeof value} ${truncate(typeof value === 'string' ? JSON.stringify(value) : String(value))}`;
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
