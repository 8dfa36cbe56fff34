// The webhook benchmark's receiver: verifies X-Fleet-Signature (HMAC-SHA256 of "t.body") and
// that seqs come in order, per path (one path per webhook), and notes each event's lag (receipt
// minus the event's `time`). GET /stats answers the figures per path; POST /reset clears them;
// POST /hold refuses every delivery with 503 until POST /release (which also clears them).
// usage: node webhook_sink.js PORT SECRET
const crypto = require("crypto");
const http = require("http");
const [port, secret] = process.argv.slice(2);
let hooks = {};
let held = false;

function verified(req, body) {
  const parts = Object.fromEntries(
    (req.headers["x-fleet-signature"] || "").split(",").map((p) => p.split("=", 2)));
  const expected = crypto.createHmac("sha256", secret)
    .update(Buffer.concat([Buffer.from(parts.t + "."), body])).digest("hex");
  return parts.v1 === expected && Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
}

function note(path, event, ok) {
  const at = Date.now();
  const h = (hooks[path] ??= { received: 0, bad: 0, out_of_order: 0, last_seq: 0, first_at: at, lags: [] });
  h.received += 1;
  if (!ok) h.bad += 1;
  if (event.seq <= h.last_seq) h.out_of_order += 1;
  h.last_seq = Math.max(h.last_seq, event.seq);
  h.last_at = at;
  h.lags.push(at - Date.parse(event.time));
}

http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.method === "GET") return res.end(JSON.stringify(hooks));
    if (["/reset", "/hold", "/release"].includes(req.url)) {
      hooks = {};
      held = req.url === "/hold";
      return res.end("{}");
    }
    if (held) {
      res.writeHead(503);
      return res.end();
    }
    const body = Buffer.concat(chunks);
    const event = JSON.parse(body.toString());
    const ok = verified(req, body) && String(event.seq) === req.headers["x-fleet-event-seq"];
    note(req.url, event, ok);
    res.writeHead(ok ? 200 : 401, { "Content-Type": "application/json" });
    res.end("{}");
  });
}).listen(Number(port), "127.0.0.1", () => console.log("listening"));
