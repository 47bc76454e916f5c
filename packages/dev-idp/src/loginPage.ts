const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escape(value: string) {
  return value.replace(/[&<>"']/g, c => entities[c]);
}

/** The provider's login form for one interaction. */
export function renderLoginPage(options: {
  action: string;
  clientName: string;
  username?: string;
  error?: string;
  /** Shown under the form: this provider is for development only. */
  hint: string;
}) {
  const error = options.error
    ? `<p role="alert" class="error">${escape(options.error)}</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sign in · ProvisionHub dev identity provider</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f5f7; display: flex; justify-content: center; padding-top: 10vh; }
  main { background: #fff; padding: 2rem 2.5rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; width: 22rem; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-size: 1rem; }
  button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #1f5493; color: #fff; border: 0; border-radius: 4px; }
  .error { color: #b00020; }
  .hint { color: #555; font-size: .85rem; margin-top: 1.5rem; }
</style>
</head>
<body>
<main>
  <h1>Sign in</h1>
  <p>to continue to ${escape(options.clientName)}</p>
  ${error}
  <form method="post" action="${escape(options.action)}" autocomplete="off">
    <label for="username">Username</label>
    <input id="username" name="username" required autofocus value="${escape(
      options.username ?? '',
    )}">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" required>
    <button type="submit">Sign in</button>
  </form>
  <p class="hint">${escape(options.hint)}</p>
</main>
</body>
</html>`;
}
