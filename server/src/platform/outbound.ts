import dns from "node:dns";
import net, { type LookupFunction } from "node:net";

// Where Concord may connect on a user's word: the DICOMweb stores and DICOM peers that project
// members name are addresses this server will open connections to, so a member could point them
// at what only the server can reach (a cloud's metadata service, an admin port). Every such
// connection goes through this policy: addresses in OUTBOUND_DENY are refused (by default the
// link-local ranges, where cloud metadata services live, and 0.0.0.0/8), and when OUTBOUND_ALLOW
// is set only addresses in it are allowed. A name is checked by the addresses it resolves to,
// and the connection is made to an address that passed (no second lookup to be rebound).
// Connections the operator configures (database, Redis, Cosmos RPC) do not go through it.

export const DEFAULT_OUTBOUND_DENY = ["169.254.0.0/16", "fe80::/10", "0.0.0.0/8"];

export class OutboundRefused extends Error {
  readonly code = "EOUTBOUND";
}

export interface OutboundRules {
  /** CIDR ranges or single addresses; null allows everything not denied. */
  allow: readonly string[] | null;
  deny: readonly string[];
}

export class OutboundPolicy {
  private readonly allow: net.BlockList | null;
  private readonly deny: net.BlockList;

  constructor(readonly rules: OutboundRules) {
    this.deny = blockList(rules.deny);
    this.allow = rules.allow ? blockList(rules.allow) : null;
  }

  /** Why this address may not be connected to, or null when it may. */
  refusal(address: string): string | null {
    const family = net.isIP(address) === 6 ? "ipv6" : "ipv4";
    if (this.deny.check(address, family)) return `${address} is in OUTBOUND_DENY`;
    if (this.allow && !this.allow.check(address, family)) return `${address} is not in OUTBOUND_ALLOW`;
    return null;
  }

  /** Resolves a host (a name or an address) to the addresses that may be connected to; throws OutboundRefused when none may. */
  async resolve(host: string): Promise<string[]> {
    const bare = host.replace(/^\[(.*)\]$/, "$1");
    const addresses = net.isIP(bare) ? [bare] : (await dns.promises.lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
    const allowed = addresses.filter((a) => this.refusal(a) === null);
    if (!allowed.length) throw new OutboundRefused(`connections to ${host} are not allowed (${this.refusal(addresses[0]!) ?? "no address"})`);
    return allowed;
  }

  /** A `lookup` for net/http connections that answers only allowed addresses. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (addresses) => {
        const entries = addresses.map((address) => ({ address, family: net.isIP(address) }));
        if (options.all) (callback as unknown as (err: null, all: typeof entries) => void)(null, entries);
        else callback(null, entries[0]!.address, entries[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 0),
    );
  };
}

/** A comma-separated list of addresses and CIDR ranges, as OUTBOUND_ALLOW and OUTBOUND_DENY take it. */
export function addressList(text: string): string[] {
  return text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
}

export function isAddressList(text: string): boolean {
  try {
    blockList(addressList(text));
    return true;
  } catch {
    return false;
  }
}

function blockList(entries: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address, bits] = entry.split("/") as [string, string | undefined];
    const family = net.isIP(address);
    if (!family) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) throw new Error(`"${entry}" has a bad prefix length`);
      list.addSubnet(address, prefix, type);
    }
  }
  return list;
}

let current = new OutboundPolicy({ allow: null, deny: DEFAULT_OUTBOUND_DENY });

/** The process's policy; the server and workers set it from their configuration at start. */
export function outboundPolicy(): OutboundPolicy {
  return current;
}

export function setOutboundPolicy(rules: OutboundRules): void {
  current = new OutboundPolicy(rules);
}
