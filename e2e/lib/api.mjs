// Direct HTTP calls to the services, for setup that is not under test (frontends.md §5).
import crypto from 'node:crypto';
import { config, uniqueName } from './config.mjs';

export class HttpError extends Error {
  constructor(status, body, what) {
    super(`${what} → ${status}: ${JSON.stringify(body?.error ?? body)}`);
    this.status = status;
    this.body = body;
  }
}

/** Calls `{service}{path}`; returns the envelope's `data` (and `count` on the function result's `.count`). */
export async function call(service, method, path, { token, json, form, headers = {}, ok = true } = {}) {
  const h = { 'x-request-id': crypto.randomUUID(), ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    h['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  const res = await fetch(config.services[service] + path, { method, headers: h, body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (ok && !res.ok) throw new HttpError(res.status, parsed, `${method} ${service}${path}`);
  return { status: res.status, data: parsed?.data, count: parsed?.count, body: parsed, headers: res.headers };
}

export async function login(username, password) {
  const { data } = await call('auth', 'POST', '/v1/auth/login', { json: { username, password } });
  return data; // {access_token, refresh_token, expires_in, user_id, username, role}
}

let adminTok;
export async function adminToken() {
  adminTok ??= login(config.adminUsername, config.adminPassword).then((d) => d.access_token);
  return adminTok;
}

/** A signed-up and confirmed customer: `{username, email, password, name}`. */
export async function createCustomer({ kind = 'c', password = config.password, name } = {}) {
  const username = uniqueName(kind);
  const email = `${username}@example.com`;
  const displayName = name ?? `E2E ${username.slice(-6)}`;
  await call('auth', 'POST', '/v1/auth/signup', { json: { username, email, password, name: displayName } });
  await call('auth', 'POST', '/v1/auth/confirm', { json: { username, code: '123456' } });
  return { username, email, password, name: displayName };
}

/** Child categories of a root (Car by default), from the tree. */
export async function childCategories(rootId = config.categories.car) {
  const { data } = await call('product', 'GET', '/v1/categories/');
  const root = (data ?? []).find((c) => c.id === rootId);
  return root?.childs ?? [];
}

/** Creates a product through the product API (multipart) with the admin token; returns the product. */
export async function createProduct({ name = uniqueName('p'), price = '1234.50', quantity = 10, categoryId, png, description } = {}) {
  const token = await adminToken();
  let category = categoryId;
  if (!category) {
    const kids = await childCategories();
    category = kids[0]?.id ?? config.categories.car;
  }
  const form = new FormData();
  form.set('name', name);
  form.set('description', description ?? `Made by the e2e run ${config.runId}`);
  form.set('price', String(price));
  form.set('quantity', String(quantity));
  form.set('category_id', category);
  form.set('image', new Blob([png], { type: 'image/png' }), 'image.png');
  const { data } = await call('product', 'POST', '/v1/products', { token, form });
  return data;
}

export async function getProduct(id) {
  return (await call('product', 'GET', `/v1/products/${id}`)).data;
}

/** Products matching a search (search mode of P1). */
export async function searchProducts(q, extra = '') {
  const { data, count } = await call('product', 'GET', `/v1/products?q=${encodeURIComponent(q)}&limit=20${extra}`);
  return { data: data ?? [], count };
}
