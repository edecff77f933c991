#!/usr/bin/env node
// Writes lakebook's app icons into public/icons/ (committed; run again only when the design changes):
//
//   icon.svg            the master drawing, also the favicon
//   icon-192.png        manifest icon (purpose any)
//   icon-512.png        manifest icon (purpose any)
//   maskable-512.png    manifest icon (purpose maskable: the mark inside the 80 % safe zone, full bleed)
//   apple-touch-icon.png  180 × 180, for iOS home screens
//
// No image library: the mark is a few shapes with closed-form distances, rendered with 4 × 4
// supersampling and encoded as PNG with node:zlib. Same bytes on every machine.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
mkdirSync(outDir, { recursive: true });

const BLUE = [37, 99, 235]; // --accent
const DEEP = [23, 37, 84];
const WHITE = [255, 255, 255];
const WAVE = [147, 197, 253];

/**
 * The mark in a unit square (0..1): a rounded blue tile (unless full bleed), a white diamond (the
 * header's ◆) and two light waves below it (the lake). Returns an RGBA colour for a point.
 */
function shade(x, y, fullBleed) {
  const inset = fullBleed ? 0 : 0.03;
  const radius = fullBleed ? 0 : 0.2;
  // Rounded square tile.
  const qx = Math.abs(x - 0.5) - (0.5 - inset - radius);
  const qy = Math.abs(y - 0.5) - (0.5 - inset - radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  if (outside > 0) return [0, 0, 0, 0];
  // The mark is drawn smaller for maskable icons so it stays inside the safe circle.
  const s = fullBleed ? 0.72 : 1;
  const u = (x - 0.5) / s + 0.5;
  const v = (y - 0.5) / s + 0.5;
  const t = y; // vertical gradient over the whole tile
  let colour = BLUE.map((c, i) => Math.round(c * (1 - t * 0.45) + DEEP[i] * t * 0.45));
  // Diamond centred at (0.5, 0.4).
  if (Math.abs(u - 0.5) + Math.abs(v - 0.4) < 0.22) colour = WHITE;
  // Two waves.
  for (const [cy, half] of [
    [0.72, 0.27],
    [0.82, 0.19],
  ]) {
    const wave = cy + 0.018 * Math.sin((u - 0.5) * Math.PI * 6);
    if (Math.abs(v - wave) < 0.022 && Math.abs(u - 0.5) < half) colour = WAVE;
  }
  return [...colour, 255];
}

function render(size, fullBleed) {
  const n = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const [r, g, b, a] = shade((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, fullBleed);
          acc[0] += r * a;
          acc[1] += g * a;
          acc[2] += b * a;
          acc[3] += a;
        }
      }
      const o = (py * size + px) * 4;
      const alpha = acc[3] / (n * n);
      pixels[o] = acc[3] ? Math.round(acc[0] / acc[3]) : 0;
      pixels[o + 1] = acc[3] ? Math.round(acc[1] / acc[3]) : 0;
      pixels[o + 2] = acc[3] ? Math.round(acc[2] / acc[3]) : 0;
      pixels[o + 3] = Math.round(alpha);
    }
  }
  return encodePng(size, size, pixels);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="rgb(${BLUE})"/><stop offset="1" stop-color="rgb(${BLUE.map((c, i) => Math.round(c * 0.55 + DEEP[i] * 0.45))})"/>
  </linearGradient></defs>
  <rect x="3" y="3" width="94" height="94" rx="20" fill="url(#g)"/>
  <path d="M50 18 L72 40 L50 62 L28 40 Z" fill="#fff"/>
  <path d="M23 72 q9 -5 18 0 t18 0 t18 0" fill="none" stroke="rgb(${WAVE})" stroke-width="4.4" stroke-linecap="round"/>
  <path d="M31 82 q6.3 -5 12.7 0 t12.7 0 t12.7 0" fill="none" stroke="rgb(${WAVE})" stroke-width="4.4" stroke-linecap="round"/>
</svg>
`;

writeFileSync(join(outDir, 'icon.svg'), svg);
writeFileSync(join(outDir, 'icon-192.png'), render(192, false));
writeFileSync(join(outDir, 'icon-512.png'), render(512, false));
writeFileSync(join(outDir, 'maskable-512.png'), render(512, true));
writeFileSync(join(outDir, 'apple-touch-icon.png'), render(180, true));
console.log(`icons written to ${outDir}`);
