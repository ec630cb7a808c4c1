import { useEffect, useId, useState } from 'react';
import { api } from '../api.js';
import { Loading } from '../ui.jsx';

function Field({ label, hint, ...input }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function Card({ title, children }) {
  useEffect(() => {
    document.title = `${title} · Rollcall`;
  }, [title]);
  return (
    <main className="center-card">
      <p className="brand brand-large" aria-hidden="true">
        Rollcall
      </p>
      <h1>{title}</h1>
      {children}
    </main>
  );
}

export function SignInPage({ onSignedIn }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [choices, setChoices] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(
        await api('/session', {
          method: 'POST',
          body: { email, password, workspace: workspace || undefined },
        }),
      );
    } catch (err) {
      if (err.code === 'choose_workspace') setChoices(err.extra.workspaces ?? []);
      setError(err.message);
      setBusy(false);
    }
  };
  return (
    <Card title="Sign in to the admin console">
      <form onSubmit={submit} noValidate={false}>
        <Field
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {choices ? (
          <div className="field">
            <label htmlFor="ws-choice">Workspace</label>
            <select id="ws-choice" value={workspace} onChange={(e) => setWorkspace(e.target.value)} required>
              <option value="">Choose a workspace…</option>
              {choices.map((w) => (
                <option key={w.slug} value={w.slug}>
                  {w.name} ({w.slug})
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="hint">
        First time here? An operator creates your account with{' '}
        <code>rollcall admin invite &lt;workspace&gt; &lt;email&gt;</code> and sends you the link. Single
        sign-on (SAML) is coming.
      </p>
    </Card>
  );
}

export function InvitePage({ token, onSignedIn }) {
  const [invite, setInvite] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => {
    api(`/invites/${encodeURIComponent(token)}`).then(setInvite, setLoadError);
  }, [token]);
  const submit = async (e) => {
    e.preventDefault();
    if (password !== confirm) {
      setError('The two passwords are not the same.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(
        await api(`/invites/${encodeURIComponent(token)}/accept`, { method: 'POST', body: { password } }),
      );
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  if (loadError) {
    return (
      <Card title="This invitation cannot be used">
        <p role="alert">{loadError.message}</p>
        <p>
          <a href="/sign-in">Go to sign-in</a>
        </p>
      </Card>
    );
  }
  if (!invite) return <Loading label="Checking your invitation…" />;
  return (
    <Card title="Set your password">
      <p>
        You are invited as <strong>{invite.role}</strong> of <strong>{invite.workspace.name}</strong>. Choose
        a password for <strong>{invite.email}</strong>; the link stops working once it is used.
      </p>
      <form onSubmit={submit}>
        <input type="email" autoComplete="username" value={invite.email} readOnly hidden />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          hint="At least 12 characters. A passphrase of a few words is easy to type and hard to guess."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Field
          label="Repeat the password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Saving…' : 'Set password and sign in'}
        </button>
      </form>
    </Card>
  );
}
