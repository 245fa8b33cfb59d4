import { defineAsyncComponent } from 'vue';

/**
 * The NetworkPolicy proposal editor, loaded when it is first opened (Traffic Flows and the Network tabs): the
 * shell's YamlEditor brings its diff view and highlighter (diff2html, highlight.js), more code than those pages.
 */
export default defineAsyncComponent(() => import(/* webpackChunkName: "policy-proposal" */ './PolicyProposal.vue'));
