// Jest 27 is the version @rancher/shell 3.0.8 ships; it pairs with @vue/vue3-jest 27 and ts-jest 27.1.5 (package.json).
const common = {
  rootDir:                  __dirname,
  moduleFileExtensions:     ['ts', 'js', 'json', 'vue'],
  // Build output and the published catalog hold copies of the package; jest must only see the sources.
  modulePathIgnorePatterns: ['<rootDir>/dist-pkg/', '<rootDir>/dist/', '<rootDir>/.tools/', '<rootDir>/tmp/', '<rootDir>/extensions/', '<rootDir>/charts/harvester-network-monitoring/'],
  // Order matters: assets are stubbed before the alias rules resolve them.
  moduleNameMapper:         {
    '\\.(css|scss|svg|png)$': '<rootDir>/tests/support/style-stub.js',
    '^@shell/(.*)$':            '<rootDir>/node_modules/@rancher/shell/$1',
    '^@components/(.*)$':       '<rootDir>/node_modules/@rancher/shell/rancher-components/$1',
    '^@pkg/(.*)$':              '<rootDir>/pkg/harvester-network-monitoring/$1',
  },
  transform: {
    '^.+\\.ts$':    'ts-jest',
    '^.+\\.js$':    'babel-jest',
    '^.+\\.vue$':   '<rootDir>/tests/support/vue-transform.js',
    '^.+\\.ya?ml$': '<rootDir>/tests/support/yaml-transform.js',
  },
  // The shell ships untranspiled ES modules.
  transformIgnorePatterns: ['/node_modules/(?!(@rancher/shell|@rancher/components|color|color-string|color-convert|color-name)/)'],
  globals:                 { 'ts-jest': { isolatedModules: true, tsconfig: { sourceMap: true } } },
};

module.exports = {
  projects: [
    {
      ...common, displayName: 'unit', testEnvironment: 'node', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'], setupFiles: ['<rootDir>/tests/support/webcrypto-setup.js']
    },
    {
      ...common, displayName: 'components', testEnvironment: 'jsdom', testMatch: ['<rootDir>/tests/components/**/*.test.ts'], setupFiles: ['<rootDir>/tests/support/webcrypto-setup.js', '<rootDir>/tests/support/jsdom-setup.js']
    },
    { ...common, displayName: 'chart', testEnvironment: 'node', testMatch: ['<rootDir>/tests/chart/**/*.test.ts'] },
    { ...common, displayName: 'build', testEnvironment: 'node', testMatch: ['<rootDir>/tests/build/**/*.test.ts'] },
    // The DeepFlow contract: recordings of DeepFlow's real translator, and their SQL run on ClickHouse (chdb in .tools/venv).
    { ...common, displayName: 'contract', testEnvironment: 'node', testMatch: ['<rootDir>/tests/contract/**/*.test.ts'] },
    // Needs the real API server that scripts/kube-apiserver.sh runs; scripts/test.sh starts it around this project.
    { ...common, displayName: 'k8s', testEnvironment: 'node', testMatch: ['<rootDir>/tests/k8s/**/*.test.ts'] },
  ],
};
