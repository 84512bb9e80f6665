// The four lobby screens as one multi-page Vite app: each HTML entry pulls only its own screen's
// code, so a TV stick loading /display never downloads the admin or counter bundles.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// The hub to proxy to in `vite dev`; screens always call same-origin /api so the pairing cookie
// (SameSite=Strict, HttpOnly) rides along exactly as it does when the hub serves renderer/dist.
const hubUrl = process.env.GUICHET_HUB_URL ?? 'http://127.0.0.1:8787';

/** In `vite dev`, answer /kiosk like the hub does (it serves kiosk.html there), not only /kiosk.html. */
function screenPaths(): Plugin {
  return {
    name: 'guichet-screen-paths',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url)
          req.url = req.url
            .replace(/^\/(kiosk|display|counter|admin)(?=[?#]|$)/, '/$1.html')
            // The follow-up page: the hub serves ticket.html at /t/:id; the page reads the path.
            .replace(/^\/t\/[^/?#]+(?=[?#]|$)/, '/ticket.html');
        next();
      });
    },
  };
}

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react(), screenPaths()],
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    // The chime is tiny but must stay a real file for <audio>, never a data: URL.
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: {
        kiosk: here('./kiosk.html'),
        display: here('./display.html'),
        counter: here('./counter.html'),
        admin: here('./admin.html'),
        ticket: here('./ticket.html'),
      },
    },
  },
  server: {
    // The chime lives in resources/sounds, outside the renderer root.
    fs: { allow: [here('..')] },
    proxy: {
      '/api': { target: hubUrl, changeOrigin: false, ws: true },
    },
  },
});
