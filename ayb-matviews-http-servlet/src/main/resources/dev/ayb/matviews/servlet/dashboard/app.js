// The dashboard's shell: sign-in, hash routing (#/views, #/views/<id>, #/schedules), the status and
// alert regions, confirmations, and the live feed (events.js) while signed in. Pages live in views.js and
// schedules.js.

import {api, forgetToken, saveToken, token} from './api.js';
import {clear, h, refreshRelativeTimes, spinner} from './dom.js';
import {renderViewDetail, renderViews} from './views.js';
import {renderSchedules} from './schedules.js';
import {start as startLiveFeed, stop as stopLiveFeed} from './events.js';

const main = document.getElementById('main');
const nav = document.getElementById('mainnav');
const signOutButton = document.getElementById('sign-out');
const noticeRegion = document.getElementById('notice');
const alertRegion = document.getElementById('alert');

let generation = 0;
let leaveHandlers = [];

// ---- messages: role=status for progress and success, role=alert for failures ----

/** When the current message was shown: a page change clears it once it has been up for a moment. */
let messageShownAt = 0;
const MESSAGE_OUTLIVES_NAVIGATION_MS = 1500;

function message(region, kind, text) {
  messageShownAt = Date.now();
  const dismiss = h('button', {type: 'button', class: 'notice-dismiss', 'aria-label': 'Dismiss message',
    on: {click: () => clear(region)}}, '×');
  region.replaceChildren(h('div', {class: `notice-box notice-${kind}`},
      kind === 'progress' ? spinner() : null, h('span', {class: 'notice-text'}, text), dismiss));
}

function notify(text, {progress = false} = {}) {
  clear(alertRegion);
  message(noticeRegion, progress ? 'progress' : 'info', text);
}

function alertError(text) {
  clear(noticeRegion);
  message(alertRegion, 'error', text);
}

function clearMessages() {
  clear(noticeRegion);
  clear(alertRegion);
}

// ---- dialogs ----

for (const button of document.querySelectorAll('dialog [data-close]')) {
  button.addEventListener('click', () => button.closest('dialog').close('cancel'));
}

/** Resolves true when confirmed; Cancel, Escape and closing resolve false. */
function confirmAction({title, message: text, confirmLabel}) {
  const dialog = document.getElementById('confirm-dialog');
  const form = document.getElementById('confirm-form');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-message').textContent = text;
  document.getElementById('confirm-submit').textContent = confirmLabel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    form.onsubmit = (event) => {
      event.preventDefault();
      dialog.close('confirm');
    };
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), {once: true});
    dialog.showModal();
  });
}

// ---- routing ----

function leave() {
  for (const handler of leaveHandlers) {
    handler();
  }
  leaveHandlers = [];
  for (const dialog of document.querySelectorAll('dialog[open]')) {
    dialog.close('cancel');
  }
}

function context() {
  const mine = ++generation;
  return {
    notify,
    alert: alertError,
    clearMessages,
    confirm: confirmAction,
    /** False once the person has moved to another page: a late answer must not draw over it. */
    alive: () => mine === generation,
    onLeave: (handler) => leaveHandlers.push(handler),
    go: (hash) => {
      if (location.hash === hash) {
        route();
      } else {
        location.hash = hash;
      }
    },
  };
}

function route() {
  leave();
  // A message from the page being left is stale; one set just before this navigation (e.g. "Unregistered …"
  // then back to the list) is about the page being opened, so it stays.
  if (Date.now() - messageShownAt > MESSAGE_OUTLIVES_NAVIGATION_MS) {
    clearMessages();
  }
  const ctx = context();
  if (!token()) {
    renderSignIn(ctx);
    return;
  }
  showChrome(true);
  startLiveFeed();
  const hash = location.hash || '#/views';
  let match;
  let section;
  if (hash === '#/views' || hash === '#/' || hash === '#') {
    section = 'views';
    renderViews(main, ctx);
  } else if ((match = /^#\/views\/([^/]+)$/.exec(hash))) {
    section = 'views';
    renderViewDetail(main, ctx, decodeURIComponent(match[1]));
  } else if (hash === '#/schedules') {
    section = 'schedules';
    renderSchedules(main, ctx);
  } else {
    section = null;
    renderNotFound();
  }
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.nav === section) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  const heading = main.querySelector('h1');
  document.title = `${heading ? heading.textContent : 'Admin'} · ayb matviews`;
  if (heading && document.activeElement !== heading) {
    heading.focus({preventScroll: false});
  }
}

function renderNotFound() {
  main.replaceChildren(
      h('h1', {tabindex: '-1'}, 'Page not found'),
      h('p', {}, 'There is no such page in the dashboard. ', h('a', {href: '#/views'}, 'Go to the materialized views.')));
}

function showChrome(signedIn) {
  nav.hidden = !signedIn;
  signOutButton.hidden = !signedIn;
}

// ---- sign-in ----

function renderSignIn(ctx, reason) {
  showChrome(false);
  const input = h('input', {id: 'signin-token', name: 'token', type: 'password', autocomplete: 'off',
    spellcheck: 'false', required: true, 'aria-describedby': 'signin-hint signin-error'});
  const error = h('p', {class: 'form-error', id: 'signin-error', role: 'alert'});
  const submit = h('button', {type: 'submit', class: 'button primary', id: 'signin-submit'}, 'Sign in');
  const form = h('form', {id: 'signin-form', novalidate: true},
      h('div', {class: 'field'},
          h('label', {for: 'signin-token'}, 'Admin token'),
          input,
          h('p', {class: 'hint', id: 'signin-hint'},
              'The bearer token this server was started with. It is kept in this browser tab only ',
              '(session storage) and sent with each API call.')),
      error,
      h('div', {class: 'form-actions'}, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const candidate = input.value.trim();
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    if (!candidate) {
      error.textContent = 'Enter the admin token.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    submit.disabled = true;
    submit.replaceChildren(spinner(), ' Signing in…');
    try {
      // One row is enough to check the token, however many views there are.
      await api('matviews', {signInToken: candidate, query: {perPage: 1}});
      saveToken(candidate);
      clearMessages();
      if (!location.hash || location.hash === '#/signin') {
        location.hash = '#/views'; // hashchange routes
      } else {
        route();
      }
    } catch (e) {
      submit.disabled = false;
      submit.textContent = 'Sign in';
      error.textContent = e.status === 401
          ? 'The server refused this token (401 Unauthorized). Check the admin token and try again.'
          : `Signing in failed: ${e.message}`;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      input.select();
    }
  });
  main.replaceChildren(h('section', {class: 'signin card', 'aria-labelledby': 'signin-title'},
      h('h1', {id: 'signin-title', tabindex: '-1'}, 'Sign in'),
      reason ? h('p', {class: 'callout', id: 'signin-reason'}, reason) : null,
      form));
  document.title = 'Sign in · ayb matviews';
  input.focus();
}

window.addEventListener('ayb:unauthorized', () => {
  forgetToken();
  stopLiveFeed();
  leave();
  clearMessages();
  renderSignIn(context(), 'The server no longer accepts your token (401 Unauthorized). Sign in again.');
});

signOutButton.addEventListener('click', () => {
  forgetToken();
  stopLiveFeed();
  leave();
  clearMessages();
  renderSignIn(context(), 'Signed out. The token was removed from this tab.');
});

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  const heading = main.querySelector('h1');
  (heading || main).focus();
});

window.addEventListener('hashchange', route);
setInterval(() => refreshRelativeTimes(), 30_000);
route();
