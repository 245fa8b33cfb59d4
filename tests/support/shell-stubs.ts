/**
 * Stand-ins for shell components that need the browser's CodeMirror: same props, events and the
 * methods our components call. The browser tests run the real ones.
 */
export const YamlEditorStub = {
  name:  'YamlEditor',
  props: ['value'],
  emits: ['update:value'],
  data() {
    return { curValue: (this as any).value };
  },
  methods: {
    updateValue(this: any, v: string) {
      this.curValue = v;
    },
  },
  template: `<textarea :value="curValue" @input="curValue = $event.target.value; $emit('update:value', curValue)" />`,
};
