#!/usr/bin/env python3
"""Route feed for one ExaBGP speaker of the bmpwatch lab.

ExaBGP runs this as an API process: every line written to stdout is an API command. The feed
announces a seeded, reproducible table, records exactly what it announced in a JSON state file
(the lab's `injected()` reads it), then waits for churn requests. It must never exit on its own:
ExaBGP restarts a process that exits, which would announce everything again.
"""

import argparse
import ipaddress
import json
import os
import random
import sys
import threading
import time

# Documentation (RFC 5398) and private (RFC 6996) ASNs only, 2-byte and 4-byte, so nothing in a
# capture looks like a real network. 65536-65551 are the smallest 4-byte ASNs, a classic off-by-one.
TRANSIT_2B = [64496, 64497, 64498, 64500, 64505, 64510, 65100, 65101, 65102, 65200]
TRANSIT_4B = [65536, 65540, 65551, 4200000100, 4200000200, 4294967294]
ORIGINS_2B = [64499, 64501, 64502, 64503, 65300, 65301, 65302]
ORIGINS_4B = [65537, 65545, 4200000300, 4200000301, 4200001000]

# The lab's GoBGP import policy rejects these ranges and tags routes carrying TAG_COMMUNITY; the
# feed puts a known share of routes there so pre- and post-policy streams differ.
REJECT_V4 = ipaddress.ip_network('10.7.0.0/16')
REJECT_V6 = ipaddress.ip_network('2001:db8:7::/48')
TAG_COMMUNITY = '64512:100'


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument('--speaker', required=True)
    p.add_argument('--index', type=int, required=True, help='speaker index, separates prefix pools')
    p.add_argument('--asn', type=int, required=True)
    p.add_argument('--next-hop4', required=True)
    p.add_argument('--next-hop6', required=True)
    # Repeated flags, not comma lists: ExaBGP's `run` line tokenizer treats commas specially.
    p.add_argument('--family', action='append', choices=['ipv4', 'ipv6'], default=[])
    p.add_argument('--add-path', action='append', choices=['ipv4', 'ipv6'], default=[],
                   help='families announced with path identifiers')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--size', type=int, default=1000, help='number of prefixes to announce')
    p.add_argument('--ipv6-share', type=float, default=0.3)
    p.add_argument('--state', required=True, help='JSON file listing what is announced')
    p.add_argument('--control', required=True, help='JSON file the lab writes churn requests to')
    return p.parse_args()


class Feed:
    def __init__(self, args):
        self.args = args
        self.families = args.family
        self.add_path = set(args.add_path)
        # Per-speaker stream plus a seed-only stream: speakers share some prefixes (so GoBGP has a
        # best-path choice to make) but otherwise draw from their own pools.
        self.rng = random.Random(args.seed * 7919 + args.index)
        self.shared_rng = random.Random(args.seed)
        self.announced = {}  # key (prefix, path id) -> route dict, in announcement order
        self.attrs = {}  # same keys -> the attribute set it was announced with
        self.events = []
        self.round = 0

    def emit(self, line):
        sys.stdout.write(line + '\n')

    def flush(self):
        sys.stdout.flush()

    # ---- prefixes -------------------------------------------------------------------------
    def v4_prefix(self, rng, rejected):
        if rejected:
            length = rng.choice([24, 24, 24, 20, 28])
            base = int(REJECT_V4.network_address) + rng.randrange(0, 1 << 16)
        else:
            length = rng.choices([24, 23, 22, 20, 19, 16, 25, 28, 32], [60, 8, 8, 6, 4, 4, 4, 3, 3])[0]
            # 10.0.0.0/8 minus the rejected /16, plus 100.64.0.0/10 for variety of first octets.
            while True:
                if rng.random() < 0.8:
                    base = (10 << 24) + rng.randrange(0, 1 << 24)
                else:
                    base = int(ipaddress.ip_address('100.64.0.0')) + rng.randrange(0, 1 << 22)
                if ipaddress.ip_address(base) not in REJECT_V4:
                    break
        return str(ipaddress.ip_network((base, length), strict=False))

    def v6_prefix(self, rng, rejected):
        if rejected:
            length = rng.choice([56, 64, 48])
            base = int(REJECT_V6.network_address) + (rng.randrange(0, 1 << 16) << 64)
        else:
            length = rng.choices([48, 44, 40, 32, 56, 64], [60, 10, 8, 6, 8, 8])[0]
            while True:
                base = int(ipaddress.ip_address('2001:db8::')) + (rng.randrange(0, 1 << 40) << 64)
                if ipaddress.ip_address(base) not in REJECT_V6:
                    break
        # ipaddress renders RFC 5952 text (lower case, longest zero run compressed).
        return ipaddress.ip_network((base, length), strict=False).compressed

    def pick_prefixes(self):
        n = self.args.size
        families = self.families
        want_v6 = int(round(n * self.args.ipv6_share)) if 'ipv6' in families else 0
        want_v4 = n - want_v6 if 'ipv4' in families else 0
        out = []
        seen = set()
        for family, want in (('ipv4', want_v4), ('ipv6', want_v6)):
            shared = int(want * 0.05)
            rejected = max(1, int(want * 0.03)) if want else 0
            count = 0
            attempts = 0
            while count < want and attempts < want * 50:
                attempts += 1
                if count < shared:
                    rng, rej = self.shared_rng, False
                else:
                    rng, rej = self.rng, count < shared + rejected
                p = self.v4_prefix(rng, rej) if family == 'ipv4' else self.v6_prefix(rng, rej)
                if p in seen:
                    continue
                seen.add(p)
                out.append((family, p))
                count += 1
        return out

    # ---- attributes -----------------------------------------------------------------------
    def attributes(self):
        rng = self.rng
        origin = rng.choices(['igp', 'egp', 'incomplete'], [80, 5, 15])[0]
        length = rng.choices([1, 2, 3, 4, 5, 6], [10, 25, 30, 20, 10, 5])[0]
        path = [self.args.asn]
        while len(path) < length - 1:
            path.append(rng.choice(TRANSIT_2B + TRANSIT_4B))
        if length > 1:
            path.append(rng.choice(ORIGINS_2B + ORIGINS_4B))
        # Prepending: repeat the origin a few times on some paths.
        if length >= 3 and rng.random() < 0.1:
            path[-2] = path[-1]
        as_set = None
        if rng.random() < 0.06:
            as_set = rng.sample(ORIGINS_2B + ORIGINS_4B, rng.choice([2, 3]))
        med = rng.choice([None, None, 0, 10, 50, 100, 4294967295]) if rng.random() < 0.6 else None
        communities = []
        if rng.random() < 0.5:
            pool = ['64512:1', '64512:2', '65535:666', '0:64496', '64496:65535', '65001:300']
            communities = rng.sample(pool, rng.choice([1, 2, 3]))
        if rng.random() < 0.12:
            communities.append(TAG_COMMUNITY)
        large = []
        if rng.random() < 0.25:
            large = ['%d:%d:%d' % (self.args.asn, rng.randrange(1, 10), rng.randrange(0, 1000))]
            if rng.random() < 0.3:
                large.append('4294967295:0:4294967295')
        ext = []
        if rng.random() < 0.2:
            ext = rng.sample(['target:65001:100', 'origin:65001:200', 'target:192.0.2.3:7'], rng.choice([1, 2]))
        aggregator = None
        atomic = False
        if as_set is not None or rng.random() < 0.03:
            agg_asn = path[-1]
            aggregator = '%d:192.0.2.%d' % (agg_asn, rng.randrange(1, 255))
            atomic = as_set is None
        return {
            'origin': origin,
            'asPathSequence': path,
            'asSet': as_set,
            'med': med,
            'communities': communities,
            'largeCommunities': large,
            'extCommunities': ext,
            'aggregator': aggregator,
            'atomicAggregate': atomic,
        }

    def next_hop(self, family):
        base = self.args.next_hop4 if family == 'ipv4' else self.args.next_hop6
        # A second next hop on a few routes: next-hop changes are an attribute change too.
        if self.rng.random() < 0.1:
            ip = ipaddress.ip_address(base) + 100
            return ip.compressed
        return ipaddress.ip_address(base).compressed

    # ---- API text -------------------------------------------------------------------------
    @staticmethod
    def as_path_text(attrs):
        parts = [str(a) for a in attrs['asPathSequence']]
        if attrs['asSet']:
            parts.append('( ' + ' '.join(str(a) for a in attrs['asSet']) + ' )')
        return '[ ' + ' '.join(parts) + ' ]'

    def attr_text(self, attrs, next_hop):
        words = ['next-hop', next_hop, 'origin', attrs['origin'], 'as-path', self.as_path_text(attrs)]
        if attrs['med'] is not None:
            words += ['med', str(attrs['med'])]
        if attrs['communities']:
            words += ['community', '[ ' + ' '.join(attrs['communities']) + ' ]']
        if attrs['largeCommunities']:
            words += ['large-community', '[ ' + ' '.join(attrs['largeCommunities']) + ' ]']
        if attrs['extCommunities']:
            words += ['extended-community', '[ ' + ' '.join(attrs['extCommunities']) + ' ]']
        if attrs['atomicAggregate']:
            words.append('atomic-aggregate')
        if attrs['aggregator']:
            words += ['aggregator', '( ' + attrs['aggregator'] + ' )']
        return ' '.join(words)

    def record(self, family, prefix, path_id, next_hop, attrs):
        seq = attrs['asPathSequence']
        text = ' '.join(str(a) for a in seq)
        if attrs['asSet']:
            text += ' {' + ','.join(str(a) for a in attrs['asSet']) + '}'
        return {
            'speaker': self.args.speaker,
            'family': family,
            'prefix': prefix,
            'pathId': path_id,
            'nextHop': next_hop,
            'origin': attrs['origin'],
            'asPath': text,
            # RFC 6811: a path ending in an AS_SET has no single origin AS.
            'originAsn': None if attrs['asSet'] else seq[-1],
            'med': attrs['med'],
            'communities': list(attrs['communities']),
            'largeCommunities': list(attrs['largeCommunities']),
            'extCommunities': list(attrs['extCommunities']),
            'atomicAggregate': attrs['atomicAggregate'],
            'aggregator': attrs['aggregator'],
        }

    def announce_group(self, family, prefixes, attrs, next_hop):
        """One attribute set for several prefixes: ExaBGP packs them into one UPDATE."""
        if family in self.add_path:
            # `announce attributes … nlri` drops path-information, so add-path routes go one per
            # line; group-updates still packs identical attribute sets into one UPDATE.
            for prefix, path_id in prefixes:
                self.emit('announce route %s path-information %d %s' % (prefix, path_id, self.attr_text(attrs, next_hop)))
        else:
            self.emit('announce attributes %s nlri %s' % (self.attr_text(attrs, next_hop), ' '.join(p for p, _ in prefixes)))
        for prefix, path_id in prefixes:
            self.announced[(prefix, path_id)] = self.record(family, prefix, path_id, next_hop, attrs)
            self.attrs[(prefix, path_id)] = attrs

    def withdraw(self, route):
        if route['pathId'] is None:
            self.emit('withdraw route %s' % route['prefix'])
        else:
            self.emit('withdraw route %s path-information %d' % (route['prefix'], route['pathId']))
        del self.announced[(route['prefix'], route['pathId'])]
        del self.attrs[(route['prefix'], route['pathId'])]

    # ---- phases ---------------------------------------------------------------------------
    def initial(self):
        prefixes = self.pick_prefixes()
        i = 0
        while i < len(prefixes):
            family = prefixes[i][0]
            group = []
            size = self.rng.choices([1, 2, 4, 8, 16], [30, 20, 20, 20, 10])[0]
            while i < len(prefixes) and len(group) < size and prefixes[i][0] == family:
                group.append(prefixes[i][1])
                i += 1
            add_path = family in self.add_path
            attrs = self.attributes()
            nh = self.next_hop(family)
            self.announce_group(family, [(p, 1 if add_path else None) for p in group], attrs, nh)
            # Several paths for some prefixes: only meaningful where ADD-PATH is negotiated.
            if add_path:
                for p in group:
                    if self.rng.random() < 0.15:
                        for path_id in range(2, 2 + self.rng.choice([1, 2])):
                            self.announce_group(family, [(p, path_id)], self.attributes(), self.next_hop(family))
        self.flush()
        self.events.append({'round': 0, 'announced': len(self.announced), 'withdrawn': 0})
        self.save()

    def churn(self, count):
        self.round += 1
        routes = list(self.announced.values())
        victims = self.rng.sample(routes, min(count, len(routes)))
        old_attrs = {(r['prefix'], r['pathId']): self.attrs[(r['prefix'], r['pathId'])] for r in victims}
        for r in victims:
            self.withdraw(r)
        self.flush()
        # Re-announce half of them with a changed MED and one more prepend, so the collector sees
        # withdraw-then-announce of the same prefix with different attributes.
        back = victims[: len(victims) // 2]
        for r in back:
            attrs = dict(old_attrs[(r['prefix'], r['pathId'])])
            attrs['asPathSequence'] = [self.args.asn] + attrs['asPathSequence']
            attrs['med'] = ((attrs['med'] or 0) + 1) % 4294967296
            self.announce_group(r['family'], [(r['prefix'], r['pathId'])], attrs, r['nextHop'])
        self.flush()
        self.events.append({'round': self.round, 'withdrawn': len(victims), 'reannounced': len(back)})
        self.save()

    def save(self):
        state = {
            'speaker': self.args.speaker,
            'pid': os.getpid(),
            'round': self.round,
            'events': self.events,
            'routes': list(self.announced.values()),
        }
        tmp = self.args.state + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(state, f)
        os.replace(tmp, self.args.state)  # readers never see a half-written file

    def serve(self):
        parent = os.getppid()
        while True:
            # Orphaned (ExaBGP was SIGKILLed): exit rather than linger in the namespace.
            if os.getppid() != parent:
                return
            try:
                with open(self.args.control) as f:
                    req = json.load(f)
            except (OSError, ValueError):
                req = None
            if req and int(req.get('round', 0)) > self.round:
                self.churn(int(req.get('count', 0)))
            time.sleep(0.1)


def drain_stdin():
    # ExaBGP may write acknowledgements to our stdin; reading them keeps its pipe from filling.
    try:
        for _ in sys.stdin:
            pass
    except (OSError, ValueError):
        pass


def main():
    args = parse_args()
    threading.Thread(target=drain_stdin, daemon=True).start()
    feed = Feed(args)
    feed.initial()
    feed.serve()


if __name__ == '__main__':
    main()
