import type { Config } from '@backstage/config';
import { isWithinLocation } from '@provisionhub/plugin-provisionhub-node';
import { UNTRUSTED_BLUEPRINT_REASON } from '@provisionhub/plugin-provisionhub-common';
import path from 'node:path';

/** One entry of `provisionhub.blueprints.trusted`, with its location resolved. */
interface TrustRule {
  /** As configured, for messages. */
  configured: string;
  /** `file:/abs/path` or a URL. */
  location: string;
  owners?: string[];
}

/**
 * `provisionhub.blueprints`: which catalog locations (and owners) may publish blueprints, and
 * the shared folders their `spec.files` may use besides their own folder.
 * @internal
 */
export class BlueprintTrust {
  readonly #rules: TrustRule[];
  readonly sharedFolders: string[];

  static fromConfig(config: Config, cwd = process.cwd()): BlueprintTrust {
    const root = config.getOptionalConfig('provisionhub.blueprints');
    const rules = (root?.getOptionalConfigArray('trusted') ?? []).map(
      (rule, index) => {
        const configured = rule.getString('location');
        return {
          configured,
          location: resolveConfiguredLocation(
            configured,
            `provisionhub.blueprints.trusted[${index}].location`,
            cwd,
          ),
          owners: rule.getOptionalStringArray('owners'),
        };
      },
    );
    const shared = (root?.getOptionalStringArray('sharedFolders') ?? []).map(
      (folder, index) =>
        resolveConfiguredLocation(
          folder,
          `provisionhub.blueprints.sharedFolders[${index}]`,
          cwd,
        ),
    );
    return new BlueprintTrust(rules, shared);
  }

  constructor(rules: TrustRule[], sharedFolders: string[]) {
    this.#rules = rules;
    this.sharedFolders = sharedFolders;
  }

  /**
   * Whether a Blueprint entity read from `location` (its `backstage.io/managed-by-location`)
   * with `owner` may be used; when not, the reason starts with "not from a trusted source".
   */
  check(
    location: string,
    owner: string,
  ): { trusted: true } | { trusted: false; reason: string } {
    const resolved = location.startsWith('url:')
      ? location.slice('url:'.length)
      : location;
    const matching = this.#rules.filter(rule =>
      isWithinLocation(resolved, rule.location),
    );
    if (matching.some(rule => !rule.owners || rule.owners.includes(owner))) {
      return { trusted: true };
    }
    if (matching.length) {
      return {
        trusted: false,
        reason: `${UNTRUSTED_BLUEPRINT_REASON}: its owner ${owner} is not one of the owners trusted for ${matching
          .map(rule => rule.configured)
          .join(', ')} in provisionhub.blueprints.trusted`,
      };
    }
    return {
      trusted: false,
      reason: `${UNTRUSTED_BLUEPRINT_REASON}: its catalog location ${location} is not inside any location of provisionhub.blueprints.trusted`,
    };
  }
}

/**
 * `file:<path>` (relative paths from the backend's working directory, like catalog locations)
 * or `url:<url>` / a plain http(s) URL, as a resolved location.
 */
function resolveConfiguredLocation(
  value: string,
  key: string,
  cwd: string,
): string {
  if (value.startsWith('file:')) {
    return `file:${path.resolve(cwd, value.slice('file:'.length))}`;
  }
  const url = value.startsWith('url:') ? value.slice('url:'.length) : value;
  if (/^https?:\/\//.test(url)) {
    return url;
  }
  throw new Error(
    `${key} must be a file:<path> or url:<https://…> location, got '${value}'`,
  );
}
