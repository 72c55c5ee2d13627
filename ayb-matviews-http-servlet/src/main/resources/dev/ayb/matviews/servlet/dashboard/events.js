// The live feed: one stream of GET /api/admin/events for the whole dashboard, read with fetch and a stream
// reader rather than EventSource, because EventSource cannot send the Authorization header and the admin token
// must never travel in a URL. Each event is announced on window as 'ayb:event' ({type, id, data}); the
// indicator in the top bar says whether the feed is live. After a drop it reconnects with Last-Event-ID, so the
// server replays the refreshes it missed.

import {API_ROOT, token} from './api.js';

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;

let controller = null;
let lastEventId = null;
let retryTimer = null;
let retryMs = RETRY_MIN_MS;

function indicator(state, text) {
  const element = document.getElementById('live-status');
  if (!element) {
    return;
  }
  element.hidden = state === 'off';
  element.dataset.state = state;
  element.textContent = text;
}

/** Opens the feed (once); it stays open across pages until stop(). */
export function start() {
  if (controller || !token()) {
    return;
  }
  clearTimeout(retryTimer);
  connect();
}

/** Closes the feed, e.g. on sign-out. */
export function stop() {
  clearTimeout(retryTimer);
  retryTimer = null;
  if (controller) {
    controller.abort();
    controller = null;
  }
  lastEventId = null;
  indicator('off', '');
}

async function connect() {
  const mine = new AbortController();
  controller = mine;
  indicator('connecting', 'Connecting…');
  const headers = {Accept: 'text/event-stream', Authorization: `Bearer ${token()}`};
  if (lastEventId !== null) {
    headers['Last-Event-ID'] = lastEventId;
  }
  try {
    const response = await fetch(new URL('events', API_ROOT), {headers, cache: 'no-store', credentials: 'omit',
      redirect: 'error', signal: mine.signal});
    if (response.status === 401) {
      controller = null;
      indicator('off', '');
      window.dispatchEvent(new CustomEvent('ayb:unauthorized'));
      return;
    }
    if (!response.ok || !response.body) {
      throw new Error(`HTTP ${response.status}`);
    }
    indicator('live', 'Live');
    retryMs = RETRY_MIN_MS;
    await read(response.body.getReader());
    throw new Error('stream ended');
  } catch (e) {
    if (mine.signal.aborted || controller !== mine) {
      return;
    }
    controller = null;
    indicator('disconnected', `Disconnected — reconnecting in ${Math.round(retryMs / 1000)} s`);
    retryTimer = setTimeout(() => {
      controller = null;
      connect();
    }, retryMs);
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
  }
}

/** The event-stream format: fields up to a blank line, which dispatches the event; comments are ignored. */
async function read(reader) {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = {type: 'message', id: null, data: []};
  for (;;) {
    const {value, done} = await reader.read();
    if (done) {
      return;
    }
    buffer += decoder.decode(value, {stream: true});
    let newline;
    while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (event.data.length) {
          dispatch(event);
        }
        event = {type: 'message', id: null, data: []};
        continue;
      }
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') {
        event.type = text;
      } else if (field === 'data') {
        event.data.push(text);
      } else if (field === 'id') {
        event.id = text;
      }
    }
  }
}

function dispatch(event) {
  if (event.id !== null) {
    lastEventId = event.id;
  }
  let data;
  try {
    data = JSON.parse(event.data.join('\n'));
  } catch (e) {
    return;
  }
  window.dispatchEvent(new CustomEvent('ayb:event', {detail: {type: event.type, id: event.id, data}}));
}

/**
 * Calls handler(detail) for each event of the given types until the page is left; bursts (a cascade, a busy
 * schedule) are gathered into one call per quiet moment, with the last event.
 */
export function onEvents(ctx, types, handler, {settleMs = 250} = {}) {
  let timer = null;
  let latest = null;
  const listener = (e) => {
    if (!types.includes(e.detail.type)) {
      return;
    }
    latest = e.detail;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (ctx.alive()) {
        handler(latest);
      }
    }, settleMs);
  };
  window.addEventListener('ayb:event', listener);
  ctx.onLeave(() => {
    clearTimeout(timer);
    window.removeEventListener('ayb:event', listener);
  });
}
