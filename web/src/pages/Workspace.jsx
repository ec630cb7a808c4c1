import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { Async, formatDate, PageHeader, useApi } from '../ui.jsx';

const ROLES = ['Admin', 'Editor', 'Viewer', 'Guest'];

function GuardState({ guard, onConfirmed }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  if (!guard) return null;
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await api('/workspace/guard/confirm', { method: 'POST', body: {} });
      onConfirmed();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      className={guard.pendingSince ? 'card card-warning' : ''}
      role={guard.pendingSince ? 'alert' : undefined}
    >
      {guard.pendingSince ? (
        <>
          <p>
            <strong>Deprovisioning is on hold</strong> since {formatDate(guard.pendingSince)}: {guard.count}{' '}
            suspensions or deletions within the window ({guard.refused} refused). If this is intended, confirm
            and the identity provider's retries go through.
          </p>
          <button type="button" className="btn btn-danger" onClick={confirm} disabled={busy}>
            {busy ? 'Confirming…' : 'Confirm the deprovisioning'}
          </button>
        </>
      ) : (
        <p className="hint">
          No pending confirmation. {guard.count} suspensions or deletions in the current window
          {guard.confirmedAt ? `; last confirmed ${formatDate(guard.confirmedAt)}` : ''}.
        </p>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Form({ workspace, guard, onSaved }) {
  const [form, setForm] = useState(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  useEffect(() => {
    setForm({
      name: workspace.name,
      domain: workspace.domain ?? '',
      defaultRole: workspace.settings.defaultRole,
      guardEnabled: workspace.settings.deprovisionGuard.enabled,
      threshold: String(workspace.settings.deprovisionGuard.threshold),
      windowMinutes: String(workspace.settings.deprovisionGuard.windowMinutes),
    });
  }, [workspace]);
  if (!form) return null;
  const set = (k) => (e) =>
    setForm({ ...form, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await api('/workspace', {
        method: 'PATCH',
        body: {
          name: form.name,
          domain: form.domain.trim() || null,
          defaultRole: form.defaultRole,
          deprovisionGuard: {
            enabled: form.guardEnabled,
            threshold: Number(form.threshold),
            windowMinutes: Number(form.windowMinutes),
          },
        },
      });
      setMessage({ ok: true, text: 'Saved.' });
      onSaved();
    } catch (err) {
      setMessage({ ok: false, text: err.message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save}>
      <section className="card" aria-labelledby="general-title">
        <h2 id="general-title">General</h2>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="w-name">Workspace name</label>
            <input id="w-name" required value={form.name} onChange={set('name')} />
          </div>
          <div className="field">
            <label htmlFor="w-slug">Slug</label>
            <input id="w-slug" readOnly value={workspace.slug} aria-describedby="w-slug-hint" />
            <p id="w-slug-hint" className="hint">
              Used by the command line; it cannot change.
            </p>
          </div>
          <div className="field">
            <label htmlFor="w-role">Default role</label>
            <select
              id="w-role"
              value={form.defaultRole}
              onChange={set('defaultRole')}
              aria-describedby="w-role-hint"
            >
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
            <p id="w-role-hint" className="hint">
              For members whose groups map to no role.
            </p>
          </div>
          <div className="field">
            <label htmlFor="w-domain">Custom domain</label>
            <input
              id="w-domain"
              placeholder="scim.example.com"
              value={form.domain}
              onChange={set('domain')}
              aria-describedby="w-domain-hint"
            />
            <p id="w-domain-hint" className="hint">
              Point its DNS at this server; SCIM is then also served at
              https://&lt;domain&gt;/api/v1/auth/scim.
            </p>
          </div>
        </div>
      </section>
      <section className="card" aria-labelledby="guard-title">
        <h2 id="guard-title">Mass-deprovisioning guard</h2>
        <p className="hint">
          Stops an identity provider from suspending or deleting many members at once (a mis-scoped assignment
          can do that); further deprovisioning waits for an Admin's confirmation.
        </p>
        <label className="check">
          <input type="checkbox" checked={form.guardEnabled} onChange={set('guardEnabled')} /> Guard on
        </label>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="w-threshold">Threshold (members)</label>
            <input
              id="w-threshold"
              type="number"
              min="1"
              value={form.threshold}
              onChange={set('threshold')}
              disabled={!form.guardEnabled}
            />
          </div>
          <div className="field">
            <label htmlFor="w-window">Within (minutes)</label>
            <input
              id="w-window"
              type="number"
              min="1"
              value={form.windowMinutes}
              onChange={set('windowMinutes')}
              disabled={!form.guardEnabled}
            />
          </div>
        </div>
        <GuardState guard={guard} onConfirmed={onSaved} />
      </section>
      {message ? (
        <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save settings'}
      </button>
    </form>
  );
}

export function WorkspacePage() {
  const ws = useApi('/workspace');
  return (
    <section>
      <PageHeader title="Workspace settings" />
      <Async result={ws} label="Loading settings…">
        {(data) => <Form workspace={data.workspace} guard={data.guard} onSaved={ws.reload} />}
      </Async>
    </section>
  );
}
