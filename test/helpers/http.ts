// Test bodies are read loosely on purpose: each test asserts the fields it cares about.
export type Json = any;

/** A JSON call to the server's /api with an optional Bearer token; returns the status and parsed body. */
export async function apiCall(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const r = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, json: await r.json() };
}
