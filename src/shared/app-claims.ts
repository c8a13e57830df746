import { IConstruct } from 'constructs';

/**
 * Names that must be unique across one CDK app (a host name in a hosted zone, the one OIDC provider of an account),
 * each with the construct that claimed it first. One registry per kind of name, keyed by the app (the construct
 * tree's root), so separate apps never see each other's claims.
 */
export class AppClaims {
  private readonly apps = new WeakMap<IConstruct, Map<string, string>>();

  /**
   * Claim `key` for `owner` in `scope`'s app.
   *
   * @returns the owner that claimed `key` before, if that is another one (the claim is then not recorded)
   */
  public claim(scope: IConstruct, key: string, owner: string): string | undefined {
    const claims = this.apps.get(scope.node.root) ?? new Map<string, string>();
    this.apps.set(scope.node.root, claims);
    const previous = claims.get(key);
    if (previous !== undefined && previous !== owner) {
      return previous;
    }
    claims.set(key, owner);
    return undefined;
  }

  /** The owner of `key` in `scope`'s app, if claimed. */
  public holder(scope: IConstruct, key: string): string | undefined {
    return this.apps.get(scope.node.root)?.get(key);
  }
}
