import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api } from './api.js';

/** Loads JSON from the API and re-loads when `path` changes: { data, error, loading, reload }. */
export function useApi(path) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick forces a reload
  useEffect(() => {
    if (!path) return undefined;
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    api(path, { signal: ctrl.signal })
      .then((data) => setState({ data, error: null, loading: false }))
      .catch((error) => {
        if (error.name !== 'AbortError') setState({ data: null, error, loading: false });
      });
    return () => ctrl.abort();
  }, [path, tick]);
  return { ...state, reload };
}

export function PageHeader({ title, children }) {
  useEffect(() => {
    document.title = `${title} · Rollcall`;
  }, [title]);
  return (
    <header className="page-header">
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      {children ? <div className="page-actions">{children}</div> : null}
    </header>
  );
}

export function Loading({ label = 'Loading…' }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ErrorState({ error, onRetry }) {
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>Something went wrong.</strong> {error?.message ?? String(error)}
      </p>
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ title, children }) {
  return (
    <div className="state state-empty">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}

/** Shows loading / error / content for a useApi result. */
export function Async({ result, children, label }) {
  if (result.error) return <ErrorState error={result.error} onRetry={result.reload} />;
  if (!result.data) return <Loading label={label} />;
  return children(result.data);
}

export function formatDate(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function relative(iso) {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} days ago`;
}

/** Copies text to the clipboard and says so to sighted and screen-reader users alike. */
export function CopyButton({ text, label = 'Copy', name = label }) {
  const [done, setDone] = useState(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('Copied');
    } catch {
      setDone('Copy failed: select the text and press Ctrl+C');
    }
    setTimeout(() => setDone(null), 2500);
  };
  return (
    <>
      <button type="button" className="btn btn-small" onClick={copy} aria-label={name}>
        {done === 'Copied' ? 'Copied ✓' : label}
      </button>
      <span className="sr-only" role="status" aria-live="polite">
        {done ?? ''}
      </span>
    </>
  );
}

/**
 * A secret the server shows only this once (it keeps only a hash): focused on arrival so it is
 * announced, with a copy button, until the admin says it is stored. `children` says what it is for.
 */
export function SecretOnce({ titleId, title, secret, testId, copyLabel, onDone, children }) {
  return (
    <section className="card card-warning" aria-labelledby={titleId} tabIndex={-1} ref={(el) => el?.focus()}>
      <h2 id={titleId}>{title}</h2>
      <p>{children}</p>
      <div className="copy-row">
        <code className="secret" data-testid={testId}>
          {secret}
        </code>
        <CopyButton text={secret} label={copyLabel} />
      </div>
      <button type="button" className="btn" onClick={onDone}>
        I have stored it safely
      </button>
    </section>
  );
}

export function CopyField({ label, value }) {
  const id = useId();
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} readOnly value={value} onFocus={(e) => e.target.select()} className="mono" />
        <CopyButton text={value} label="Copy" name={`Copy ${label}`} />
      </div>
    </div>
  );
}

/** A modal confirmation built on <dialog> (focus trap and Escape come with it). */
export function Confirm({ open, title, children, confirmLabel, danger, onConfirm, onCancel, busy }) {
  const ref = useRef(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="confirm-title"
      onCancel={onCancel}
      onClose={onCancel}
    >
      <h2 id="confirm-title">{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className={danger ? 'btn btn-danger' : 'btn btn-primary'}
          onClick={onConfirm}
          disabled={busy}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

export function Badge({ tone = 'neutral', children }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Keyset paging: a stack of cursors for "Previous", the server's `next` for "Next". */
export function usePager(resetKey) {
  const [stack, setStack] = useState([]);
  const [cursor, setCursor] = useState(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: resetKey restarts paging when filters change
  useEffect(() => {
    setStack([]);
    setCursor(null);
  }, [resetKey]);
  return {
    cursor,
    page: stack.length + 1,
    next: (c) => {
      setStack((s) => [...s, cursor]);
      setCursor(c);
    },
    prev: () => {
      setStack((s) => {
        const copy = [...s];
        setCursor(copy.pop() ?? null);
        return copy;
      });
    },
  };
}

export function Pager({ pager, next, label, summary }) {
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <span className="pager-summary">{summary}</span>
      <button type="button" className="btn btn-small" disabled={pager.page === 1} onClick={pager.prev}>
        ← Previous
      </button>
      <span aria-live="polite">Page {pager.page}</span>
      <button type="button" className="btn btn-small" disabled={!next} onClick={() => pager.next(next)}>
        Next →
      </button>
    </nav>
  );
}

export function useDebounced(value, ms = 250) {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
