// Small DOM helpers: elements built from data (never from HTML text, so nothing the API
// returns can become markup), toasts and the confirmation dialog.

/** `h('a', {href: '#/'}, 'text', child)`; attributes starting with "on" become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * Shows a toast for a while; `kind` is "bad", "good" or "info". Bad news is announced at once
 * to screen readers (role alert), the rest politely.
 */
export function toast(text, kind = 'info', ttl = 8000) {
  const box = document.getElementById('toasts');
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss' }, '×');
  const t = h('div', { class: `toast toast-${kind}`, role: kind === 'bad' ? 'alert' : 'status' },
    h('span', { class: 'toast-text' }, text), close);
  close.addEventListener('click', () => t.remove());
  box.append(t);
  while (box.children.length > 5) box.firstElementChild.remove();
  setTimeout(() => t.remove(), ttl);
  return t;
}

/**
 * Asks the operator to confirm `title` (with `text` saying what follows) in a modal dialog;
 * resolves to true when confirmed. Escape or Cancel resolves to false; focus returns to where
 * it was.
 */
export function confirmAction(title, text, confirmLabel) {
  const dialog = document.getElementById('confirm');
  const back = document.activeElement;
  fill(document.getElementById('confirm-title'), title);
  fill(document.getElementById('confirm-text'), text);
  fill(document.getElementById('confirm-ok'), confirmLabel);
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        if (back && back.focus) back.focus();
        resolve(dialog.returnValue === 'ok');
      },
      { once: true },
    );
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}
