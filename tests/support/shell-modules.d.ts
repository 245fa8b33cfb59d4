// The shell ships these as untyped JavaScript.
declare module '@shell/initialize/install-directives';
declare module '@shell/utils/string';
