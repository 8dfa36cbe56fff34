// Follows the coordinator's event stream (/api/v1/events/stream, server-sent events). The
// stream needs the Bearer header, which EventSource cannot send, so it is read with fetch();
// after a drop it reconnects by itself with Last-Event-ID and so misses nothing.

import { refused, token } from './api.js';

/** Splits the text of an event stream into events; keeps an unfinished one for later. */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
  }

  push(text) {
    this.buffer += text.replace(/\r\n?/g, '\n');
    let end;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const ev = { id: '', event: 'message', data: [] };
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue; // keepalive comments
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') ev.id = value;
        else if (field === 'event') ev.event = value;
        else if (field === 'data') ev.data.push(value);
      }
      if (ev.data.length > 0) this.onEvent({ id: ev.id, event: ev.event, data: ev.data.join('\n') });
    }
  }
}

/**
 * Follows the stream after `afterSeq`, calling `onEvent(event)` with each parsed event
 * object ({seq, time, type, server_id?, email?, data}) and `onStatus("live" |
 * "reconnecting")`. Returns a function that stops following.
 */
export function follow(afterSeq, onEvent, onStatus) {
  let last = afterSeq;
  let stopped = false;
  let controller = null;
  let delay = 500;

  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const res = await fetch('/api/v1/events/stream', {
          headers: { Authorization: `Bearer ${token()}`, 'Last-Event-ID': String(last), Accept: 'text/event-stream' },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (res.status === 401) {
          refused('the coordinator no longer accepts this token');
          return;
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        onStatus('live');
        delay = 500;
        const parser = new SseParser((raw) => {
          let e;
          try {
            e = JSON.parse(raw.data);
          } catch {
            return;
          }
          if (typeof e.seq === 'number') last = Math.max(last, e.seq);
          onEvent(e);
        });
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(decoder.decode(value, { stream: true }));
        }
      } catch (err) {
        if (stopped) return;
      }
      if (stopped) return;
      onStatus('reconnecting');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10000);
    }
  };
  run();
  return () => {
    stopped = true;
    if (controller) controller.abort();
  };
}
