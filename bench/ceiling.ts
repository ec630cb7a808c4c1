// The ceiling: a bare node:http server answering every request with one fixed SCIM ListResponse
// (one user, the shape W2 returns). Nothing Rollcall does per request can be cheaper than this, so
// each workload is also stated as a fraction of this server's requests/s under the same generator.
import { createServer } from 'node:http';

const body = JSON.stringify({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  totalResults: 1,
  startIndex: 1,
  itemsPerPage: 1,
  Resources: [
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: '0190f0b2-7c1e-7d4a-9a39-3f1c2b9e4d11',
      userName: 'user1@bench.example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      displayName: 'Ada Lovelace',
      emails: [{ value: 'user1@bench.example.com', type: 'work', primary: true }],
      active: true,
      groups: [],
      meta: {
        resourceType: 'User',
        created: '2024-01-01T00:00:00.000Z',
        lastModified: '2024-01-01T00:00:00.000Z',
        version: 'W/"1"',
        location: 'http://127.0.0.1/api/v1/auth/scim/Users/0190f0b2-7c1e-7d4a-9a39-3f1c2b9e4d11',
      },
    },
  ],
});

const port = Number(process.argv[2] ?? 0);
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/scim+json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
