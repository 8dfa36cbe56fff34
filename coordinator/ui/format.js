// How numbers, times and states read on the page.

export function bytes(n) {
  if (!Number.isFinite(n) || n <= 0) return '0 B';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i += 1;
  }
  return `${n >= 100 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}

export function percent(x) {
  if (!Number.isFinite(x)) return '–';
  const p = x * 100;
  return `${p >= 99.95 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

export function ms(n) {
  return Number.isFinite(n) && n > 0 ? `${Math.round(n)} ms` : '–';
}

export function clock(t) {
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) return '–';
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function dateTime(t) {
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) return '–';
  return d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** Servers that count as down on the page: they take no new clients because they fail. */
export function isDown(state) {
  return state === 'unhealthy' || state === 'unreachable';
}

/** A state's words for a person. */
export function stateLabel(state) {
  return (
    {
      healthy: 'Healthy',
      unhealthy: 'Down',
      unreachable: 'Unreachable (agent lost)',
      draining: 'Draining',
      disabled: 'Disabled',
      unknown: 'Not checked yet',
    }[state] || state
  );
}
