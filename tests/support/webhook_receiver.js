// A webhook receiver for tests: checks X-Fleet-Signature (HMAC-SHA256 of "t.body") and
// appends "<seq> <type> ok" (or "<seq> <type> bad-signature") to a file per request, and
// answers DELAY_MS later (default 0).
// usage: node webhook_receiver.js PORT SECRET LOG_FILE [DELAY_MS]
const crypto = require("crypto");
const fs = require("fs");
const http = require("http");
const [port, secret, logFile, delayMs] = process.argv.slice(2);
http
  .createServer((req, res) => {
    if (req.method !== "POST") {
      res.end("ready");
      return;
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const parts = Object.fromEntries(
        (req.headers["x-fleet-signature"] || "").split(",").map((p) => p.split("=", 2)));
      const expected = crypto.createHmac("sha256", secret)
        .update(Buffer.concat([Buffer.from(parts.t + "."), body])).digest("hex");
      const ok = parts.v1 === expected
        && Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
      const event = JSON.parse(body.toString());
      const seq = req.headers["x-fleet-event-seq"];
      fs.appendFileSync(logFile, `${seq} ${event.type} ${event.seq == seq && ok ? "ok" : "bad-signature"}\n`);
      setTimeout(() => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end("{}");
      }, Number(delayMs || 0));
    });
  })
  .listen(Number(port), "127.0.0.1", () => console.log("listening"));
