import { useState } from 'react';
import { api } from '../api.js';
import { Link, navigate } from '../router.jsx';
import { Async, Badge, Confirm, Empty, formatDate, PageHeader, SecretOnce, useApi } from '../ui.jsx';
import { Deliveries } from './WebhookDeliveries.jsx';

// Webhook endpoints: Rollcall POSTs each event (signed per Standard Webhooks) to the URLs here.

/** The endpoint form, for creating and editing: URL, description, event types, enabled. */
function EndpointForm({ eventTypes, initial, submitLabel, onSubmit, onCancel }) {
  const [url, setUrl] = useState(initial?.url ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [types, setTypes] = useState(initial?.eventTypes ?? ['*']);
  const [enabled, setEnabled] = useState(initial?.enabled ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const prefix = initial ? 'edit' : 'new';
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ url, description: description || null, eventTypes: types, enabled });
    } catch (err) {
      setError({ field: err.extra?.field ?? null, message: err.message });
    } finally {
      setBusy(false);
    }
  };
  const urlError = error?.field === 'url' ? error.message : null;
  const typesError = error?.field === 'eventTypes' ? error.message : null;
  const otherError = error && !urlError && !typesError ? error.message : null;
  return (
    <form onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${prefix}-url`}>Endpoint URL</label>
        <input
          id={`${prefix}-url`}
          type="url"
          className="mono"
          placeholder="https://example.com/webhooks/rollcall"
          value={url}
          aria-invalid={urlError ? true : undefined}
          aria-describedby={urlError ? `${prefix}-url-error` : undefined}
          onChange={(e) => setUrl(e.target.value)}
        />
        {urlError ? (
          <p id={`${prefix}-url-error`} className="field-error" role="alert">
            {urlError}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-description`}>Description (optional)</label>
        <input
          id={`${prefix}-description`}
          maxLength={500}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-types`}>Event types</label>
        <select
          id={`${prefix}-types`}
          multiple
          size={8}
          value={types}
          aria-describedby={`${prefix}-types-help${typesError ? ` ${prefix}-types-error` : ''}`}
          aria-invalid={typesError ? true : undefined}
          onChange={(e) => setTypes([...e.target.selectedOptions].map((o) => o.value))}
        >
          {eventTypes.map((t) => (
            <option key={t.type} value={t.type}>
              {t.type === '*' ? '* (every event)' : `${t.type} — ${t.description}`}
            </option>
          ))}
        </select>
        <p id={`${prefix}-types-help`} className="hint">
          Hold Ctrl (⌘ on a Mac) or Shift to choose several; with the keyboard, Shift+arrows.
        </p>
        {typesError ? (
          <p id={`${prefix}-types-error`} className="field-error" role="alert">
            {typesError}
          </p>
        ) : null}
      </div>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
        (send events to this endpoint)
      </label>
      {otherError ? (
        <p className="form-error" role="alert">
          {otherError}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="btn" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

function Secret({ secret, onDone }) {
  return (
    <SecretOnce
      titleId="wh-secret-title"
      title="Copy the signing secret now"
      secret={secret}
      testId="webhook-secret"
      copyLabel="Copy secret"
      onDone={onDone}
    >
      <strong>This is the only time the secret is shown.</strong> Your receiver needs it to verify the{' '}
      <code>webhook-signature</code> header (Standard Webhooks). If you lose it, delete the endpoint and add
      it again.
    </SecretOnce>
  );
}

function StateBadge({ endpoint: e }) {
  return <Badge tone={e.enabled ? 'good' : 'bad'}>{e.enabled ? 'Enabled' : 'Disabled'}</Badge>;
}

function List() {
  const list = useApi('/webhooks');
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState(null);
  return (
    <section>
      <PageHeader title="Webhooks">
        {!adding && !created ? (
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            Add endpoint
          </button>
        ) : null}
      </PageHeader>
      <p className="lede">
        Rollcall sends each change to these URLs as a signed JSON POST, retrying for 24 hours.
      </p>
      {created ? (
        <Secret
          secret={created.secret}
          onDone={() => navigate(`/webhooks/${encodeURIComponent(created.endpoint.id)}`)}
        />
      ) : null}
      <Async result={list} label="Loading endpoints…">
        {(data) => (
          <>
            {adding ? (
              <section className="card" aria-labelledby="new-wh-title">
                <h2 id="new-wh-title">Add an endpoint</h2>
                <EndpointForm
                  eventTypes={data.eventTypes}
                  submitLabel="Add endpoint"
                  onCancel={() => setAdding(false)}
                  onSubmit={async (body) => {
                    const r = await api('/webhooks', { method: 'POST', body });
                    setAdding(false);
                    setCreated(r);
                    list.reload();
                  }}
                />
              </section>
            ) : null}
            {data.endpoints.length === 0 ? (
              <Empty title="No webhook endpoints yet">
                Add one to be told when members and groups change.
              </Empty>
            ) : (
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">Webhook endpoints</caption>
                  <thead>
                    <tr>
                      <th scope="col">URL</th>
                      <th scope="col">State</th>
                      <th scope="col" className="hide-narrow">
                        Events
                      </th>
                      <th scope="col" className="hide-narrow">
                        Created
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.endpoints.map((e) => (
                      <tr key={e.id}>
                        <th scope="row" className="break">
                          <Link to={`/webhooks/${encodeURIComponent(e.id)}`} className="mono">
                            {e.url}
                          </Link>
                          {e.description ? <div className="hint">{e.description}</div> : null}
                        </th>
                        <td>
                          <StateBadge endpoint={e} />
                        </td>
                        <td className="hide-narrow break">{e.eventTypes.join(', ')}</td>
                        <td className="hide-narrow">{formatDate(e.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </Async>
    </section>
  );
}

function Detail({ id }) {
  const ep = useApi(`/webhooks/${encodeURIComponent(id)}`);
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deliveriesKey, setDeliveriesKey] = useState(0);
  const act = async (fn, done) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await fn();
      setMessage(done);
      ep.reload();
      setDeliveriesKey((k) => k + 1);
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <p className="crumbs">
        <Link to="/webhooks">← Webhooks</Link>
      </p>
      <Async result={ep} label="Loading endpoint…">
        {({ endpoint: e, eventTypes }) => (
          <>
            <PageHeader title="Webhook endpoint">
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() =>
                  act(
                    () => api(`/webhooks/${encodeURIComponent(id)}/test`, { method: 'POST' }),
                    'Test event queued.',
                  )
                }
              >
                Send test event
              </button>{' '}
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() =>
                  act(
                    () =>
                      api(`/webhooks/${encodeURIComponent(id)}`, {
                        method: 'PATCH',
                        body: { enabled: !e.enabled },
                      }),
                    e.enabled ? 'Endpoint disabled.' : 'Endpoint enabled.',
                  )
                }
              >
                {e.enabled ? 'Disable' : 'Enable'}
              </button>
            </PageHeader>
            <div aria-live="polite">
              {message ? <p className="form-ok">{message}</p> : null}
              {error ? (
                <p className="form-error" role="alert">
                  {error}
                </p>
              ) : null}
            </div>
            <section className="card" aria-labelledby="wh-settings-title">
              <h2 id="wh-settings-title">Settings</h2>
              {editing ? (
                <EndpointForm
                  eventTypes={eventTypes}
                  initial={e}
                  submitLabel="Save changes"
                  onCancel={() => setEditing(false)}
                  onSubmit={async (body) => {
                    await api(`/webhooks/${encodeURIComponent(id)}`, { method: 'PATCH', body });
                    setEditing(false);
                    setMessage('Changes saved.');
                    ep.reload();
                  }}
                />
              ) : (
                <>
                  <dl className="kv">
                    <dt>URL</dt>
                    <dd className="break mono">{e.url}</dd>
                    <dt>Description</dt>
                    <dd>{e.description ?? '—'}</dd>
                    <dt>State</dt>
                    <dd>
                      <StateBadge endpoint={e} />
                      {e.disabledReason ? <span className="hint"> {e.disabledReason}</span> : null}
                    </dd>
                    <dt>Event types</dt>
                    <dd className="break">{e.eventTypes.join(', ')}</dd>
                    <dt>Signing secret</dt>
                    <dd className="hint">Shown once, when the endpoint was added.</dd>
                  </dl>
                  <div className="form-actions">
                    <button type="button" className="btn" onClick={() => setEditing(true)}>
                      Edit endpoint
                    </button>
                    <button type="button" className="btn btn-danger" onClick={() => setDeleting(true)}>
                      Delete endpoint
                    </button>
                  </div>
                </>
              )}
            </section>
            <Deliveries endpointId={id} refreshKey={deliveriesKey} />
            <Confirm
              open={deleting}
              title="Delete this endpoint?"
              confirmLabel="Delete endpoint"
              danger
              busy={busy}
              onCancel={() => setDeleting(false)}
              onConfirm={async () => {
                setBusy(true);
                try {
                  await api(`/webhooks/${encodeURIComponent(id)}`, { method: 'DELETE' });
                  navigate('/webhooks');
                } catch (err) {
                  setError(err.message);
                  setDeleting(false);
                } finally {
                  setBusy(false);
                }
              }}
            >
              <p>
                Rollcall stops sending events to <code className="break">{e.url}</code> and deletes its
                delivery log.
              </p>
            </Confirm>
          </>
        )}
      </Async>
    </section>
  );
}

export function WebhooksPage({ id = null }) {
  return id ? <Detail id={id} /> : <List />;
}
