// Forwarding a kiosk's request to the hub as is (status and body relayed, Idempotency-Key kept),
// telling "the hub answered" apart from "the hub cannot be reached", which sends the agent to its
// offline path.
/** fetch without kept-alive sockets (see forwardToHub): for every request to the hub. */
export const fetchWithoutKeepAlive: typeof fetch = (input, init) =>
  fetch(input, {
    ...init,
    headers: { ...(init?.headers as Record<string, string>), connection: 'close' },
  });

export class HubUnreachable extends Error {
  override name = 'HubUnreachable';
}

export interface ForwardedAnswer {
  status: number;
  body: unknown;
  /** The hub's headers a kiosk reads (idempotent-replayed), relayed as they came. */
  headers: Record<string, string>;
}

const RELAYED_HEADERS = ['idempotent-replayed'] as const;

export interface ForwardOptions {
  hubUrl: string;
  token: string;
  /** A kiosk visitor is waiting: give up on a silent hub quickly. */
  timeoutMs: number;
}

export async function forwardToHub(
  options: ForwardOptions,
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<ForwardedAnswer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/json',
    // No pooled socket: after a hub restart a kept-alive one is dead, and the kiosk's ticket
    // would take the offline path although the hub is up. One connect per request on a LAN.
    connection: 'close',
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${options.hubUrl}${route}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new HubUnreachable(error instanceof Error ? error.message : String(error));
  }
  // 503: the hub is closing or starting; 502/504: a proxy in between without a hub behind it.
  if (response.status === 502 || response.status === 503 || response.status === 504)
    throw new HubUnreachable(`${route}: HTTP ${response.status}`);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new HubUnreachable(`${route}: HTTP ${response.status}, not JSON`);
  }
  const relayed: Record<string, string> = {};
  for (const name of RELAYED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) relayed[name] = value;
  }
  return { status: response.status, body: json, headers: relayed };
}
