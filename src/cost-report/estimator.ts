import { HOURS_PER_MONTH } from './price-list';
import { PizzaCostLineItem } from './props';

/** One resource of a synthesized template (only what the estimate reads). */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
}

/**
 * Prices one resource of a stack: adds its line items (none, one or several) to `estimator`.
 *
 * @param estimator the estimate being built; it also holds every resource the estimate reads
 * @param id the logical id of the resource
 * @param type its CloudFormation resource type
 * @param props its properties, resolved (`{}` when it has none)
 */
export type PriceResource = (estimator: Estimator, id: string, type: string, props: Record<string, any>) => void;

/**
 * A family of resource types the estimate prices (network, compute, ...), one file each. A new family is a new
 * `estimate-*.ts` file and one more entry in the family list of `estimate-stack.ts`.
 */
export interface ResourceFamily {
  /** The resource types the family prices, each with the function that prices one resource of that type. */
  readonly prices: Readonly<Record<string, PriceResource>>;

  /** Resource types it only reads to price another, e.g. the task definition of a service. */
  readonly reads?: readonly string[];
}

/** Walks a template's resources and prices each one it knows. */
export class Estimator {
  private readonly items: PizzaCostLineItem[] = [];

  /**
   * @param resources the resources the estimate reads, by logical id
   * @param paths the construct path of each of those resources, by logical id
   * @param prices the function that prices each resource type
   */
  constructor(
    public readonly resources: Record<string, TemplateResource>,
    private readonly paths: Map<string, string>,
    private readonly prices: ReadonlyMap<string, PriceResource>,
  ) {}

  public run(): PizzaCostLineItem[] {
    for (const [id, resource] of Object.entries(this.resources)) {
      const props = resource.Properties ?? {};
      this.prices.get(resource.Type)?.(this, id, resource.Type, props);
    }
    return this.items;
  }

  /** Adds a line item priced per hour (the monthly unit price is `hourly` × 730). */
  public hourly(
    id: string,
    type: string,
    kind: string,
    quantity: number,
    unit: string,
    hourly: number,
    notes: string[] = [],
  ): void {
    this.add(id, type, kind, quantity, unit, hourly * HOURS_PER_MONTH, notes);
  }

  /** Adds a line item priced per month; `notes` become its assumption. */
  public add(
    id: string,
    type: string,
    kind: string,
    quantity: number,
    unit: string,
    unitMonthlyUsd: number,
    notes: string[] = [],
  ): void {
    this.items.push({
      logicalId: id,
      constructPath: this.paths.get(id),
      resourceType: type,
      kind,
      quantity: round(quantity),
      unit,
      unitMonthlyUsd: round(unitMonthlyUsd),
      monthlyUsd: round(quantity * unitMonthlyUsd),
      assumption: notes.length > 0 ? notes.join('; ') : undefined,
    });
  }
}

/** A number, or a string holding one (CloudFormation often takes numbers as strings); else undefined. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) {
    return Number(value);
  }
  return undefined;
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at. */
export function refTarget(value: unknown): string | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  if (typeof value.Ref === 'string') {
    return value.Ref;
  }
  const getAtt = value['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** True when `value` refers (`Ref` / `Fn::GetAtt`, at any depth) to the resource `logicalId`. */
export function references(value: unknown, logicalId: string): boolean {
  if (Array.isArray(value)) {
    return value.some((v) => references(v, logicalId));
  }
  if (!isObject(value)) {
    return false;
  }
  if (refTarget(value) === logicalId) {
    return true;
  }
  return Object.values(value).some((v) => references(v, logicalId));
}

/** Drops floating-point noise: 0.045 × 730 is 32.85, not 32.849999999999994. */
export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
