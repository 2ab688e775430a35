// mulberry32, seeded: a failing seed replays the same choices. It lives with the synthetic chest X-rays (built code).
export { seededRandom } from "../modules/ai/synthetic-cxr.js";
