// The shell ships these as untyped JavaScript.
declare module '@shell/directives/clean-html';
