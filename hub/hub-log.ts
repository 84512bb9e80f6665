// The logger as the hub's features use it: the two methods of pino's (app.log) they call, so a
// feature takes app.log in the hub and a stub in a test.
export interface HubLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** For features that only ever warn. */
export type WarnLog = Pick<HubLog, 'warn'>;
