import { useState } from 'react';
import { query } from '../api.js';
import { Link } from '../router.jsx';
import {
  Async,
  Badge,
  Empty,
  formatDate,
  PageHeader,
  Pager,
  useApi,
  useDebounced,
  usePager,
} from '../ui.jsx';

// The provisioning log: every SCIM request an identity provider made, what Rollcall answered, what
// it normalised on the way, and what changed. Bodies are redacted when they are stored.

const IDP_NAMES = {
  okta: 'Okta',
  entra: 'Microsoft Entra ID',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  google: 'Google Workspace',
  authentik: 'authentik',
  keycloak: 'Keycloak',
  unknown: 'Other / unknown',
};

function StatusBadge({ status }) {
  return <Badge tone={status >= 400 ? 'bad' : 'good'}>{status}</Badge>;
}

/** A datetime-local value (local time, no zone) as an ISO instant for the API. */
function toIso(local) {
  if (!local) return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

function ResourceLink({ type, id }) {
  if (!id) return '—';
  if (type === 'User') return <Link to={`/members/${encodeURIComponent(id)}`}>member {id}</Link>;
  if (type === 'Group') return <Link to={`/groups/${encodeURIComponent(id)}`}>group {id}</Link>;
  return id;
}

function Body({ title, value, id }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {value === null || value === undefined ? (
        <p className="hint">No body (reads keep no response body; they can be repeated).</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        <pre className="code-block" tabIndex={0} data-testid={id}>
          {typeof value === 'string' ? value : JSON.stringify(value, null, 2)}
        </pre>
      )}
    </section>
  );
}

function Entry({ id }) {
  const entry = useApi(`/provisioning/${encodeURIComponent(id)}`);
  return (
    <section>
      <p className="crumbs">
        <Link to="/provisioning">← Provisioning log</Link>
      </p>
      <Async result={entry} label="Loading request…">
        {({ entry: e, events }) => (
          <>
            <PageHeader title={`${e.method} ${e.path.split('?')[0]}`} />
            <section className="card" aria-label="Request">
              <dl className="kv">
                <dt>Status</dt>
                <dd>
                  <StatusBadge status={e.status} />
                </dd>
                <dt>When</dt>
                <dd>{formatDate(e.createdAt)}</dd>
                <dt>Duration</dt>
                <dd>{e.durationMs} ms</dd>
                <dt>Identity provider</dt>
                <dd>
                  <strong>{IDP_NAMES[e.idp] ?? e.idp}</strong>
                  {e.userAgent ? <span className="hint"> · {e.userAgent}</span> : null}
                </dd>
                <dt>Path</dt>
                <dd className="break mono">{e.path}</dd>
                <dt>From address</dt>
                <dd className="mono">{e.ip ?? '—'}</dd>
                <dt>Resource</dt>
                <dd className="break">
                  <ResourceLink type={e.resourceType} id={e.resourceId} />
                </dd>
              </dl>
            </section>
            <section className="card" aria-labelledby="notes-title">
              <h2 id="notes-title">Normalisations applied</h2>
              {e.notes.length === 0 ? (
                <p className="hint">None: the request was standard SCIM.</p>
              ) : (
                <ul>
                  {e.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              )}
            </section>
            <section className="card" aria-labelledby="change-title">
              <h2 id="change-title">Resulting change</h2>
              {events.length === 0 ? (
                <p className="hint">
                  {e.status >= 400
                    ? 'Nothing changed: the request failed.'
                    : 'Nothing changed (a read, or no-op).'}
                </p>
              ) : (
                <ul className="plain">
                  {events.map((v) => (
                    <li key={v.position}>
                      <Link to={`/audit/${v.position}`}>{v.type}</Link>{' '}
                      <span className="hint">
                        (event #{v.position}) · <ResourceLink type={v.resourceType} id={v.resourceId} />
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <p className="hint">
              Passwords, tokens and other secrets were replaced by “[redacted]” before storing.
            </p>
            <div className="grid-2">
              <Body title="Request body" value={e.requestBody} id="request-body" />
              <Body title="Response body" value={e.responseBody} id="response-body" />
            </div>
          </>
        )}
      </Async>
    </section>
  );
}

export function ProvisioningPage({ id }) {
  const initial = new URLSearchParams(window.location.search);
  const [status, setStatus] = useState(initial.get('status') ?? '');
  const [idp, setIdp] = useState(initial.get('idp') ?? '');
  const [user, setUser] = useState(initial.get('user') ?? '');
  const [group, setGroup] = useState(initial.get('group') ?? '');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const userQ = useDebounced(user.trim());
  const groupQ = useDebounced(group.trim());
  const filters = { status, idp, user: userQ, group: groupQ, since: toIso(since), until: toIso(until) };
  const pager = usePager(JSON.stringify(filters));
  const entries = useApi(
    id ? null : `/provisioning${query({ ...filters, before: pager.cursor, limit: 50 })}`,
  );
  if (id) return <Entry id={id} />;
  const filtered = status || idp || userQ || groupQ || since || until;
  return (
    <section>
      <PageHeader title="Provisioning log" />
      <p className="lede">Every SCIM request your identity provider made, newest first.</p>
      <form className="filters" aria-label="Filter requests" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="p-status">Result</label>
          <select id="p-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any result</option>
            <option value="success">Succeeded</option>
            <option value="error">Failed</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="p-idp">Identity provider</label>
          <select id="p-idp" value={idp} onChange={(e) => setIdp(e.target.value)}>
            <option value="">Any provider</option>
            {Object.entries(IDP_NAMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="p-user">User id</label>
          <input
            id="p-user"
            className="mono"
            value={user}
            disabled={Boolean(group)}
            onChange={(e) => setUser(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="p-group">Group id</label>
          <input
            id="p-group"
            className="mono"
            value={group}
            disabled={Boolean(user)}
            onChange={(e) => setGroup(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="p-since">From</label>
          <input
            id="p-since"
            type="datetime-local"
            value={since}
            onChange={(e) => setSince(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="p-until">Until</label>
          <input
            id="p-until"
            type="datetime-local"
            value={until}
            onChange={(e) => setUntil(e.target.value)}
          />
        </div>
      </form>
      <Async result={entries} label="Loading requests…">
        {(data) =>
          data.entries.length === 0 ? (
            <Empty title={filtered ? 'No requests match these filters' : 'No SCIM requests yet'}>
              {filtered ? (
                'Change or clear the filters.'
              ) : (
                <>
                  Requests appear here as soon as your identity provider connects.{' '}
                  <Link to="/settings/scim">Set up SCIM</Link>.
                </>
              )}
            </Empty>
          ) : (
            <>
              <div className="table-wrap" aria-busy={entries.loading}>
                <table>
                  <caption className="sr-only">SCIM requests, newest first, page {pager.page}</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Request</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="hide-narrow">
                        Provider
                      </th>
                      <th scope="col" className="hide-narrow">
                        Duration
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.entries.map((e) => (
                      <tr key={e.id}>
                        <td>{formatDate(e.createdAt)}</td>
                        <td className="break">
                          <Link to={`/provisioning/${encodeURIComponent(e.id)}`}>
                            <span className="mono">
                              {e.method} {e.path.split('?')[0].replace(/^\/api\/v1\/auth\/scim/, '')}
                            </span>
                          </Link>
                          {e.notes > 0 ? <span className="hint"> · {e.notes} normalised</span> : null}
                        </td>
                        <td>
                          <StatusBadge status={e.status} />
                        </td>
                        <td className="hide-narrow">{IDP_NAMES[e.idp] ?? e.idp}</td>
                        <td className="hide-narrow">{e.durationMs} ms</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pager={pager} next={data.next} label="Provisioning log" summary="" />
            </>
          )
        }
      </Async>
    </section>
  );
}
