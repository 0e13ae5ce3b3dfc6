// ESLint's flat config for the hand-written JavaScript: the pages' ES modules and the service worker.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["static/vendor/**", "tests/e2e/vendor/**", "node_modules/**"] },
  js.configs.recommended,
  {
    files: ["static/**/*.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.browser, htmx: "readonly" } },
  },
  {
    files: ["sw/**/*.js"],
    // __PRECACHE__ is replaced by the server with the list of files to precache (app/pwa/routes.py).
    languageOptions: { sourceType: "module", globals: { ...globals.serviceworker, __PRECACHE__: "readonly" } },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module" },
  },
];
