#!/usr/bin/env node
// Writes the small sample data sets the app offers on first start into public/sample/ (git-ignored):
//
//   sales.csv         2,000 rows: date, product_id, customer_id, amount, quantity, region
//   products.parquet  20 rows:    product_id, name, category, unit_price   (ZSTD, via parquet-wasm)
//   events.ndjson     500 lines:  user_id, timestamp (ISO, UTC "Z"), action, value (number or null)
//
// Deterministic: a seeded PRNG (mulberry32) drives every value, so the bytes are the same on every
// machine and every run. Work is skipped when all files exist and are newer than this script.
// Dependencies: apache-arrow and parquet-wasm only (both are dependencies of the app anyway).

import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Float64, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
// parquet-wasm's `node` build is CommonJS that loads its .wasm synchronously; Node's ESM loader
// exposes its `exports.x = …` assignments as named exports.
import * as pq from 'parquet-wasm/node';

const started = performance.now();
const scriptPath = fileURLToPath(import.meta.url);
const rootDir = join(dirname(scriptPath), '..');
const outDir = join(rootDir, 'public', 'sample');
const FILES = ['sales.csv', 'products.parquet', 'events.ndjson'];
const force = process.argv.includes('--force');

function isUpToDate() {
  const scriptTime = statSync(scriptPath).mtimeMs;
  try {
    return FILES.every((f) => statSync(join(outDir, f)).mtimeMs >= scriptTime);
  } catch {
    return false; // a file is missing
  }
}

if (!force && isUpToDate()) {
  console.log(`sample-data: ${relative(rootDir, outDir)} is up to date (${FILES.join(', ')})`);
  process.exit(0);
}

/** mulberry32: tiny, fast, good enough for sample data, identical everywhere. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20240101);
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const round2 = (x) => Math.round(x * 100) / 100;
const DAY_MS = 86_400_000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Write to a temporary name, then rename, so an interrupted run never leaves a "fresh" half file. */
function writeAtomic(name, data) {
  const target = join(outDir, name);
  const tmp = `${target}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, target);
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}

// ---- products -------------------------------------------------------------------------------
const CATEGORIES = {
  Electronics: ['Headphones', 'Keyboard', 'Mouse', 'Monitor', 'Webcam'],
  Home: ['Desk Lamp', 'Kettle', 'Blender', 'Toaster', 'Air Purifier'],
  Outdoor: ['Tent', 'Backpack', 'Water Bottle', 'Camping Stove', 'Headlamp'],
  Office: ['Notebook', 'Desk Chair', 'Stapler', 'Whiteboard', 'Pen Set'],
};
const products = [];
for (const [category, names] of Object.entries(CATEGORIES)) {
  for (const name of names) {
    const n = products.length + 1;
    products.push({
      product_id: `P${String(n).padStart(3, '0')}`,
      name,
      category,
      unit_price: round2(int(3, 250) - pick([0.01, 0.51])), // e.g. 24.99 or 24.49
    });
  }
}

const productsTable = new Table({
  product_id: vectorFromArray(products.map((p) => p.product_id), new Utf8()),
  name: vectorFromArray(products.map((p) => p.name), new Utf8()),
  category: vectorFromArray(products.map((p) => p.category), new Utf8()),
  unit_price: vectorFromArray(products.map((p) => p.unit_price), new Float64()),
});
const writerProps = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.ZSTD).build();
const productsParquet = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(productsTable, 'stream')), writerProps);

// ---- sales ----------------------------------------------------------------------------------
const REGIONS = ['North', 'South', 'East', 'West', 'Central'];
const firstDay = Date.UTC(2024, 0, 1);
const days = (Date.UTC(2024, 2, 31) - firstDay) / DAY_MS + 1; // 91 days: 2024-01-01 .. 2024-03-31
const sales = [];
for (let i = 0; i < 2000; i++) {
  const product = pick(products);
  const quantity = int(1, 12);
  const discount = pick([0, 0, 0, 0.05, 0.1, 0.15]);
  sales.push({
    date: isoDate(firstDay + int(0, days - 1) * DAY_MS),
    product_id: product.product_id,
    customer_id: int(1001, 1400),
    amount: round2(quantity * product.unit_price * (1 - discount)),
    quantity,
    region: pick(REGIONS),
  });
}
sales.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)); // stable: ties keep order
let salesCsv = 'date,product_id,customer_id,amount,quantity,region\n';
for (const s of sales) {
  salesCsv += `${s.date},${s.product_id},${s.customer_id},${s.amount.toFixed(2)},${s.quantity},${s.region}\n`;
}

// ---- events ---------------------------------------------------------------------------------
const ACTIONS = ['view', 'view', 'view', 'view', 'click', 'click', 'purchase'];
let t = Date.UTC(2024, 2, 1, 8, 0, 0);
let eventsNdjson = '';
for (let i = 0; i < 500; i++) {
  t += int(1, 600) * 1000; // 1 s .. 10 min apart, strictly increasing
  const action = pick(ACTIONS);
  const value =
    action === 'purchase' ? round2(int(500, 50_000) / 100) : action === 'click' && rand() < 0.3 ? int(1, 5) : null;
  const timestamp = new Date(t).toISOString().replace('.000Z', 'Z');
  eventsNdjson += JSON.stringify({ user_id: int(1, 60), timestamp, action, value }) + '\n';
}

// ---- write ----------------------------------------------------------------------------------
mkdirSync(outDir, { recursive: true });
const bytes =
  writeAtomic('sales.csv', salesCsv) + writeAtomic('products.parquet', productsParquet) + writeAtomic('events.ndjson', eventsNdjson);

const ms = Math.round(performance.now() - started);
console.log(
  `sample-data: wrote ${relative(rootDir, outDir)}: sales.csv (${sales.length} rows), products.parquet ` +
    `(${products.length} rows), events.ndjson (500 lines), ${(bytes / 1024).toFixed(0)} KiB in ${ms} ms`,
);
