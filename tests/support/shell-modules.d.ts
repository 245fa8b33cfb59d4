// The shell ships these as untyped JavaScript.
declare module '@shell/initialize/install-directives';
declare module '@shell/initialize/install-components';
declare module '@shell/utils/string';
declare module '@shell/mixins/fetch.client.js';
