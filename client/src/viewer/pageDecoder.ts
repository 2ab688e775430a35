// The loader's decode module in the page (inPageDecode.ts), loaded on demand through this module so
// that its chunk is named pageDecoder-*.js: decodeImageFrameWorker-*.js stays the worker's own file
// (bench/first-image.mjs decodes its baseline with each).
export { decodeImageFrame } from "concord-page-decoder";
