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

const ROLES = ['Admin', 'Editor', 'Viewer', 'Guest'];

function GroupFilter({ value, onChange }) {
  const groups = useApi('/groups?limit=200');
  return (
    <div className="field">
      <label htmlFor="f-group">Group</label>
      <select id="f-group" value={value} onChange={(e) => onChange(e.target.value)} disabled={!groups.data}>
        <option value="">Any group</option>
        {(groups.data?.groups ?? []).map((g) => (
          <option key={g.id} value={g.id}>
            {g.displayName}
          </option>
        ))}
      </select>
    </div>
  );
}

export function MembersPage() {
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [role, setRole] = useState('');
  const [group, setGroup] = useState('');
  const search = useDebounced(q.trim());
  const filters = { q: search, status, role, group };
  const pager = usePager(JSON.stringify(filters));
  const members = useApi(`/members${query({ ...filters, after: pager.cursor, limit: 50 })}`);
  return (
    <section>
      <PageHeader title="Members" />
      <form className="filters" aria-label="Filter members" onSubmit={(e) => e.preventDefault()}>
        <div className="field grow">
          <label htmlFor="f-q">Search</label>
          <input
            id="f-q"
            type="search"
            placeholder="Name or user name"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="suspended">Suspended</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-role">Role</label>
          <select id="f-role" value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </div>
        <GroupFilter value={group} onChange={setGroup} />
      </form>
      <Async result={members} label="Loading members…">
        {(data) =>
          data.members.length === 0 ? (
            <Empty
              title={search || status || role || group ? 'No members match these filters' : 'No members yet'}
            >
              {search || status || role || group ? (
                'Change or clear the filters.'
              ) : (
                <>
                  Members arrive when your identity provider provisions them.{' '}
                  <Link to="/settings/scim">Set up SCIM</Link>.
                </>
              )}
            </Empty>
          ) : (
            <>
              <div className="table-wrap" aria-busy={members.loading}>
                <table>
                  <caption className="sr-only">Members, page {pager.page}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">User name</th>
                      <th scope="col">Status</th>
                      <th scope="col">Role</th>
                      <th scope="col" className="hide-narrow">
                        Updated
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.members.map((m) => (
                      <tr key={m.id}>
                        <th scope="row">
                          <Link to={`/members/${encodeURIComponent(m.id)}`}>
                            {m.displayName || m.userName}
                          </Link>
                        </th>
                        <td className="break">{m.userName}</td>
                        <td>
                          <Badge tone={m.active ? 'good' : 'bad'}>{m.active ? 'Active' : 'Suspended'}</Badge>
                        </td>
                        <td>{m.role}</td>
                        <td className="hide-narrow">{formatDate(m.updatedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager
                pager={pager}
                next={data.next}
                label="Members"
                summary={`${data.total.toLocaleString()} members`}
              />
            </>
          )
        }
      </Async>
    </section>
  );
}

function describe(type) {
  return type.replace(/^user\./, '').replace(/_/g, ' ');
}

export function MemberPage({ id }) {
  const member = useApi(`/members/${encodeURIComponent(id)}`);
  return (
    <Async result={member} label="Loading member…">
      {({ member: m, roleSource, groups, history }) => {
        const doc = m.document ?? {};
        const name = doc.name ?? {};
        return (
          <section>
            <p className="crumbs">
              <Link to="/members">← Members</Link>
            </p>
            <PageHeader title={m.displayName || m.userName} />
            <div className="grid-2">
              <section className="card" aria-labelledby="profile-title">
                <h2 id="profile-title">Profile</h2>
                <dl className="kv">
                  <dt>User name</dt>
                  <dd className="break">{m.userName}</dd>
                  <dt>Name</dt>
                  <dd>{[name.givenName, name.familyName].filter(Boolean).join(' ') || '—'}</dd>
                  <dt>Email</dt>
                  <dd className="break">{m.email ?? '—'}</dd>
                  <dt>Title</dt>
                  <dd>{doc.title ?? '—'}</dd>
                  <dt>External id</dt>
                  <dd className="break mono">{m.externalId ?? '—'}</dd>
                  <dt>Rollcall id</dt>
                  <dd className="break mono">{m.id}</dd>
                  <dt>Created</dt>
                  <dd>{formatDate(m.createdAt)}</dd>
                </dl>
              </section>
              <section className="card" aria-labelledby="access-title">
                <h2 id="access-title">Status and role</h2>
                <dl className="kv">
                  <dt>Status</dt>
                  <dd>
                    <Badge tone={m.active ? 'good' : 'bad'}>{m.active ? 'Active' : 'Suspended'}</Badge>
                  </dd>
                  <dt>Role</dt>
                  <dd>
                    <strong>{m.role}</strong>
                    <br />
                    <span className="hint">{roleSource.detail}</span>
                  </dd>
                </dl>
                <h3>Groups</h3>
                {groups.length === 0 ? (
                  <p className="hint">Not in any group.</p>
                ) : (
                  <ul className="plain">
                    {groups.map((g) => (
                      <li key={g.id}>
                        <Link to={`/groups/${encodeURIComponent(g.id)}`}>{g.displayName}</Link>
                        {g.role ? <span className="hint"> · grants {g.role}</span> : null}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </div>
            <section className="card" aria-labelledby="history-title">
              <h2 id="history-title">Provisioning history</h2>
              <p className="hint">
                The changes below; every SCIM request about this member, with its body, is in the{' '}
                <Link to={`/provisioning?user=${encodeURIComponent(m.id)}`}>provisioning log</Link>.
              </p>
              {history.length === 0 ? (
                <p className="hint">No changes recorded.</p>
              ) : (
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">When</th>
                        <th scope="col">Change</th>
                        <th scope="col">By</th>
                      </tr>
                    </thead>
                    <tbody>
                      {history.map((h) => (
                        <tr key={h.position}>
                          <td>{formatDate(h.createdAt)}</td>
                          <td>
                            <Link to={`/audit/${h.position}`}>{describe(h.type)}</Link>
                          </td>
                          <td>{h.provider ?? h.actor}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          </section>
        );
      }}
    </Async>
  );
}
