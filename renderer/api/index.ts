// The one door from the screens to the hub. Screens import from here, nothing else under api/.
export { ApiError, isApiError } from './errors';
export { newActionKey } from './idempotency';
export { createHubClient, type HubClient, type PairCredentials, type TicketAction } from './client';
export { connectLive, type LiveConnection } from './live';
export type { ConnectionState, HubEvent } from './stream';
export type { Readable } from './observable';
export { Observable } from './observable';
