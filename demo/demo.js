// The demo page's own glue: a plain form posting to the API, as a host page would write it.
const form = document.querySelector('#register');
const status = document.querySelector('#register-status');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!form.reportValidity()) return;
  const data = Object.fromEntries(new FormData(form));
  status.textContent = 'Creating your account…';
  const response = await fetch('/api/auth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'include',
    body: JSON.stringify(data),
  });
  const body = await response.json();
  if (response.ok) {
    status.textContent = `Account ${body.user.username} created. Sign in on the left.`;
    form.reset();
    const login = document.querySelector('#login');
    login.username = body.user.username;
  } else {
    const details = (body.errors ?? []).map((error) => error.message).join(' ');
    status.textContent = `${body.detail ?? body.title} ${details}`.trim();
  }
});

document.querySelector('#login').addEventListener('ab-login', (event) => {
  document.title = `Signed in as ${event.detail.user.username} · ab-elements demo`;
});
