// The generator moved into the build (the demo command uses it); tests keep importing it from here.
export * from "../modules/ai/synthetic-cxr.js";
