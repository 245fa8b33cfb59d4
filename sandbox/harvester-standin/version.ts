import semver from 'semver';

/** The oldest Harvester the real extension runs on. */
export const MIN_HARVESTER_VERSION = '1.3.0';

/**
 * Whether Harvester's UI extension works with a cluster whose `server-version` setting is this value.
 * The real extension (harvester-ui-extension v1.7.3 utils/feature-flags.js, getVersion and featureEnabled,
 * asked for 'supportHarvesterClusterVersion' by store/harvester-store/actions.ts loadCluster) reduces the
 * value to major.minor.patch (v1.4.1-rc.1 is v1.4.1) and refuses anything below 1.3.0; a value semver cannot
 * read counts as its newest known release, so it is supported.
 */
export function harvesterVersionSupported(serverVersion: unknown): boolean {
  const version = typeof serverVersion === 'string' ? semver.parse(serverVersion.trim(), { loose: true }) : null;

  if (!version) {
    return true;
  }

  return !semver.lt(`${ version.major }.${ version.minor }.${ version.patch }`, MIN_HARVESTER_VERSION);
}
