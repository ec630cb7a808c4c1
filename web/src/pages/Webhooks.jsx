import { Link } from '../router.jsx';
import { Empty, PageHeader } from '../ui.jsx';

// Webhook endpoints are being built server-side; until their API is exposed, this page says so.
export function WebhooksPage() {
  return (
    <section>
      <PageHeader title="Webhooks" />
      <Empty title="Webhooks are not available on this server yet">
        <p>
          Changes are recorded in the <Link to="/audit">audit log</Link> meanwhile.
        </p>
      </Empty>
    </section>
  );
}
