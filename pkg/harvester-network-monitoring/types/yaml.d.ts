// YAML files are bundled as parsed objects (the shell's js-yaml-loader; tests/support/yaml-transform.js in jest).
declare module '*.yaml' {
  const value: Record<string, any>;
  export default value;
}
