// The built-in pages behind the links in mails. Opening a page changes nothing (mail scanners open
// links); the person clicks, and only then is the token POSTed to the API. The token is taken out
// of the address bar at once, so it is neither kept in history nor sent anywhere else.
(() => {
  const main = document.querySelector('main');
  const token = new URLSearchParams(location.search).get('token') ?? '';
  history.replaceState(null, '', location.pathname);
  const form = document.getElementById('action');
  const button = form.querySelector('button');
  const status = document.getElementById('status');
  const again = document.getElementById('again');

  const MESSAGES = {
    TOKEN_EXPIRED: 'This link has expired.',
    TOKEN_USED: 'This link was already used.',
    TOKEN_INVALID: 'This link is not valid. It may have been replaced by a newer one.',
    EMAIL_TAKEN: 'That address now belongs to another account, so it cannot be yours.',
    RATE_LIMITED: 'Too many attempts. Please wait a moment and try again.',
    SERVICE_UNAVAILABLE: 'The service is unavailable right now. Please try again in a moment.',
  };

  function show(kind, text) {
    status.hidden = false;
    status.className = `status ${kind}`;
    status.textContent = text;
  }

  async function post(path, body) {
    const response = await fetch(`/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    return { ok: response.ok, data };
  }

  function explain(problem) {
    if (problem.code === 'WEAK_PASSWORD' || problem.code === 'VALIDATION_FAILED')
      return problem.detail ?? problem.title;
    return MESSAGES[problem.code] ?? 'Something went wrong. Please try again.';
  }

  function offerNewLink(problem) {
    if (again && ['TOKEN_EXPIRED', 'TOKEN_USED', 'TOKEN_INVALID'].includes(problem.code))
      again.hidden = false;
  }

  if (!token) {
    show('error', MESSAGES.TOKEN_INVALID);
    button.disabled = true;
    if (again) again.hidden = false;
  } else if (main.dataset.validate) {
    // checking a reset link changes nothing; it tells early when the link is no longer good
    void post(main.dataset.validate, { token }).then(({ ok, data }) => {
      if (!ok) {
        show('error', explain(data));
        offerNewLink(data);
        form.hidden = true;
      }
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { token };
    const password = form.querySelector('input[name=newPassword]');
    if (password) {
      const confirmation = form.querySelector('input[name=confirmPassword]');
      if (password.value !== confirmation.value) return show('error', 'The two passwords differ.');
      body.newPassword = password.value;
    }
    button.disabled = true;
    try {
      const { ok, data } = await post(main.dataset.action, body);
      if (ok) {
        show('ok', main.dataset.success);
        form.hidden = true;
      } else {
        show('error', explain(data));
        offerNewLink(data);
        if (data.code === 'WEAK_PASSWORD' || data.code === 'RATE_LIMITED') button.disabled = false;
      }
    } catch {
      show('error', 'The service could not be reached. Please try again.');
      button.disabled = false;
    }
  });

  if (again) {
    again.addEventListener('submit', async (event) => {
      event.preventDefault();
      const email = again.querySelector('input[name=email]').value;
      const { ok, data } = await post(again.dataset.action, { email });
      show(ok ? 'ok' : 'error', ok ? data.message : explain(data));
    });
  }
})();
