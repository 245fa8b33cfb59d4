// Runs the e2e harness's TypeScript directly: ts-node without type checking (tsc checks it in the
// test command), as CommonJS (the repository's tsconfig targets the bundler's ES modules).
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
process.env.TS_NODE_COMPILER_OPTIONS = JSON.stringify({ module: 'commonjs' });
require('ts-node/register');
