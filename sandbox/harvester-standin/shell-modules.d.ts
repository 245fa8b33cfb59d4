// The shell ships its Steve store factory as untyped JavaScript.
declare module '@shell/plugins/steve/index';
