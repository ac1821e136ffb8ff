/**
 * Minimal typings of the emscripten codec packages Cornerstone3D uses (they ship none). Each default export is an
 * emscripten module factory; `locateFile` maps the .wasm name to a URL (browser) and may be omitted in Node, where
 * the module reads the .wasm next to its .js file.
 */
interface QiviewEmscriptenFactoryOptions {
  locateFile?: (file: string, prefix: string) => string;
  print?: (s: string) => void;
  printErr?: (s: string) => void;
}
type QiviewEmscriptenFactory = (opts?: QiviewEmscriptenFactoryOptions) => Promise<unknown>;

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: QiviewEmscriptenFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: QiviewEmscriptenFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const factory: QiviewEmscriptenFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: QiviewEmscriptenFactory;
  export default factory;
}
