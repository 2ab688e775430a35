// The loader's decode module in the page (inPageDecode.ts), loaded on demand under this module's name.
export { decodeImageFrame } from "concord-page-decoder";
