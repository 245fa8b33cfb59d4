// Jest 27's environments predate globalThis.crypto; browsers and Node 20 have it.
if (!globalThis.crypto || !globalThis.crypto.getRandomValues) {
  Object.defineProperty(globalThis, 'crypto', { value: require('crypto').webcrypto, configurable: true });
}
