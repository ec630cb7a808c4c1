import { Link } from '../router.jsx';
import { Empty, PageHeader } from '../ui.jsx';

// The provisioning log (one row per SCIM request, with redacted bodies) is recorded by the events
// work in progress; until the server exposes it, this page says so instead of pretending.
export function ProvisioningPage() {
  return (
    <section>
      <PageHeader title="Provisioning log" />
      <Empty title="Request logging is not available on this server yet">
        <p>
          Every change your identity provider makes is already in the{' '}
          <Link to="/audit?actor=token">audit log</Link> (filter “Made by: API token”), and each member's page
          shows its provisioning history.
        </p>
      </Empty>
    </section>
  );
}
