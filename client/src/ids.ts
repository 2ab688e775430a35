import { v4 } from "uuid";

/**
 * A new random id (a version 4 UUID). crypto.randomUUID exists only in a secure context (HTTPS, or
 * localhost); Concord served over plain HTTP on a hospital or lab network is neither, and uuid then
 * draws from crypto.getRandomValues, which every page has.
 */
export const newId = (): string => v4();
