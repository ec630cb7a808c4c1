import { useState } from 'react';
import { api } from '../api.js';
import { Link } from '../router.jsx';
import { Async, CopyField, formatDate, PageHeader, relative, useApi } from '../ui.jsx';
import { guides } from './guides.jsx';

function StatusPanel({ status }) {
  const rate = status.requests24h
    ? `${((100 * (status.errors24h ?? 0)) / status.requests24h).toFixed(1)} %`
    : null;
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">Live status</h2>
      <dl className="stats">
        <div>
          <dt>Last request received</dt>
          <dd title={status.lastRequestAt ?? ''}>
            {status.lastRequestAt
              ? `${relative(status.lastRequestAt)} (${formatDate(status.lastRequestAt)})`
              : 'None yet'}
          </dd>
        </div>
        {status.lastRequest ? (
          <div>
            <dt>Last request</dt>
            <dd>
              <span className="mono">
                {status.lastRequest.method}{' '}
                {status.lastRequest.path.split('?')[0].replace(/^\/api\/v1\/auth\/scim/, '')}
              </span>{' '}
              → {status.lastRequest.status}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>From</dt>
          <dd>{status.provider ?? '—'}</dd>
        </div>
        <div>
          <dt>Error rate, last 24 hours</dt>
          <dd>
            {status.requests24h === null
              ? 'Not recorded yet'
              : status.requests24h === 0
                ? 'No requests'
                : `${rate} (${status.errors24h} of ${status.requests24h} requests)`}
          </dd>
        </div>
      </dl>
      <p className="hint">
        Details of every request are in the <Link to="/provisioning">provisioning log</Link>.
      </p>
    </section>
  );
}

function Switch({ data, onChange }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const flip = async () => {
    setBusy(true);
    setError(null);
    try {
      await api('/scim', { method: 'PUT', body: { enabled: !data.enabled } });
      onChange();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="switch-title">
      <h2 id="switch-title">SCIM provisioning</h2>
      <div className="switch-row">
        <button
          type="button"
          role="switch"
          aria-checked={data.enabled}
          aria-describedby="switch-help"
          className="switch"
          disabled={busy || (!data.available && !data.enabled)}
          onClick={flip}
        >
          <span className="switch-knob" aria-hidden="true" />
          <span className="sr-only">SCIM provisioning</span>
        </button>
        <span>{data.enabled ? 'On: identity providers can provision this workspace.' : 'Off'}</span>
      </div>
      <p id="switch-help" className="hint">
        {data.available
          ? 'Switching it off makes every SCIM request answer 403 until it is switched back on; nothing is deleted.'
          : `SCIM provisioning needs the Enterprise plan; this workspace is on "${data.plan}". Ask your Rollcall operator to upgrade it.`}
      </p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

export function ScimPage() {
  const scim = useApi('/scim');
  const [provider, setProvider] = useState('okta');
  return (
    <section>
      <PageHeader title="SCIM" />
      <Async result={scim} label="Loading SCIM settings…">
        {(data) => {
          const url = data.baseUrls.custom ?? data.baseUrls.shared;
          const guide = guides.find((g) => g.id === provider) ?? guides[0];
          return (
            <>
              <section className="card" aria-labelledby="urls-title">
                <h2 id="urls-title">SCIM base URL</h2>
                <CopyField label="Shared host" value={data.baseUrls.shared} />
                {data.baseUrls.custom ? (
                  <CopyField label="Custom domain" value={data.baseUrls.custom} />
                ) : null}
                <p className="hint">
                  Authenticate with an API token that has the <code>scim</code> scope (
                  <Link to="/settings/api">Settings › API</Link>), sent as{' '}
                  <code>Authorization: Bearer rc_…</code>.
                </p>
              </section>
              <Switch data={data} onChange={scim.reload} />
              <StatusPanel status={data.status} />
              <section className="card" aria-labelledby="guides-title">
                <h2 id="guides-title">Set up your identity provider</h2>
                <div role="tablist" aria-label="Identity providers" className="tabs">
                  {guides.map((g) => (
                    <button
                      key={g.id}
                      type="button"
                      role="tab"
                      id={`tab-${g.id}`}
                      aria-selected={g.id === provider}
                      aria-controls="guide-panel"
                      tabIndex={g.id === provider ? 0 : -1}
                      className="tab"
                      onClick={() => setProvider(g.id)}
                      onKeyDown={(e) => {
                        const i = guides.findIndex((x) => x.id === g.id);
                        const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
                        if (!step) return;
                        const nextGuide = guides[(i + step + guides.length) % guides.length];
                        setProvider(nextGuide.id);
                        document.getElementById(`tab-${nextGuide.id}`)?.focus();
                      }}
                    >
                      {g.name}
                    </button>
                  ))}
                </div>
                <div id="guide-panel" role="tabpanel" aria-labelledby={`tab-${guide.id}`}>
                  <ol className="steps">
                    {guide.steps(url).map((s, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the steps are static
                      <li key={i}>{s}</li>
                    ))}
                  </ol>
                </div>
              </section>
            </>
          );
        }}
      </Async>
    </section>
  );
}
