// Direct hub calls from the test process, to set a scene quickly (the day test uses the UI).
import { randomUUID } from 'node:crypto';

export async function hubPost<T>(
  hubUrl: string,
  token: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${hubUrl}/api/v1${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Idempotency-Key': randomUUID(),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? null : await response.json()) as T;
}

export async function hubPatch<T>(
  hubUrl: string,
  token: string,
  path: string,
  body: unknown,
): Promise<T> {
  const response = await fetch(`${hubUrl}/api/v1${path}`, {
    method: 'PATCH',
    headers: {
      Authorization: `Bearer ${token}`,
      'Idempotency-Key': randomUUID(),
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function hubGet<T>(hubUrl: string, token: string, path: string): Promise<T> {
  const response = await fetch(`${hubUrl}/api/v1${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function hubPut<T>(
  hubUrl: string,
  token: string,
  path: string,
  body: unknown,
): Promise<T> {
  const response = await fetch(`${hubUrl}/api/v1${path}`, {
    method: 'PUT',
    headers: {
      Authorization: `Bearer ${token}`,
      'Idempotency-Key': randomUUID(),
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
