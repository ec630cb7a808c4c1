import { useEffect, useState } from 'react';
import { api, query } from '../api.js';
import { Link } from '../router.jsx';
import { Async, Empty, PageHeader, Pager, useApi, useDebounced, usePager } from '../ui.jsx';

export function GroupsPage() {
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim());
  const pager = usePager(search);
  const groups = useApi(`/groups${query({ q: search, after: pager.cursor, limit: 50 })}`);
  return (
    <section>
      <PageHeader title="Groups" />
      <form className="filters" aria-label="Search groups" onSubmit={(e) => e.preventDefault()}>
        <div className="field grow">
          <label htmlFor="g-q">Search</label>
          <input
            id="g-q"
            type="search"
            placeholder="Group name"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
      </form>
      <Async result={groups} label="Loading groups…">
        {(data) =>
          data.groups.length === 0 ? (
            <Empty title={search ? 'No groups match' : 'No groups yet'}>
              {search ? 'Try another name.' : 'Groups arrive when your identity provider pushes them.'}
            </Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">Groups, page {pager.page}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Group</th>
                      <th scope="col">Members</th>
                      <th scope="col">Role granted</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.groups.map((g) => (
                      <tr key={g.id}>
                        <th scope="row">
                          <Link to={`/groups/${encodeURIComponent(g.id)}`}>{g.displayName}</Link>
                        </th>
                        <td>{g.memberCount.toLocaleString()}</td>
                        <td>{g.role ?? <span className="hint">None</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager
                pager={pager}
                next={data.next}
                label="Groups"
                summary={`${data.total.toLocaleString()} groups`}
              />
            </>
          )
        }
      </Async>
    </section>
  );
}

function RoleMapping({ group, roles, canEdit, onSaved }) {
  const [role, setRole] = useState(group.role ?? '');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  useEffect(() => setRole(group.role ?? ''), [group.role]);
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await api(`/groups/${encodeURIComponent(group.id)}/role`, {
        method: 'PUT',
        body: { role: role || null },
      });
      setMessage({
        ok: true,
        text: role ? `Members of ${group.displayName} now get at least ${role}.` : 'The mapping was removed.',
      });
      onSaved();
    } catch (err) {
      setMessage({ ok: false, text: err.message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="mapping-title">
      <h2 id="mapping-title">Role mapping</h2>
      <p className="hint">
        Members of this group get this workspace role (the highest role among their groups wins). The mapping
        follows the group's id, so renaming the group in the identity provider keeps it.
      </p>
      {canEdit ? (
        <form onSubmit={save} className="inline-form">
          <div className="field">
            <label htmlFor="group-role">Role granted</label>
            <select id="group-role" value={role} onChange={(e) => setRole(e.target.value)}>
              <option value="">No role</option>
              {roles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn btn-primary" disabled={busy || role === (group.role ?? '')}>
            {busy ? 'Saving…' : 'Save mapping'}
          </button>
        </form>
      ) : (
        <p>
          <strong>{group.role ?? 'No role'}</strong> <span className="hint">(only Admins can change it)</span>
        </p>
      )}
      {message ? (
        <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
    </section>
  );
}

function GroupMembers({ id }) {
  const pager = usePager(id);
  const members = useApi(
    `/groups/${encodeURIComponent(id)}/members${query({ after: pager.cursor, limit: 50 })}`,
  );
  return (
    <section className="card" aria-labelledby="gm-title">
      <h2 id="gm-title">Members</h2>
      <Async result={members} label="Loading members…">
        {(data) =>
          data.members.length === 0 ? (
            <Empty title="No members in this group" />
          ) : (
            <>
              <ul className="plain">
                {data.members.map((m) => (
                  <li key={m.id}>
                    {m.type === 'Group' ? (
                      <Link to={`/groups/${encodeURIComponent(m.id)}`}>{m.display ?? m.id} (group)</Link>
                    ) : (
                      <Link to={`/members/${encodeURIComponent(m.id)}`}>{m.display ?? m.id}</Link>
                    )}
                  </li>
                ))}
              </ul>
              <Pager pager={pager} next={data.next} label="Group members" summary="" />
            </>
          )
        }
      </Async>
    </section>
  );
}

export function GroupPage({ id }) {
  const group = useApi(`/groups/${encodeURIComponent(id)}`);
  return (
    <Async result={group} label="Loading group…">
      {(data) => (
        <section>
          <p className="crumbs">
            <Link to="/groups">← Groups</Link>
          </p>
          <PageHeader title={data.group.displayName} />
          <p className="lede">
            {data.group.memberCount.toLocaleString()} members
            {data.group.externalId ? (
              <>
                {' '}
                · external id <code>{data.group.externalId}</code>
              </>
            ) : null}
          </p>
          <div className="grid-2">
            <GroupMembers id={id} />
            <RoleMapping
              group={data.group}
              roles={data.roles}
              canEdit={data.canEditRole}
              onSaved={group.reload}
            />
          </div>
        </section>
      )}
    </Async>
  );
}
