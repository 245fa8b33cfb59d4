// The shell ships these as untyped JavaScript.
declare module '@shell/initialize/install-directives';
