// The shell ships these as untyped JavaScript.
declare module '@shell/initialize/install-directives';
declare module '@shell/initialize/install-components';
declare module '@shell/utils/string';
declare module '@shell/mixins/fetch.client.js';
declare module '@shell/store/prefs';
declare module '@shell/plugins/shortkey';
declare module '@shell/plugins/floating-vue';
declare module '@shell/store/i18n';
// The shell's utils/array.ts (reached through store/type-map.utils, which the sandbox's column test runs) imports lodash/xor untyped.
declare module 'lodash/xor';
