import { useState } from 'react';
import { query } from '../api.js';
import { Link } from '../router.jsx';
import { Async, Empty, formatDate, PageHeader, Pager, useApi, usePager } from '../ui.jsx';

const FAMILIES = ['user.*', 'group.*', 'token.*', 'workspace.*', 'admin.*'];

function Detail({ position }) {
  const ev = useApi(`/audit/${position}`);
  return (
    <section>
      <p className="crumbs">
        <Link to="/audit">← Audit log</Link>
      </p>
      <PageHeader title={`Event #${position}`} />
      <Async result={ev} label="Loading event…">
        {({ event: e }) => (
          <>
            <dl className="kv card">
              <dt>Type</dt>
              <dd>
                <code>{e.type}</code>
              </dd>
              <dt>When</dt>
              <dd>{formatDate(e.createdAt)}</dd>
              <dt>Actor</dt>
              <dd>
                {e.actor.type}
                {e.provider ? ` · ${e.provider}` : ''} {e.actor.ip ? `· ${e.actor.ip}` : ''}
              </dd>
              <dt>Resource</dt>
              <dd className="break">
                {e.resourceType ?? '—'}{' '}
                {e.resourceType === 'User' ? (
                  <Link to={`/members/${e.resourceId}`}>{e.resourceId}</Link>
                ) : (
                  e.resourceId
                )}
              </dd>
            </dl>
            <h2>Resulting change</h2>
            <pre className="code-block">{JSON.stringify(e.data, null, 2)}</pre>
          </>
        )}
      </Async>
    </section>
  );
}

export function AuditPage({ position }) {
  const [type, setType] = useState('');
  const [actor, setActor] = useState('');
  const pager = usePager(type + actor);
  const events = useApi(position ? null : `/audit${query({ type, actor, before: pager.cursor, limit: 50 })}`);
  if (position) return <Detail position={position} />;
  return (
    <section>
      <PageHeader title="Audit log" />
      <form className="filters" aria-label="Filter events" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="a-type">Event type</label>
          <select id="a-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All events</option>
            {FAMILIES.map((f) => (
              <option key={f} value={f}>
                {f.replace('.*', '')} events
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-actor">Made by</label>
          <select id="a-actor" value={actor} onChange={(e) => setActor(e.target.value)}>
            <option value="">Anyone</option>
            <option value="token">API token (identity provider)</option>
            <option value="admin">Console admin</option>
            <option value="cli">Command line</option>
            <option value="system">System</option>
          </select>
        </div>
      </form>
      <Async result={events} label="Loading events…">
        {(data) =>
          data.events.length === 0 ? (
            <Empty title="No events match">Changes to the directory and settings are recorded here.</Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">Audit events, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Event</th>
                      <th scope="col">By</th>
                      <th scope="col" className="hide-narrow">
                        Resource
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.events.map((e) => (
                      <tr key={e.position}>
                        <td>{formatDate(e.createdAt)}</td>
                        <td>
                          <Link to={`/audit/${e.position}`}>{e.type}</Link>
                        </td>
                        <td>{e.provider ?? e.actor.type}</td>
                        <td className="hide-narrow break mono">{e.resourceId ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pager={pager} next={data.next} label="Audit log" summary="" />
            </>
          )
        }
      </Async>
    </section>
  );
}
