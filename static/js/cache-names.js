// The Cache Storage names that the service worker (sw/sw.js, a module worker) and the pages share.
export const SHELL_PREFIX = "shell-";  // the app shell, one cache per app version: shell-<version>
export const PAGES = "pages";  // pages visited, kept for offline use
export const BRIEFCASE = "briefcase";  // the engineer's assigned jobs, fetched ahead (briefcase.js)
