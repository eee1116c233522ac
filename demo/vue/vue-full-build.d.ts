// Vue's full build (runtime and template compiler, for templates compiled in the browser) ships no
// types of its own; its API is the one of 'vue'.
declare module 'vue/dist/vue.esm-bundler.js' {
  export * from 'vue';
}
