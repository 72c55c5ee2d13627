// The admin API client. The token lives in sessionStorage only (gone when the tab closes), travels in
// the Authorization header only, and is never written to a URL, the console or the page.

const TOKEN_KEY = 'ayb-matviews.admin-token';

// The page is served at <mount>/admin/, the API at <mount>/api/admin/: resolve relative to the page, so a
// servlet mounted under a context path or a prefix works as it is.
export const API_ROOT = new URL('../api/admin/', document.baseURI);

export class ApiError extends Error {
  /** body: the whole JSON answer, e.g. a failed cascade's outcome of each view. */
  constructor(status, message, error, body = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
    this.body = body;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Calls the admin API; answers the parsed JSON (null for 204). Throws ApiError with the server's message.
 * A 401 also fires 'ayb:unauthorized' on window, unless a token was given explicitly (the sign-in check).
 */
export async function api(path, {method = 'GET', body, query, signInToken} = {}) {
  const url = new URL(path, API_ROOT);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') {
      url.searchParams.set(name, String(value));
    }
  }
  const headers = {Accept: 'application/json'};
  const bearer = signInToken ?? token();
  if (bearer) {
    headers.Authorization = `Bearer ${bearer}`;
  }
  const init = {method, headers, cache: 'no-store', credentials: 'omit', redirect: 'error'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached. Check that it is running, then try again.', 'network');
  }
  const json = await readJson(response);
  if (response.ok) {
    return json;
  }
  const message = (json && typeof json.message === 'string') ? json.message : `HTTP ${response.status}`;
  const error = new ApiError(response.status, message, json && json.error, json);
  if (response.status === 401 && signInToken === undefined) {
    window.dispatchEvent(new CustomEvent('ayb:unauthorized'));
  }
  throw error;
}

async function readJson(response) {
  if (response.status === 204 || response.status === 304) {
    return null;
  }
  const type = response.headers.get('Content-Type') || '';
  if (!type.includes('json')) {
    return null;
  }
  try {
    return await response.json();
  } catch (e) {
    return null;
  }
}

/** Path segment for an id or a schema.view reference. */
export function segment(value) {
  return encodeURIComponent(value);
}
