"""The PWA shell: service worker, manifest, offline page, outbox page and the per-user offline page list."""
