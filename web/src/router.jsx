import { useEffect, useState } from 'react';

// A tiny history router: the server answers index.html for every console path, the page picks the view.

export function navigate(to, { replace = false } = {}) {
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event('rollcall:navigate'));
}

export function usePath() {
  const [loc, setLoc] = useState(() => window.location.pathname + window.location.search);
  useEffect(() => {
    const on = () => setLoc(window.location.pathname + window.location.search);
    window.addEventListener('popstate', on);
    window.addEventListener('rollcall:navigate', on);
    return () => {
      window.removeEventListener('popstate', on);
      window.removeEventListener('rollcall:navigate', on);
    };
  }, []);
  const url = new URL(loc, window.location.origin);
  return { path: url.pathname.replace(/\/+$/, '') || '/', search: url.searchParams };
}

/** An <a> that navigates without reloading (modified clicks still open new tabs). */
export function Link({ to, children, ...rest }) {
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
