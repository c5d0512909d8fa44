/**
 * The one Node global the library's kernels use, for the browser bundle (esbuild `inject`, see
 * scripts/build-browser.mjs): src/kernels/wasm.ts decodes its embedded WebAssembly with
 * `Buffer.from(base64, 'base64')`. Without this the browser would throw a ReferenceError there, which
 * the loader catches, and silently fall back to the TypeScript kernels. Only that call is provided.
 */
export const Buffer = {
  from(text, encoding) {
    if (typeof text !== 'string' || encoding !== 'base64') {
      throw new Error("Buffer shim (browser bundle): only Buffer.from(text, 'base64') is provided");
    }
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  },
};
