// workerd (like Cloudflare Workers) hands a `.wasm` module import over as a compiled
// WebAssembly.Module: the typing for the worker in workerd-worker.ts.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
