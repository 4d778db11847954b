// The account page's own glue: which elements to show for the session, and the outbox.
// Elements are created when they are shown, so each reads the session as it is then.
const login = document.querySelector('#login');
const sections = {
  enrol: document.querySelector('#enrol'),
  security: document.querySelector('#security'),
  admin: document.querySelector('#admin'),
  outbox: document.querySelector('#outbox'),
};
const outboxList = document.querySelector('#outbox-messages');

/** How often the outbox is read again while someone is signed in. */
const outboxRefreshMs = 5000;
/** Most outbox messages listed. */
const outboxMessagesMax = 10;
let outboxTimer;

/** Puts a new `tag` element (with `attributes`) into `#<slot>-slot`, replacing the old one. */
function place(slot, tag, attributes = {}) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  document.querySelector(`#${slot}-slot`).replaceChildren(element);
  return element;
}

function hideAll() {
  for (const section of Object.values(sections)) section.hidden = true;
  for (const slot of ['enrol', 'security', 'admin']) {
    document.querySelector(`#${slot}-slot`).replaceChildren();
  }
  clearInterval(outboxTimer);
}

/** Shows what a fully signed-in person may use: their settings, and the policies for Admins. */
function showAccount(user) {
  sections.enrol.hidden = true;
  document.querySelector('#enrol-slot').replaceChildren();
  sections.security.hidden = false;
  place('security', 'ab-mfa-manager', { heading: '', 'heading-level': '2' });
  const isAdmin = user.roles.includes('Admin');
  sections.admin.hidden = !isAdmin;
  if (isAdmin) place('admin', 'ab-mfa-policy-editor', { heading: '', 'heading-level': '2' });
  startOutbox();
}

/** A session that must set up a method first: only the setup wizard. */
function showEnrolment() {
  sections.enrol.hidden = false;
  const setup = place('enrol', 'ab-mfa-setup', { 'heading-level': '3' });
  // Setting up the first method verifies the session: the login card and the page catch up.
  setup.addEventListener('ab-mfa-enrolled', async () => {
    await login.checkSession();
    const me = await fetch('/api/auth/me', { credentials: 'include' });
    if (me.ok) showAccount((await me.json()).user);
  });
  startOutbox();
}

async function readOutbox() {
  const response = await fetch(`/api/mfa/outbox?limit=${outboxMessagesMax}`, {
    credentials: 'include',
  });
  // 404: production, or real senders configured; 401: signed out meanwhile.
  if (!response.ok) {
    sections.outbox.hidden = true;
    clearInterval(outboxTimer);
    return;
  }
  const { items } = await response.json();
  sections.outbox.hidden = false;
  const entries = items.map((message) => {
    const entry = document.createElement('li');
    const when = new Date(message.createdAt).toLocaleTimeString();
    const what = message.channel === 'sms' ? 'Text message' : message.subject ?? 'Email';
    entry.textContent = `${when} · ${what} to ${message.to}: ${message.body}`;
    return entry;
  });
  if (entries.length === 0) entries.push(Object.assign(document.createElement('li'), {
    textContent: 'No message yet.',
  }));
  outboxList.replaceChildren(...entries);
}

function startOutbox() {
  clearInterval(outboxTimer);
  void readOutbox();
  outboxTimer = setInterval(() => void readOutbox(), outboxRefreshMs);
}

document.querySelector('#outbox-refresh').addEventListener('click', () => void readOutbox());

login.addEventListener('ab-login', (event) => showAccount(event.detail.user));
login.addEventListener('ab-mfa-required', (event) => {
  hideAll();
  if (event.detail.mustEnrol) showEnrolment();
  else startOutbox();
});
login.addEventListener('ab-logout', hideAll);

// A session from an earlier visit fires no event: ask the server who is signed in.
const me = await fetch('/api/auth/me', { credentials: 'include' });
if (me.ok) {
  const session = await me.json();
  if (!session.mfa.required || session.mfa.verified) showAccount(session.user);
}
