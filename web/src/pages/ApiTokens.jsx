import { useState } from 'react';
import { api } from '../api.js';
import {
  Async,
  Badge,
  Confirm,
  Empty,
  formatDate,
  PageHeader,
  relative,
  SecretOnce,
  useApi,
} from '../ui.jsx';

const SCOPES = [
  { id: 'scim', label: 'SCIM provisioning', hint: 'for an identity provider' },
  { id: 'api:read', label: 'Read the directory API', hint: '' },
  { id: 'api:write', label: 'Write the directory API', hint: '' },
];

function NewToken({ onCreated }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState(['scim']);
  const [expires, setExpires] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const toggle = (id) => setScopes((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api('/tokens', {
        method: 'POST',
        body: { name, scopes, expiresInDays: expires || undefined },
      });
      setName('');
      onCreated(created);
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-token-title">
      <h2 id="new-token-title">Generate a token</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input
            id="token-name"
            required
            maxLength={100}
            placeholder="e.g. Okta"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="token-expiry">Expires</label>
          <select id="token-expiry" value={expires} onChange={(e) => setExpires(e.target.value)}>
            <option value="">Never</option>
            <option value="30">In 30 days</option>
            <option value="90">In 90 days</option>
            <option value="365">In a year</option>
          </select>
        </div>
      </div>
      <fieldset className="field">
        <legend>Scopes</legend>
        {SCOPES.map((s) => (
          <label key={s.id} className="check">
            <input type="checkbox" checked={scopes.includes(s.id)} onChange={() => toggle(s.id)} /> {s.label}{' '}
            <code>{s.id}</code> {s.hint ? <span className="hint">({s.hint})</span> : null}
          </label>
        ))}
      </fieldset>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy || scopes.length === 0}>
        {busy ? 'Generating…' : 'Generate token'}
      </button>
    </form>
  );
}

function Secret({ created, onDone }) {
  return (
    <SecretOnce
      titleId="secret-title"
      title="Copy your new token now"
      secret={created.secret}
      testId="token-secret"
      copyLabel="Copy token"
      onDone={onDone}
    >
      <strong>This is the only time the token is shown.</strong> Rollcall stores only a hash of it: if you
      lose it, revoke it and generate another. Paste it into your identity provider as the bearer token.
    </SecretOnce>
  );
}

export function ApiTokensPage() {
  const tokens = useApi('/tokens');
  const [created, setCreated] = useState(null);
  const [revoking, setRevoking] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const revoke = async () => {
    setBusy(true);
    try {
      await api(`/tokens/${revoking.id}`, { method: 'DELETE' });
      setRevoking(null);
      tokens.reload();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <PageHeader title="API tokens" />
      <p className="lede">
        Settings › Workspace › API. Tokens authenticate your identity provider's SCIM requests and calls to
        the directory API.
      </p>
      {created ? (
        <Secret
          created={created}
          onDone={() => {
            setCreated(null);
          }}
        />
      ) : (
        <NewToken
          onCreated={(c) => {
            setCreated(c);
            tokens.reload();
          }}
        />
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <h2>Tokens</h2>
      <Async result={tokens} label="Loading tokens…">
        {(data) =>
          data.tokens.length === 0 ? (
            <Empty title="No tokens yet">Generate one above and paste it into your identity provider.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="sr-only">API tokens of this workspace</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Prefix</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.tokens.map((t) => (
                    <tr key={t.id}>
                      <th scope="row">{t.name}</th>
                      <td>
                        <code>{t.prefix}…</code>
                      </td>
                      <td>{t.scopes.join(', ')}</td>
                      <td>{formatDate(t.createdAt)}</td>
                      <td title={t.lastUsedAt ?? ''}>{relative(t.lastUsedAt)}</td>
                      <td>{t.expiresAt ? formatDate(t.expiresAt) : 'Never'}</td>
                      <td>
                        <Badge tone={t.state === 'active' ? 'good' : 'bad'}>{t.state}</Badge>
                      </td>
                      <td>
                        {t.state === 'active' ? (
                          <button
                            type="button"
                            className="btn btn-small btn-danger"
                            onClick={() => setRevoking(t)}
                            aria-label={`Revoke ${t.name}`}
                          >
                            Revoke
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
      <Confirm
        open={!!revoking}
        title={`Revoke "${revoking?.name ?? ''}"?`}
        confirmLabel="Revoke token"
        danger
        busy={busy}
        onConfirm={revoke}
        onCancel={() => setRevoking(null)}
      >
        <p>
          Requests with this token (<code>{revoking?.prefix}…</code>) fail from the next one on. An identity
          provider using it stops provisioning until you give it a new token. This cannot be undone.
        </p>
      </Confirm>
    </section>
  );
}
