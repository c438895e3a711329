// Builds the web view into dist/web/: one script and one stylesheet bundled by esbuild (xterm.js included,
// nothing fetched from elsewhere, so a page on a LAN with no internet works), the HTML shell, the web app
// manifest and its icons, drawn here so no binary lives in the repository. The relay serves this folder.
import { Buffer } from 'node:buffer';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const out = new URL('dist/web/', root);
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: [new URL('web/src/main.ts', root).pathname],
  bundle: true,
  minify: !process.env.VIBE_WEB_NO_MINIFY,
  format: 'esm',
  target: ['es2022', 'chrome100', 'safari15', 'firefox100'],
  platform: 'browser',
  outdir: out.pathname,
  entryNames: 'app',
  // The protocol's Node-only corners are never imported from the browser entry; make any slip loud.
  external: ['node:*'],
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const version = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).version;
writeFileSync(new URL('index.html', out), readFileSync(new URL('web/index.html', root), 'utf8').replaceAll('{{version}}', version));

const manifest = {
  name: 'vibe',
  short_name: 'vibe',
  description: 'Watch and steer your coding agents',
  // The link's secret lives in the fragment; a home-screen icon opens the page it was added from, fragment included.
  start_url: './',
  scope: './',
  display: 'standalone',
  background_color: '#0f1115',
  theme_color: '#0f1115',
  icons: [
    { src: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
  ],
};
writeFileSync(new URL('manifest.webmanifest', out), `${JSON.stringify(manifest, null, 2)}\n`);
for (const size of [192, 512]) writeFileSync(new URL(`icon-${size}.png`, out), drawIcon(size));

const bytes = Object.entries(result.metafile.outputs).map(([file, info]) => `${file.split('/').pop()} ${(info.bytes / 1024).toFixed(0)} KiB`);
process.stdout.write(`web view: ${bytes.join(', ')}\n`);

/** The icon: a "v" chevron in the accent colour on the dark background, full bleed so a mask may crop it. */
function drawIcon(size) {
  const background = [0x0f, 0x11, 0x15];
  const accent = [0x7c, 0xc4, 0xff];
  const pixels = Buffer.alloc(size * (size * 3 + 1));
  const stroke = size * 0.09;
  // The chevron's two strokes: from the top corners of the middle area down to its bottom centre.
  const segments = [
    [0.3, 0.33, 0.5, 0.7],
    [0.7, 0.33, 0.5, 0.7],
  ].map((points) => points.map((value) => value * size));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 3 + 1);
    pixels[row] = 0; // no filter
    for (let x = 0; x < size; x++) {
      const distance = Math.min(...segments.map(([x1, y1, x2, y2]) => distanceToSegment(x + 0.5, y + 0.5, x1, y1, x2, y2)));
      // A pixel of soft edge so the strokes are not jagged.
      const cover = Math.max(0, Math.min(1, stroke / 2 - distance + 0.5));
      for (let channel = 0; channel < 3; channel++) {
        pixels[row + 1 + x * 3 + channel] = Math.round(background[channel] + (accent[channel] - background[channel]) * cover);
      }
    }
  }
  return png(size, size, pixels);
}

function distanceToSegment(px, py, x1, y1, x2, y2) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

/** An 8-bit RGB PNG around already-filtered scanlines. */
function png(width, height, scanlines) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
