import { useCallback, useEffect, useRef, useState } from 'react';
import { api, setCsrfToken } from './api.js';
import { ApiTokensPage } from './pages/ApiTokens.jsx';
import { AuditPage } from './pages/Audit.jsx';
import { GroupPage, GroupsPage } from './pages/Groups.jsx';
import { MemberPage, MembersPage } from './pages/Members.jsx';
import { ProvisioningPage } from './pages/Provisioning.jsx';
import { ScimPage } from './pages/Scim.jsx';
import { InvitePage, SignInPage } from './pages/SignIn.jsx';
import { WebhooksPage } from './pages/Webhooks.jsx';
import { WorkspacePage } from './pages/Workspace.jsx';
import { Link, navigate, usePath } from './router.jsx';
import { Loading } from './ui.jsx';

const nav = [
  {
    heading: 'Directory',
    items: [
      { to: '/members', label: 'Members' },
      { to: '/groups', label: 'Groups' },
    ],
  },
  {
    heading: 'Logs',
    admin: true,
    items: [
      { to: '/provisioning', label: 'Provisioning log' },
      { to: '/audit', label: 'Audit log' },
    ],
  },
  {
    heading: 'Settings',
    admin: true,
    items: [
      { to: '/settings/workspace', label: 'Workspace' },
      { to: '/settings/api', label: 'API' },
      { to: '/settings/scim', label: 'SCIM' },
      { to: '/webhooks', label: 'Webhooks' },
    ],
  },
];

function route(path, me) {
  const admin = me.admin.role === 'Admin';
  let m = path.match(/^\/members\/([^/]+)$/);
  if (m) return <MemberPage id={decodeURIComponent(m[1])} />;
  m = path.match(/^\/groups\/([^/]+)$/);
  if (m) return <GroupPage id={decodeURIComponent(m[1])} me={me} />;
  if (path === '/members' || path === '/') return <MembersPage />;
  if (path === '/groups') return <GroupsPage />;
  if (!admin) return <NotAllowed me={me} />;
  if (path === '/settings' || path === '/settings/workspace') return <WorkspacePage />;
  if (path === '/settings/api') return <ApiTokensPage />;
  if (path === '/settings/scim') return <ScimPage />;
  m = path.match(/^\/provisioning(?:\/([^/]+))?$/);
  if (m) return <ProvisioningPage id={m[1] ? decodeURIComponent(m[1]) : null} />;
  m = path.match(/^\/audit(?:\/(\d+))?$/);
  if (m) return <AuditPage position={m[1] ?? null} />;
  m = path.match(/^\/webhooks(?:\/([^/]+))?$/);
  if (m) return <WebhooksPage id={m[1] ? decodeURIComponent(m[1]) : null} />;
  return (
    <section>
      <h1 id="page-title" tabIndex={-1}>
        Page not found
      </h1>
      <p>
        There is no page at <code>{path}</code>. <Link to="/members">Go to Members</Link>.
      </p>
    </section>
  );
}

function NotAllowed({ me }) {
  return (
    <section>
      <h1 id="page-title" tabIndex={-1}>
        Admins only
      </h1>
      <p>
        You are signed in as a <strong>{me.admin.role}</strong>. Settings and logs are for workspace Admins;
        you can read <Link to="/members">Members</Link> and <Link to="/groups">Groups</Link>.
      </p>
    </section>
  );
}

function Shell({ me, path, onSignOut }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const admin = me.admin.role === 'Admin';
  const firstRender = useRef(true);
  // After a client-side navigation, move focus to the new page's heading so screen readers announce
  // it (as a full page load would); on the first load the browser's own focus order starts at the top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every page change
  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('page-title')?.focus({ preventScroll: true });
  }, [path]);
  const current = (to) => path === to || path.startsWith(`${to}/`) || (to === '/members' && path === '/');
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="btn menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <span className="brand">Rollcall</span>
        <span className="workspace-name" title={me.workspace.slug}>
          {me.workspace.name}
        </span>
        <span className="who">
          {me.admin.email} <span className="badge badge-neutral">{me.admin.role}</span>
        </span>
        <button type="button" className="btn btn-small" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav id="sidebar" className={menuOpen ? 'sidebar open' : 'sidebar'} aria-label="Console">
        {nav
          .filter((g) => admin || !g.admin)
          .map((g) => (
            <div key={g.heading} className="nav-group">
              <h2 className="nav-heading">{g.heading}</h2>
              <ul>
                {g.items.map((i) => (
                  <li key={i.to}>
                    <Link to={i.to} aria-current={current(i.to) ? 'page' : undefined}>
                      {i.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
      </nav>
      <main id="main" className="main">
        {route(path, me)}
      </main>
    </div>
  );
}

export function App() {
  const { path } = usePath();
  const [me, setMe] = useState(undefined);
  const [error, setError] = useState(null);
  const load = useCallback(() => {
    setError(null);
    api('/me')
      .then((m) => {
        setCsrfToken(m.csrfToken);
        setMe(m);
      })
      .catch((e) => (e.status === 401 ? setMe(null) : setError(e)));
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    const out = () => setMe(null);
    window.addEventListener('rollcall:signed-out', out);
    return () => window.removeEventListener('rollcall:signed-out', out);
  }, []);

  const signedIn = (m) => {
    setCsrfToken(m.csrfToken);
    setMe(m);
    const here = window.location.pathname;
    const stay = here !== '/' && here !== '/sign-in' && !here.startsWith('/invite/');
    navigate(stay ? here + window.location.search : m.admin.role === 'Admin' ? '/settings/api' : '/members', {
      replace: true,
    });
  };
  const signOut = async () => {
    await api('/session', { method: 'DELETE' }).catch(() => {});
    setMe(null);
    navigate('/sign-in', { replace: true });
  };

  const invite = path.match(/^\/invite\/([^/]+)$/);
  if (invite) return <InvitePage token={decodeURIComponent(invite[1])} onSignedIn={signedIn} />;
  if (error) {
    return (
      <main className="center-card" role="alert">
        <h1>Rollcall is not answering</h1>
        <p>{error.message}</p>
        <button type="button" className="btn btn-primary" onClick={load}>
          Try again
        </button>
      </main>
    );
  }
  if (me === undefined) return <Loading label="Opening the console…" />;
  if (me === null || path === '/sign-in') {
    if (me && path === '/sign-in') {
      navigate('/members', { replace: true });
      return null;
    }
    return <SignInPage onSignedIn={signedIn} />;
  }
  return <Shell me={me} path={path} onSignOut={signOut} />;
}
