// Lets tests import l10n/*.yaml the way webpack's yaml loader does in the real build.
const jsyaml = require('js-yaml');

module.exports = {
  process(src) {
    return `module.exports = ${ JSON.stringify(jsyaml.load(src)) };`;
  },
};
