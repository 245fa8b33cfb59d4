/** NetworkPolicy verdicts for flows, proposals from flows, their dry run, YAML and the requests that apply them. */
export * from './policy-world';
export * from './flow-endpoints';
export * from './flow-verdict';
export * from './rule-text';
export * from './verdict-summary';
export * from './flow-filters';
export * from './proposal';
export * from './dry-run';
export * from './policy-yaml';
export * from './apply-request';
export * from './text-keys';
