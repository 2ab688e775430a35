import pino from "pino";

export type Logger = pino.Logger;

// Structured logs. Patient data never reaches them: request bodies and variables are not logged,
// and fields that could carry personal data are redacted wherever they appear.
export function createLogger(level: string, name = "concord", destination?: pino.DestinationStream): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    redact: {
      paths: [
        "password",
        "*.password",
        "token",
        "*.token",
        "email",
        "*.email",
        "variables",
        "*.variables",
        "req.headers.cookie",
        "req.headers.authorization",
        "headers.cookie",
        "headers.authorization",
      ],
      censor: "[redacted]",
    },
  }, destination);
}
