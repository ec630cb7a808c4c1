import { useEffect, useState } from 'react';
import { api, query } from '../api.js';
import { Async, Badge, Empty, formatDate, Pager, useApi, usePager } from '../ui.jsx';

// An endpoint's delivery log: each event sent (or to be sent), its attempts, and manual redelivery.
// While a delivery is pending the log refreshes itself, so a test event is seen arriving.

const TONES = { delivered: 'good', failed: 'bad', pending: 'neutral' };

function Redeliver({ endpointId, delivery, onDone }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(
        `/webhooks/${encodeURIComponent(endpointId)}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`,
        {
          method: 'POST',
        },
      );
      onDone();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        onClick={go}
        aria-label={`Redeliver ${delivery.eventType} (event #${delivery.eventPosition})`}
      >
        {busy ? 'Queuing…' : 'Redeliver'}
      </button>
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

export function Deliveries({ endpointId, refreshKey }) {
  const [status, setStatus] = useState('');
  const pager = usePager(status);
  const list = useApi(
    `/webhooks/${encodeURIComponent(endpointId)}/deliveries${query({ status, before: pager.cursor, limit: 25 })}`,
  );
  const pending = list.data?.deliveries.some((d) => d.status === 'pending') ?? false;
  const { reload } = list;
  // The page bumps refreshKey after an action (test event, enable) so the log shows its effect.
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the trigger
  useEffect(() => {
    if (refreshKey) reload();
  }, [refreshKey]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: list.data re-arms the timer after each reload
  useEffect(() => {
    if (!pending) return undefined;
    const t = setTimeout(reload, 1500);
    return () => clearTimeout(t);
  }, [pending, reload, list.data]);
  return (
    <section className="card" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Delivery log</h2>
      <form className="filters" aria-label="Filter deliveries" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="d-status">Delivery status</label>
          <select id="d-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any status</option>
            <option value="pending">Pending</option>
            <option value="delivered">Delivered</option>
            <option value="failed">Failed</option>
          </select>
        </div>
        <button type="button" className="btn" onClick={reload}>
          Refresh
        </button>
      </form>
      <Async result={list} label="Loading deliveries…">
        {(data) =>
          data.deliveries.length === 0 ? (
            <Empty title={status ? 'No deliveries with this status' : 'Nothing sent yet'}>
              Events after the endpoint was added appear here; “Send test event” sends one now.
            </Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">Deliveries, newest event first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col">Status</th>
                      <th scope="col">Attempts</th>
                      <th scope="col" className="hide-narrow">
                        Latency
                      </th>
                      <th scope="col" className="hide-narrow">
                        Next retry
                      </th>
                      <th scope="col" className="hide-narrow">
                        Last error
                      </th>
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.deliveries.map((d) => {
                      const last = d.log.at(-1);
                      return (
                        <tr key={d.id} data-testid="delivery">
                          <td>
                            <code>{d.eventType}</code>
                            <div className="hint">
                              #{d.eventPosition} · {formatDate(d.createdAt)}
                            </div>
                          </td>
                          <td>
                            <Badge tone={TONES[d.status] ?? 'neutral'}>{d.status}</Badge>
                            {d.lastStatus !== null ? (
                              <span className="hint"> HTTP {d.lastStatus}</span>
                            ) : null}
                          </td>
                          <td>{d.attempts}</td>
                          <td className="hide-narrow">{last ? `${last.latencyMs} ms` : '—'}</td>
                          <td className="hide-narrow">
                            {d.nextAttemptAt ? formatDate(d.nextAttemptAt) : '—'}
                          </td>
                          <td className="hide-narrow break">{d.lastError ?? '—'}</td>
                          <td>
                            <Redeliver endpointId={endpointId} delivery={d} onDone={reload} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <Pager pager={pager} next={data.next} label="Deliveries" summary="" />
            </>
          )
        }
      </Async>
    </section>
  );
}
