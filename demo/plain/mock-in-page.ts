/// <reference types="vite/client" />
// `npm start` serves the mock endpoint; the static build (`npm run build:demo`) has no server behind
// it, so there the same mock runs in the page, as the element's `fetch` (as demo.ts does).
import { mockFetch } from '../mock/mock-completion.js';

if (!import.meta.env.DEV) {
  for (const chat of document.querySelectorAll('stream-chat')) chat.fetch = mockFetch;
}
