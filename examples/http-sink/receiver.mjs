// A tiny HTTP endpoint for the HTTP sink example: it takes JSON arrays of records, checks the bearer token, answers
// every 5th request with 503 (to show the sink's retries), and keeps each batch once per Idempotency-Key — the
// contract the sink documents — appending its records to received.jsonl. Keys are kept in memory only.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? '8090');
const token = process.env.API_TOKEN ?? '';
const seen = new Set();
let requests = 0;

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    requests++;
    if (token !== '' && req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end('bad token\n');
    if (requests % 5 === 0) return void res.writeHead(503, { 'retry-after': '1' }).end('busy, try again\n');
    const key = String(req.headers['idempotency-key'] ?? '');
    if (seen.has(key)) return void res.writeHead(200).end('{"duplicate":true}\n');
    let records;
    try {
      records = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return void res.writeHead(400).end('the body is not JSON\n');
    }
    seen.add(key);
    appendFileSync('received.jsonl', records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    console.log(`batch ${key}: ${records.length} records`);
    res.writeHead(200).end('{"stored":true}\n');
  });
}).listen(port, '127.0.0.1', () => console.log(`receiver listening on http://127.0.0.1:${port}/orders`));
