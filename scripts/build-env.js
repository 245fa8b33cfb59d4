/**
 * The environment a webpack build of the extension or the dashboard runs with: the caller's, with the given
 * NODE_ENV, minus the two flags @vue/babel-preset-app sets on any process that ran it under NODE_ENV=test (a Jest
 * worker that transformed a .vue file has them). A build that inherits them compiles ES modules to CommonJS, so
 * every import() is inlined and the extension's startup file carries all its pages
 * (@vue/babel-preset-app 5.0.8 index.js). scripts/publish-repo.sh unsets the same two.
 */
function buildEnv(nodeEnv, extra = {}) {
  const env = { ...process.env, ...extra, NODE_ENV: nodeEnv };

  delete env.VUE_CLI_BABEL_TRANSPILE_MODULES;
  delete env.VUE_CLI_BABEL_TARGET_NODE;

  return env;
}

module.exports = { buildEnv };
