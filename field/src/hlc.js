// The device's hybrid logical clock (docs/sync.md, "Push"): "<unix ms, 13 digits>:<counter,
// 4 digits>:<node>". Pure: the caller keeps the state (in the local store) and the node id.

export function parse(hlc) {
  const m = /^(\d{13}):(\d{4}):(.+)$/.exec(hlc || '');
  return m ? { ms: Number(m[1]), counter: Number(m[2]), node: m[3] } : null;
}

export function format({ ms, counter, node }) {
  return `${String(ms).padStart(13, '0')}:${String(counter).padStart(4, '0')}:${node}`;
}

// The next time stamp after `last` (the state; may be null), at wall clock `now`.
export function tick(last, now, node) {
  const prev = parse(last) || { ms: 0, counter: 0 };
  if (now > prev.ms) return format({ ms: now, counter: 0, node });
  if (prev.counter < 9999) return format({ ms: prev.ms, counter: prev.counter + 1, node });
  return format({ ms: prev.ms + 1, counter: 0, node });
}

// The state after seeing `remote` (from a pull): never behind anything seen.
export function observe(last, remote) {
  const a = parse(last), b = parse(remote);
  if (!b) return last;
  if (!a || b.ms > a.ms || (b.ms === a.ms && b.counter > a.counter)) {
    return format({ ms: b.ms, counter: b.counter, node: a ? a.node : b.node });
  }
  return last;
}
