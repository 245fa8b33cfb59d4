// Based on rancher/dashboard's own lint configuration (.eslintrc.default.js and .eslintrc.js, the rules the
// shell is written to), with the plugins @rancher/shell 3.0.8 installs: eslint 7.32, eslint-config-standard 16,
// @typescript-eslint 5.62, eslint-plugin-vue 9.32, eslint-plugin-jest 24. The dashboard also extends
// @vue/standard and @vue/typescript/recommended, which the shell does not install; their rules that matter here
// (vue-eslint-parser with the TypeScript parser) are set directly.
module.exports = {
  root:          true,
  parser:        'vue-eslint-parser',
  parserOptions: {
    parser: '@typescript-eslint/parser', ecmaVersion: 2020, sourceType: 'module', extraFileExtensions: ['.vue']
  },
  env: {
    browser: true, node: true, es2020: true
  },
  globals: { NodeJS: true },
  plugins: ['jest', '@typescript-eslint'],
  extends: [
    'standard',
    'eslint:recommended',
    'plugin:@typescript-eslint/recommended',
    'plugin:vue/vue3-recommended',
  ],
  rules: {
    // As in rancher/dashboard .eslintrc.default.js.
    'semi-spacing':                  'off',
    'space-in-parens':               'off',
    'array-bracket-spacing':         'warn',
    'arrow-parens':                  'warn',
    'arrow-spacing':                 ['warn', { before: true, after: true }],
    'block-spacing':                 ['warn', 'always'],
    'brace-style':                   ['warn', '1tbs'],
    'comma-dangle':                  ['warn', 'only-multiline'],
    'comma-spacing':                 'warn',
    indent:                          ['warn', 2],
    'keyword-spacing':               'warn',
    'newline-per-chained-call':      ['warn', { ignoreChainWithDepth: 4 }],
    'no-trailing-spaces':            'warn',
    'wrap-iife':                     'off',
    'lines-between-class-members':   ['warn', 'always', { exceptAfterSingleLine: true }],
    'multiline-ternary':             ['warn', 'never'],
    'no-whitespace-before-property': 'warn',
    'object-curly-spacing':          ['warn', 'always'],
    'object-property-newline':       'warn',
    'object-shorthand':              'warn',
    'padded-blocks':                 ['warn', 'never'],
    'quote-props':                   'warn',
    'rest-spread-spacing':           'warn',
    semi:                            ['warn', 'always'],
    'space-before-function-paren':   ['warn', 'never'],
    'space-infix-ops':               'warn',
    'spaced-comment':                'warn',
    'switch-colon-spacing':          'warn',
    'template-curly-spacing':        ['warn', 'always'],
    'yield-star-spacing':            ['warn', 'both'],
    'key-spacing':                   ['warn', {
      align:     { beforeColon: false, afterColon: true, on: 'value', mode: 'minimum' },
      multiLine: { beforeColon: false, afterColon: true },
    }],
    'padding-line-between-statements': [
      'warn',
      { blankLine: 'always', prev: '*', next: 'return' },
      { blankLine: 'always', prev: 'function', next: 'function' },
      { blankLine: 'always', prev: ['const', 'let', 'var'], next: '*' },
      { blankLine: 'any', prev: ['const', 'let', 'var'], next: ['const', 'let', 'var'] },
    ],
    quotes:                                 ['warn', 'single', { avoidEscape: true, allowTemplateLiterals: true }],
    'space-unary-ops':                      ['warn', { words: true, nonwords: false }],
    'vue/one-component-per-file':           'off',
    'vue/no-deprecated-slot-attribute':     'off',
    'vue/require-explicit-emits':           'error',
    'vue/v-on-event-hyphenation':           'off',
    // As in rancher/dashboard .eslintrc.js.
    'dot-notation':                         'off',
    'no-empty':                             'off',
    'no-new':                               'off',
    'no-useless-escape':                    'off',
    curly:                                  'warn',
    eqeqeq:                                 'warn',
    'no-console':                           'warn',
    'no-eval':                              'warn',
    'no-redeclare':                         'off',
    '@typescript-eslint/no-redeclare':      'error',
    'prefer-arrow-callback':                'warn',
    'prefer-template':                      'warn',
    'vue/order-in-components':              'off',
    'vue/no-lone-template':                 'off',
    'vue/v-slot-style':                     'off',
    'vue/component-tags-order':             'off',
    'vue/multi-word-component-names':       'off',
    '@typescript-eslint/no-var-requires':   'off',
    '@typescript-eslint/no-explicit-any':   'off',
    '@typescript-eslint/no-this-alias':     'off',
    '@typescript-eslint/no-empty-function': 'off',
    '@typescript-eslint/ban-types':         'off',
    // Hostile strings must stay text: never render data as markup.
    'vue/no-v-html':                        'error',
    // As rancher/dashboard (.eslintrc.js) and the extension skeleton: wizard steps edit the settings object
    // they are given, the shell's own form idiom.
    'vue/no-mutating-props':                'off',
    // Names that are not ours keep their spelling: Kubernetes Pod Security check versions (seccompBaseline1_19)
    // and DeepFlow's wire and tag names (data_precision, pod_ns, ...).
    camelcase:                              ['error', {
      properties: 'never', ignoreDestructuring: true, allow: ['\\d_\\d+$', '^(data_precision|dashboard_input|clickhouse_sql|http_status|opt_status|pod_(ns|node|group|cluster|service)|auto_(instance|service))$'],
    }],
    // The TypeScript-aware versions: parameter properties are not useless, types may be used before their declaration.
    'no-useless-constructor':                      'off',
    '@typescript-eslint/no-useless-constructor':   'error',
    'no-use-before-define':                        'off',
    '@typescript-eslint/no-use-before-define':     ['error', { functions: false, classes: true, variables: true }],
    // The base rule takes the first "(" after a generic call's name for its argument list, so it flags
    // `new Map<string, () => void>()`; the TypeScript version skips type arguments.
    'func-call-spacing':                           'off',
    '@typescript-eslint/func-call-spacing':        ['warn', 'never'],
  },
  overrides: [
    {
      files:   ['tests/**/*.{js,ts}'],
      extends: ['plugin:jest/recommended'],
      rules:   {
        '@typescript-eslint/no-non-null-assertion':          'off',
        '@typescript-eslint/explicit-module-boundary-types': 'off',
        'jest/expect-expect':                                ['warn', { assertFunctionNames: ['expect', 'expect*', 'assert*'] }],
        'no-console':                                        'off',
        // Tests feed what the shell's store really rejects with (plain Steve/HTTP error objects), and hostile
        // strings such as "${...}".
        'no-throw-literal':                                  'off',
        'prefer-promise-reject-errors':                      'off',
        'no-template-curly-in-string':                       'off',
      },
    },
    {
      // The browser scenarios run on node:test (describe/it from 'node:test'), not jest.
      files: ['tests/e2e/scenarios/**/*.ts'],
      rules: {
        'jest/no-standalone-expect': 'off', 'jest/expect-expect': 'off', 'jest/valid-title': 'off', 'jest/no-done-callback': 'off',
      },
    },
    {
      // domain/ is plain TypeScript (the guide's layout): no Vue, no shell. The benchmarks also run it in Chromium
      // as plain ES modules (tests/bench/browser-modules.js), where such an import does not even resolve.
      files: ['pkg/*/domain/**/*.ts'],
      rules: {
        'no-restricted-imports': ['error', {
          patterns: [{ group: ['vue', 'vue/*', 'vuex', 'vue-router', '@shell/*', '@components/*', '@rancher/*'], message: 'domain/ stays free of Vue and the shell: do this in a component or mixin.' }],
        }],
      },
    },
    { files: ['scripts/**/*.js', 'tests/e2e/**/*.ts', 'sandbox/**/*.ts', 'tests/bench/**/*', 'tools/**/*.js'], rules: { 'no-console': 'off' } },
    { files: ['**/*.{js,vue}'], rules: { '@typescript-eslint/explicit-module-boundary-types': 'off' } },
  ],
};
