// Entry point. In development builds (or builds made with VITE_MOCK=1), `?mock` in the URL answers
// every command from an in-memory fake backend so the UI can be seen without the shell.

import './styles.css';

async function boot(): Promise<void> {
  if ((import.meta.env.DEV || import.meta.env.VITE_MOCK === '1') && new URLSearchParams(location.search).has('mock')) {
    const { installMockBackend } = await import('./dev/mock-backend');
    await installMockBackend(new URLSearchParams(location.search));
  }
  await import('./components/app');
}

void boot();
