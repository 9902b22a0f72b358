import { isLoopbackHost, lanAddresses, originOf, type InterfaceList } from './realtime/join-links.js';

export interface StartupInfo {
  /** The address phones should open (null: no address other devices can reach). */
  phoneUrl: string | null;
  hostUrl: string;
  /** Plain sentences for a person reading the terminal. */
  lines: string[];
}

/** What a newcomer needs after `npm start`: where phones join and where the host screen is. */
export function startupInfo(o: { publicUrl?: string | undefined; bindHost: string; port: number; interfaces?: InterfaceList; inContainer?: boolean }): StartupInfo {
  const local = `http://localhost:${o.port}`;
  if (o.publicUrl) {
    const base = o.publicUrl.replace(/\/+$/, '');
    return { phoneUrl: base, hostUrl: `${base}/host`, lines: [`Phones join at ${base} (PUBLIC_URL)`, `Host screen: ${base}/host`] };
  }
  const [lan, ...more] = lanAddresses(o.interfaces, o.bindHost);
  if (!lan) {
    const bound = o.bindHost !== '0.0.0.0' && o.bindHost !== '::' && isLoopbackHost(o.bindHost);
    const why = bound
      ? `the server listens on HOST=${o.bindHost} only. Unset HOST (or set HOST=0.0.0.0)`
      : "this machine has no network address besides localhost. Join the venue's network";
    return {
      phoneUrl: null,
      hostUrl: `${local}/host`,
      lines: [
        `Phones cannot reach this server yet: ${why}, or set PUBLIC_URL to an address phones can open.`,
        `Host screen (this machine only): ${local}/host`,
      ],
    };
  }
  const phoneUrl = originOf(lan, o.port);
  const lines = [`Phones join at ${phoneUrl} (PUBLIC_URL not set; using this machine's LAN address)`];
  if (more.length > 0) lines.push(`  other addresses of this machine: ${more.map((a) => originOf(a, o.port)).join(', ')}`);
  lines.push(`Host screen: ${phoneUrl}/host (open it on the laptop that drives the projector)`);
  // A container's own addresses may not be the ones phones reach (the host machine's are, via the published port).
  if (o.inContainer) {
    lines.push(
      `  (running in a container: if phones cannot open that address, open the host screen at the host machine's network address, port ${o.port}, and the QR code will carry it; or set PUBLIC_URL)`,
    );
  }
  return { phoneUrl, hostUrl: `${phoneUrl}/host`, lines };
}
