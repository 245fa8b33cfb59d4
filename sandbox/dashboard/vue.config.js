/**
 * Vue CLI config of the e2e dashboard: the shell's own app config (every pkg/* folder of the app
 * directory built in as an extension) with three changes for the tests. The app directory is
 * assembled by build.ts; the repository's vue.config.js and pkg/ stay untouched.
 */
const shellConfig = require('@rancher/shell/vue.config');

module.exports = function e2eDashboardConfig(appDir, { repoRoot, cacheDir }) {
  const config = shellConfig(appDir, { excludes: [] });
  const configureShell = config.configureWebpack;

  config.configureWebpack = (webpackConfig) => {
    configureShell(webpackConfig);

    // rancher/dashboard#17119: ts-loader compiles with the shell's tsconfig, whose rootDir is the shell
    // folder, so every .ts of an extension fails with TS6059. The repository root contains all sources.
    webpackConfig.module.rules.forEach((rule) => (rule.use || []).forEach((use) => {
      if (typeof use.loader === 'string' && use.loader.includes('ts-loader')) {
        use.options = { ...use.options, compilerOptions: { ...(use.options || {}).compilerOptions, rootDir: repoRoot } };
      }
    }));

    // Each module in its own eval with a sourceURL: the cheapest devtool, and stack traces of page
    // errors still name the original file (so a failure points at our code or the shell's).
    webpackConfig.devtool = 'eval';

    // Rebuilds after a source change recompile only what changed.
    webpackConfig.cache = {
      type:              'filesystem',
      cacheDirectory:    cacheDir,
      buildDependencies: { config: [__filename, require.resolve('@rancher/shell/vue.config')] },
    };
  };

  return config;
};
