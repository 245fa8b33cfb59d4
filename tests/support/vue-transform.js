/**
 * @vue/vue3-jest with TypeScript registered in @vue/compiler-sfc. Shell components whose <script setup>
 * props come from imported types (rancher-components RcButton, which the shell's SortableTable pulls in
 * through ActionMenuShell) cannot be compiled otherwise: "No fs option provided to `compileScript` in
 * non-Node environment" (vuejs/core#8301). rancher/dashboard's jest config does the same
 * (vue3JestRegisterTs.js).
 */
require('@vue/compiler-sfc').registerTS(() => require('typescript'));

module.exports = require('@vue/vue3-jest');
