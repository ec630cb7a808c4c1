import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// Server-side request forgery guard for webhook URLs: only http(s), and (unless the operator allows
// it) no host that resolves to a loopback, private, link-local, CGNAT or otherwise internal address.

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** True for an address that must not be called from the server (loopback, private, link-local...). */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    // IPv4-mapped IPv6 (::ffff:10.0.0.1) is checked as the IPv4 address it is.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/** Validates a webhook URL: syntax, scheme, and (unless allowed) that no resolved address is internal. */
export async function checkWebhookUrl(raw: string, options: { allowPrivate: boolean }): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'The webhook URL is not a valid absolute URL.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: 'The webhook URL must use http or https.' };
  }
  if (url.username || url.password)
    return { ok: false, reason: 'The webhook URL must not carry credentials.' };
  if (options.allowPrivate) return { ok: true, url: url.toString() };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host)
      ? [host]
      : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return { ok: false, reason: `The webhook host "${host}" does not resolve.` };
  }
  if (addresses.length === 0 || addresses.some(isInternalAddress)) {
    return {
      ok: false,
      reason: `The webhook host "${host}" is a private, loopback or link-local address (set WEBHOOK_ALLOW_PRIVATE=1 to allow).`,
    };
  }
  return { ok: true, url: url.toString() };
}
